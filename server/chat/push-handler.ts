import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import { fillFacts, type ServiceFacts } from '../platform/facts.js';
import { hashOpenid, type Logger } from '../platform/logger.js';
import { dedupeKey, type InboundMessage } from '../wechat/inbound.js';
import { textReply } from '../wechat/reply.js';
import { insertMessage, openConversationFor } from './conversations.repo.js';
import { finishPush, readPush, releasePush } from './push-log.repo.js';
import { Batcher } from '../platform/batcher.js';
import { Effects } from '../platform/effects.js';
import { sayToCustomer } from './outbound.js';
import { recordInboundBatch, recordPassiveReplies, type InboundRecord, type PassiveReply, type RecordedInbound } from './push-turn.repo.js';
import type { Reply, Turn } from './ports.js';
import { recordTurn } from '../kb/turns.service.js';
import type { ConversationRouter } from './router.js';
import { texts } from './texts.js';

export interface PushHandlerOptions {
  db: Db;
  router: ConversationRouter;
  bus: Bus;
  logger: Logger;
  /** Hard budget for the passive reply, from the push's arrival (WeChat gives up at 5 s). */
  replyBudgetMs: number;
  /** Filled into every reply ({{hotline}}, {{desk_hours}}): the bot's answers and the chat's own texts. */
  facts: ServiceFacts;
  now?: () => number;
}

type KnownInbound = Exclude<InboundMessage, { kind: 'unknown' }>;

/** Time kept back from the budget for storing the reply and writing the response. */
const MARGIN_MS = 250;
const POLL_MS = 25;

/**
 * One push, from typed message to passive reply (DESIGN.md §2 steps 2-4):
 * dedupe, store the inbound message, route, store the reply, and answer within the budget.
 * A late answer goes out through the outbox (customer-service API) instead.
 * Returns the reply XML, or null for an empty body.
 */
export class PushHandler {
  private readonly inflight = new Map<string, Promise<string | null>>();
  private readonly background = new Set<Promise<unknown>>();
  /** Concurrent pushes share their database writes (group commit); one customer per batch. */
  private readonly inbound: Batcher<InboundRecord, RecordedInbound>;
  private readonly replies: Batcher<PassiveReply, number | null>;

  constructor(private readonly o: PushHandlerOptions) {
    // No linger: the statements run off this thread (PGlite on its own thread, or a PostgreSQL
    // server), so pushes that arrive while one batch is written form the next batch by themselves.
    // A 1 ms linger was needed while PGlite ran on this thread; now it only doubled p50.
    this.inbound = new Batcher({ write: (items) => recordInboundBatch(o.db, items), conflictKey: (r) => r.openid });
    this.replies = new Batcher({ write: (items) => recordPassiveReplies(o.db, items), conflictKey: (r) => String(r.conversationId) });
  }

  handle(msg: InboundMessage): Promise<string | null> {
    if (msg.kind === 'unknown') {
      this.o.logger.info({ msgType: msg.msgType, event: msg.event, user: hashOpenid(msg.fromUserName) }, 'unknown push type ignored');
      return Promise.resolve(null);
    }
    const key = dedupeKey(msg);
    // A retry while the first try still runs in this process waits for the same reply.
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.process(key, msg).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Waits for in-flight pushes and late answers (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inflight.size > 0 || this.background.size > 0) {
      await Promise.allSettled([...this.inflight.values(), ...this.background]);
    }
  }

  private async process(key: string, msg: KnownInbound): Promise<string | null> {
    const started = this.now();
    const turn = await this.recordInbound(key, msg);
    if (!turn) return this.replyOfEarlierTry(key, started);
    void this.o.bus.emit('message.created', {
      conversationId: turn.conversation.id,
      messageId: turn.messageId,
      direction: 'in',
      sender: 'customer',
      customerMessage: { kind: msg.kind, content: summarise(msg), createdAt: new Date(this.now()).toISOString() },
    });

    const routing = this.o.router
      .route(msg, turn)
      .catch((err: unknown): Reply => {
        this.o.logger.error({ err, user: hashOpenid(msg.fromUserName) }, 'routing failed');
        return { type: 'text', content: texts.systemBusy };
      })
      .then((out) => (out ? { ...out, content: fillFacts(out.content, this.o.facts) } : out));
    const left = this.o.replyBudgetMs - MARGIN_MS - (this.now() - started);
    const outcome = await within(routing, left);
    if (outcome.done) {
      const out = outcome.value;
      const xml = out ? textReply({ toUser: msg.fromUserName, fromUser: msg.toUserName, content: out.content, createTime: Math.floor(this.now() / 1000) }) : null;
      const content = out && xml ? out.content : null;
      const replyId = await this.storeReply({ key, conversationId: turn.conversation.id, content, xml, botTurn: out?.botTurn }, msg.fromUserName);
      if (replyId !== null) void this.o.bus.emit('message.created', { conversationId: turn.conversation.id, messageId: replyId, direction: 'out', sender: 'bot' });
      return xml;
    }
    // Too late for a passive reply: say nothing now, and send the answer when it comes.
    await finishPush(this.o.db, key, null);
    this.o.logger.warn({ user: hashOpenid(msg.fromUserName), budgetMs: this.o.replyBudgetMs }, 'answer late: sending it through the customer-service API');
    this.track(routing.then((out) => this.sendLate(msg, turn, out)));
    return null;
  }

  /**
   * Claims the push and stores it (one statement on the hot path); null when an earlier try
   * already claimed it. A customer's held outbox messages become due again here.
   */
  private async recordInbound(key: string, msg: KnownInbound): Promise<Turn | null> {
    const record = await this.inbound.submit({
      key,
      openid: msg.fromUserName,
      at: new Date(msg.createTime * 1000),
      kind: msg.kind,
      content: summarise(msg),
      payload: payloadOf(msg),
      subscribed: msg.kind === 'subscribe' ? true : msg.kind === 'unsubscribe' ? false : null,
      interaction: msg.kind !== 'unsubscribe',
    });
    if (!record.claimed) return null;
    if (record.releasedHeld > 0) void this.o.bus.emit('outbox.released', { openid: msg.fromUserName, count: record.releasedHeld });
    if (record.turn) return record.turn;
    // Another instance opened this customer's conversation at the same moment: join it.
    const { customer } = record;
    try {
      return await this.o.db.transaction(async (tx) => {
        const conversation = await openConversationFor(tx, customer.id);
        const message = await insertMessage(tx, { conversationId: conversation.id, direction: 'in', sender: 'customer', kind: msg.kind, content: summarise(msg), payload: payloadOf(msg), wechatKey: key });
        return { customer, conversation, messageId: message.id };
      });
    } catch (err) {
      // Claimed but not stored: release the claim, or WeChat's retry would wait for a reply that never comes.
      await releasePush(this.o.db, key).catch((e: unknown) => this.o.logger.error({ err: e }, 'could not release a push claim'));
      throw err;
    }
  }

  /**
   * Stores the passive reply with its bot turn and marks the push done. The push is claimed, so
   * a failure here must still leave it done with this reply, or every retry would wait for
   * nothing and the customer would never get the answer: the reply is stored again without the
   * turn (the likelier culprit), and failing that the push is marked done with the reply alone.
   * Only that failure path costs extra statements.
   */
  private async storeReply(reply: PassiveReply, openid: string): Promise<number | null> {
    const user = hashOpenid(openid);
    try {
      return await this.replies.submit(reply);
    } catch (err) {
      this.o.logger.error({ err, user }, 'storing the reply failed');
    }
    if (reply.botTurn) {
      try {
        const [id] = await recordPassiveReplies(this.o.db, [{ ...reply, botTurn: undefined }]);
        this.o.logger.warn({ user }, 'reply stored without its bot turn');
        return id ?? null;
      } catch (err) {
        this.o.logger.error({ err, user }, 'storing the reply without its bot turn failed');
      }
    }
    try {
      await finishPush(this.o.db, reply.key, reply.xml);
      this.o.logger.warn({ user }, 'reply not stored; the push is marked done with it so that a retry gets it');
    } catch (err) {
      this.o.logger.error({ err, user }, 'could not mark the push done: its retries will get an empty reply');
    }
    return null;
  }

  private async sendLate(msg: InboundMessage, turn: Turn, reply: Reply | null): Promise<void> {
    if (!reply) return;
    const { botTurn, ...out } = reply;
    const fx = new Effects();
    await this.o.db.transaction(async (tx) => {
      // Late: the turn goes with the custom-send message instead of the passive reply's statement.
      if (botTurn) await recordTurn(tx, { conversationId: turn.conversation.id, ...botTurn });
      if (out.content.trim() === '') return;
      await sayToCustomer(tx, fx, { conversationId: turn.conversation.id, openid: msg.fromUserName, text: out.content, sender: 'bot', delivery: 'custom' });
    });
    await fx.flush(this.o.bus);
  }

  /** Another try (or instance) claimed this push: wait for its reply within the budget. */
  private async replyOfEarlierTry(key: string, started: number): Promise<string | null> {
    const deadline = started + this.o.replyBudgetMs - MARGIN_MS;
    for (;;) {
      const row = await readPush(this.o.db, key);
      if (row?.status === 'done') return row.reply;
      if (this.now() >= deadline) return null;
      await sleep(POLL_MS);
    }
  }

  private track(p: Promise<unknown>): void {
    const tracked = p
      .catch((err: unknown) => this.o.logger.error({ err }, 'late answer failed'))
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}

/**
 * The push's fields worth keeping beside the content: none for text (content, sender, time and
 * MsgId have their own columns), all of them for the rest (media ids, coordinates, links…).
 */
function payloadOf(msg: KnownInbound): unknown {
  return msg.kind === 'text' ? null : msg.raw;
}

/** A short human-readable line for the history (the full fields are in the payload). */
function summarise(msg: KnownInbound): string {
  switch (msg.kind) {
    case 'text':
      return msg.content;
    case 'voice':
      return msg.recognition ?? '[语音]';
    case 'image':
      return '[图片]';
    case 'video':
    case 'shortvideo':
      return '[视频]';
    case 'location':
      return `[位置] ${msg.label}`;
    case 'link':
      return `[链接] ${msg.title} ${msg.url}`;
    case 'subscribe':
      return msg.scene ? `[关注] 场景 ${msg.scene}` : '[关注]';
    case 'unsubscribe':
      return '[取消关注]';
    case 'scan':
      return `[扫码] ${msg.scene}`;
    case 'click':
      return `[菜单点击] ${msg.key}`;
    case 'view':
      return `[菜单跳转] ${msg.url}`;
    case 'location_report':
      return `[上报位置] ${msg.latitude},${msg.longitude}`;
  }
}

async function within<T>(p: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
  });
  try {
    return await Promise.race([p.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
