import { ref, type Ref } from 'vue';
import type { DeskEvent } from '../../../common/desk-api';
import { reconnectDelay } from '../../../common/desk-format';

export type ConnectionState = 'connected' | 'reconnecting' | 'disconnected';

export const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connected: '已连接',
  reconnecting: '重新连接中…',
  disconnected: '已断开',
};

/** The server closes idle sockets; a ping every 20 s keeps proxies and the server from doing so. */
const PING_MS = 20_000;
/** After this many failed attempts in a row the header says 已断开 (it keeps trying every 10 s). */
const ATTEMPTS_BEFORE_DISCONNECTED = 5;

export interface DeskSocket {
  state: Ref<ConnectionState>;
  start(): void;
  stop(): void;
  /** Try now instead of waiting for the next attempt (the header's 重新连接 button). */
  reconnectNow(): void;
}

/**
 * The one WebSocket of the console (/api/desk/ws, same origin). It reconnects with backoff
 * and hands every frame to `onEvent`; the `hello` frame that starts each connection is the
 * cue to catch up on what was missed (the store does that).
 */
export function createDeskSocket(onEvent: (event: DeskEvent) => void): DeskSocket {
  const state = ref<ConnectionState>('disconnected');
  let ws: WebSocket | null = null;
  let wanted = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let ping: ReturnType<typeof setInterval> | null = null;

  const url = (): string => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/desk/ws`;

  function open(): void {
    clearTimers();
    if (!wanted) return;
    const socket = new WebSocket(url());
    ws = socket;
    socket.onmessage = (e) => {
      let event: DeskEvent;
      try {
        event = JSON.parse(String(e.data)) as DeskEvent;
      } catch {
        return;
      }
      if ((event as { type: string }).type === 'pong') return;
      if (event.type === 'hello') {
        attempt = 0;
        state.value = 'connected';
      }
      onEvent(event);
    };
    socket.onopen = () => {
      ping = setInterval(() => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
      }, PING_MS);
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      ws = null;
      scheduleRetry();
    };
    // An error is followed by close; close does the work.
    socket.onerror = () => {};
  }

  function scheduleRetry(): void {
    clearTimers();
    if (!wanted) {
      state.value = 'disconnected';
      return;
    }
    state.value = attempt >= ATTEMPTS_BEFORE_DISCONNECTED ? 'disconnected' : 'reconnecting';
    retry = setTimeout(open, reconnectDelay(attempt, Math.random()));
    attempt += 1;
  }

  function clearTimers(): void {
    if (retry) clearTimeout(retry);
    if (ping) clearInterval(ping);
    retry = null;
    ping = null;
  }

  function close(): void {
    const socket = ws;
    ws = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
  }

  // Back online: no point waiting up to 10 s more.
  const onOnline = (): void => {
    if (wanted && !ws) reconnectNow();
  };

  function reconnectNow(): void {
    if (!wanted) return;
    close();
    attempt = 0;
    state.value = 'reconnecting';
    open();
  }

  return {
    state,
    start() {
      if (wanted) return;
      wanted = true;
      attempt = 0;
      state.value = 'reconnecting';
      window.addEventListener('online', onOnline);
      open();
    },
    stop() {
      wanted = false;
      window.removeEventListener('online', onOnline);
      clearTimers();
      close();
      state.value = 'disconnected';
    },
    reconnectNow,
  };
}
