/**
 * Pure logic of the agent desk in the console: merging the message stream, unread
 * counts, the 48-hour window and quota texts, canned-reply lookup, reconnect delays and the
 * typing signal. Values in, values out (the typing signal takes its timer as an argument), so
 * that every rule has a table-driven test (common/desk-format.test.ts).
 */
import type { CannedReply, ConversationSummary, DeskMessage, WindowInfo } from './desk-api.js';

// ── Messages ────────────────────────────────────────────────────────────────────────────────

/**
 * The history held, with newer copies of the same message winning (a delivery state changed),
 * in id order. The stream may repeat itself: a live frame and a catch-up fetch after a
 * reconnect often carry the same messages.
 */
export function mergeMessages(held: readonly DeskMessage[], incoming: readonly DeskMessage[]): DeskMessage[] {
  if (incoming.length === 0) return held.slice();
  const byId = new Map<number, DeskMessage>();
  for (const m of held) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The id to ask for what came after (GET …/messages?after=); null when nothing is held. */
export function lastMessageId(held: readonly DeskMessage[]): number | null {
  let last: number | null = null;
  for (const m of held) if (last === null || m.id > last) last = m.id;
  return last;
}

/** A delivery frame applied to the history; the same array when the message is not held. */
export function applyDelivery(
  held: DeskMessage[],
  messageId: number,
  delivery: DeskMessage['delivery'],
  deliveryNote: string | null,
  possibleDuplicate = false,
): DeskMessage[] {
  const i = held.findIndex((m) => m.id === messageId);
  if (i < 0) return held;
  const next = held.slice();
  // Once a message may have gone twice it stays marked: a later frame does not undo that.
  next[i] = { ...held[i]!, delivery, deliveryNote, possibleDuplicate: held[i]!.possibleDuplicate || possibleDuplicate };
  return next;
}

/**
 * The last delivery frame seen for each message. A frame can overtake the message it is about
 * (the send's HTTP response, or the message frame, arrives after the outbox already delivered
 * it), and a copy fetched or returned earlier is older than the frame: the frame wins whenever a
 * copy of that message is merged. Bounded: the oldest entries go first.
 */
export class DeliveryLedger {
  private readonly frames = new Map<number, Pick<DeskMessage, 'delivery' | 'deliveryNote' | 'possibleDuplicate'>>();
  constructor(private readonly max = 500) {}

  record(messageId: number, delivery: DeskMessage['delivery'], deliveryNote: string | null, possibleDuplicate = false): void {
    this.frames.delete(messageId);
    this.frames.set(messageId, { delivery, deliveryNote, possibleDuplicate });
    if (this.frames.size > this.max) this.frames.delete(this.frames.keys().next().value!);
  }

  /** The messages with the last frame seen for each applied over their own state. */
  apply(items: readonly DeskMessage[]): DeskMessage[] {
    return items.map((m) => {
      const frame = this.frames.get(m.id);
      return frame ? { ...m, ...frame, possibleDuplicate: m.possibleDuplicate || frame.possibleDuplicate } : m;
    });
  }
}

/** Messages that count as new for the agent: what the customer wrote. */
export const isCustomerMessage = (m: DeskMessage): boolean => m.direction === 'in' && m.sender === 'customer';

export type DeliveryTone = 'pending' | 'ok' | 'held' | 'failed';
export interface DeliveryState {
  tone: DeliveryTone;
  label: string;
  /** The longer explanation shown under a held or failed message. */
  detail: string | null;
}

const HELD_DEFAULT: Record<'held_window' | 'held_quota', string> = {
  held_window: '客户已超过48小时未互动',
  held_quota: '已达条数上限',
};

/** What the agent sees under a message sent to the customer; null for messages that are not theirs to track. */
export function deliveryState(m: Pick<DeskMessage, 'direction' | 'delivery' | 'deliveryNote'>): DeliveryState | null {
  if (m.direction !== 'out' || m.delivery === null) return null;
  switch (m.delivery) {
    case 'pending':
      return { tone: 'pending', label: '发送中', detail: null };
    case 'sent':
    case 'passive':
      return { tone: 'ok', label: '已送达', detail: null };
    case 'held_window':
    case 'held_quota':
      return { tone: 'held', label: m.deliveryNote ?? HELD_DEFAULT[m.delivery], detail: '消息已保留，客户再次发消息时将自动送达' };
    case 'failed':
      return { tone: 'failed', label: '发送失败', detail: m.deliveryNote };
  }
}

/**
 * The hint on a message that was sent again after a send whose outcome was lost (a worker died
 * mid-send, docs/outbox.md): the customer may have received it twice.
 */
export function duplicateHint(m: Pick<DeskMessage, 'direction' | 'possibleDuplicate'>): string | null {
  return m.direction === 'out' && m.possibleDuplicate ? '可能重复发送' : null;
}

/** 重发 is offered on a message whose delivery failed for good. */
export const canResend = (m: Pick<DeskMessage, 'direction' | 'delivery'>): boolean => m.direction === 'out' && m.delivery === 'failed';

// ── Unread counts ───────────────────────────────────────────────────────────────────────────

export type UnreadCounts = Record<number, number>;

/**
 * Unread counts after the list of my chats was fetched again. A chat the console already
 * counted keeps its own count (it clears when viewed, which the server does not know), but
 * never less than the server's when the console holds none of its messages; a new chat takes
 * the server's; the chat on screen is read; chats that left the list are dropped.
 */
export function reconcileUnread(
  local: UnreadCounts,
  chats: readonly Pick<ConversationSummary, 'id' | 'unread'>[],
  opts: { viewing: number | null; heldMessages: ReadonlySet<number> },
): UnreadCounts {
  const next: UnreadCounts = {};
  for (const c of chats) {
    if (c.id === opts.viewing) next[c.id] = 0;
    else if (!(c.id in local)) next[c.id] = c.unread;
    else if (opts.heldMessages.has(c.id)) next[c.id] = local[c.id]!;
    else next[c.id] = Math.max(local[c.id]!, c.unread);
  }
  return next;
}

/** New customer messages raise the count of a chat that is not on screen. */
export function countArrivals(local: UnreadCounts, conversationId: number, arrivals: readonly DeskMessage[], viewing: boolean): UnreadCounts {
  const n = arrivals.filter(isCustomerMessage).length;
  if (viewing) return local[conversationId] ? { ...local, [conversationId]: 0 } : local;
  if (n === 0) return local;
  return { ...local, [conversationId]: (local[conversationId] ?? 0) + n };
}

export function totalUnread(local: UnreadCounts): number {
  let sum = 0;
  for (const n of Object.values(local)) sum += n;
  return sum;
}

/** "(3) 客服工作台"; the bare title when nothing is unread. */
export function titleWithBadge(title: string, unread: number): string {
  return unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${title}` : title;
}

/** Queue entries that were not there before: each one is a new customer waiting. */
export function newlyQueued(before: readonly { conversationId: number }[], after: readonly { conversationId: number }[]): number[] {
  const seen = new Set(before.map((q) => q.conversationId));
  return after.filter((q) => !seen.has(q.conversationId)).map((q) => q.conversationId);
}

// ── Durations, the 48-hour window and the quota ────────────────────────────────────────────

/** "3秒", "5分12秒", "2小时05分": how long a customer has waited. */
export function formatWaiting(sinceIso: string, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - Date.parse(sinceIso)) / 1000));
  if (Number.isNaN(s)) return '-';
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}分${String(s % 60).padStart(2, '0')}秒`;
  return `${Math.floor(m / 60)}小时${String(m % 60).padStart(2, '0')}分`;
}

/** Seconds left in the window at `nowMs`: from closesAt when known, else from what the server said at `fetchedAtMs`. */
export function windowSecondsLeft(w: Pick<WindowInfo, 'closesAt' | 'secondsLeft'>, nowMs: number, fetchedAtMs: number): number {
  if (w.closesAt) {
    const t = Date.parse(w.closesAt);
    if (!Number.isNaN(t)) return Math.max(0, Math.floor((t - nowMs) / 1000));
  }
  return Math.max(0, Math.floor(w.secondsLeft - (nowMs - fetchedAtMs) / 1000));
}

export type Level = 'ok' | 'low' | 'closed';
export interface Indicator {
  level: Level;
  text: string;
}

/** Under two hours left is worth a warning colour: the agent should wrap up. */
export const WINDOW_LOW_SECONDS = 2 * 3600;

/** "会话窗口剩余 47小时12分", or why nothing can be sent now. */
export function formatWindow(w: Pick<WindowInfo, 'closesAt'>, secondsLeft: number): Indicator {
  if (!w.closesAt) return { level: 'closed', text: '客户尚未发送消息，窗口未开启' };
  if (secondsLeft <= 0) return { level: 'closed', text: '会话窗口已关闭（客户超过48小时未互动）' };
  const minutes = Math.ceil(secondsLeft / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const left = h > 0 ? `${h}小时${m}分` : `${m}分`;
  return { level: secondsLeft < WINDOW_LOW_SECONDS ? 'low' : 'ok', text: `会话窗口剩余 ${left}` };
}

/** "还可发送 3 条"; one left is a warning, none means new messages wait for the customer. */
export function formatQuota(w: Pick<WindowInfo, 'quotaLeft' | 'quotaTotal'>): Indicator {
  if (w.quotaLeft <= 0) return { level: 'closed', text: '已达条数上限' };
  return { level: w.quotaLeft <= 1 ? 'low' : 'ok', text: `还可发送 ${w.quotaLeft} 条` };
}

// ── Canned replies ──────────────────────────────────────────────────────────────────────────

/** A "/shortcut" being typed: the word before the caret, starting a line or after a space. */
export interface CannedTrigger {
  query: string;
  /** Where the "/" is. */
  start: number;
}

export function cannedTrigger(text: string, caret: number): CannedTrigger | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)\/([A-Za-z0-9_-]*)$/.exec(before);
  if (!m) return null;
  return { query: m[2]!, start: before.length - m[2]!.length - 1 };
}

/** Shortcuts that start with the query first, then those that contain it, then titles that do. */
export function filterCanned(replies: readonly CannedReply[], query: string, limit = 8): CannedReply[] {
  const q = query.trim().toLowerCase();
  const rank = (r: CannedReply): number => {
    const s = r.shortcut.toLowerCase();
    if (s.startsWith(q)) return 0;
    if (s.includes(q)) return 1;
    if (r.title.toLowerCase().includes(q)) return 2;
    return 3;
  };
  return replies
    .map((r) => ({ r, k: rank(r) }))
    .filter((x) => x.k < 3)
    .sort((a, b) => a.k - b.k || a.r.shortcut.localeCompare(b.r.shortcut))
    .slice(0, limit)
    .map((x) => x.r);
}

/** The reply box after a canned reply replaced the "/shortcut" being typed, and where the caret goes. */
export function insertCanned(text: string, trigger: CannedTrigger, caret: number, content: string): { text: string; caret: number } {
  const next = text.slice(0, trigger.start) + content + text.slice(caret);
  return { text: next, caret: trigger.start + content.length };
}

// ── Reconnecting and typing ─────────────────────────────────────────────────────────────────

export const RECONNECT_MIN_MS = 1_000;
export const RECONNECT_MAX_MS = 10_000;

/**
 * The wait before reconnect attempt `attempt` (0-based): 1 s doubling to 10 s, with ±20 %
 * jitter so that a restarted server is not hit by every console in the same instant.
 */
export function reconnectDelay(attempt: number, random: number): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.max(0, attempt));
  const jittered = Math.round(base * (0.8 + 0.4 * random));
  return Math.min(RECONNECT_MAX_MS, Math.max(RECONNECT_MIN_MS, jittered));
}

export interface TypingTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TypingSignal {
  /** Call on every keystroke. */
  input(): void;
  /** The message went out or the chat changed: stop at once if typing was announced. */
  stop(): void;
}

/**
 * "Typing" for the customer: announced at most once per `everyMs` while keys are pressed,
 * withdrawn after `idleMs` without one (WeChat shows it for up to 30 s).
 */
export function createTypingSignal(send: (typing: boolean) => void, timers: TypingTimers, everyMs = 5_000, idleMs = 3_000): TypingSignal {
  let lastSent = -Infinity;
  let announced = false;
  let idle: unknown = null;
  const stop = (): void => {
    if (idle !== null) timers.clearTimeout(idle);
    idle = null;
    if (announced) send(false);
    announced = false;
    lastSent = -Infinity;
  };
  return {
    input() {
      const now = timers.now();
      if (now - lastSent >= everyMs) {
        lastSent = now;
        announced = true;
        send(true);
      }
      if (idle !== null) timers.clearTimeout(idle);
      idle = timers.setTimeout(stop, idleMs);
    },
    stop,
  };
}
