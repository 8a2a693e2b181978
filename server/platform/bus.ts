import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { EventMap, EventName } from './events.js';

export type Handler<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

/**
 * The cross-instance event bus. In embedded mode events stay in the process; in server
 * mode they go through Redis pub/sub so that every instance (this one included) hears them.
 * Handlers must not rely on the bus for business state: that lives in the database.
 */
export interface Bus {
  emit<K extends EventName>(name: K, payload: EventMap[K]): Promise<void>;
  on<K extends EventName>(name: K, handler: Handler<K>): () => void;
  close(): Promise<void>;
}

type ErrorSink = (err: unknown, event: string) => void;

class LocalDispatch {
  private readonly emitter = new EventEmitter();
  constructor(private readonly onError: ErrorSink) {
    this.emitter.setMaxListeners(100);
  }
  on<K extends EventName>(name: K, handler: Handler<K>): () => void {
    const wrapped = (payload: EventMap[K]) => {
      try {
        Promise.resolve(handler(payload)).catch((err) => this.onError(err, name));
      } catch (err) {
        this.onError(err, name);
      }
    };
    this.emitter.on(name, wrapped);
    return () => this.emitter.off(name, wrapped);
  }
  dispatch(name: string, payload: unknown): void {
    this.emitter.emit(name, payload);
  }
}

export function createLocalBus(onError: ErrorSink = () => {}): Bus {
  const local = new LocalDispatch(onError);
  return {
    async emit(name, payload) {
      // Asynchronous like the Redis bus, so code cannot come to depend on synchronous delivery.
      queueMicrotask(() => local.dispatch(name, payload));
    },
    on: (name, handler) => local.on(name, handler),
    async close() {},
  };
}

/**
 * `publisher` is a normal connection; a second one is made for subscribing. The channel is
 * `<namespace>:events` (see redis-namespace.ts).
 */
export async function createRedisBus(publisher: Redis, onError: ErrorSink = () => {}, namespace = 'wxdesk'): Promise<Bus> {
  const CHANNEL = `${namespace}:events`;
  const local = new LocalDispatch(onError);
  const subscriber = publisher.duplicate();
  subscriber.on('error', (err) => onError(err, 'redis-subscriber'));
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      const { name, payload } = JSON.parse(raw) as { name: string; payload: unknown };
      local.dispatch(name, payload);
    } catch (err) {
      onError(err, 'redis-message');
    }
  });
  await subscriber.subscribe(CHANNEL);
  return {
    async emit(name, payload) {
      await publisher.publish(CHANNEL, JSON.stringify({ name, payload }));
    },
    on: (name, handler) => local.on(name, handler),
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
