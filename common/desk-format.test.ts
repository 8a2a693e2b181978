import { describe, expect, it, vi } from 'vitest';
import type { CannedReply, DeskMessage } from './desk-api.js';
import {
  applyDelivery,
  DeliveryLedger,
  cannedTrigger,
  countArrivals,
  createTypingSignal,
  canResend,
  deliveryState,
  duplicateHint,
  filterCanned,
  formatQuota,
  formatWaiting,
  formatWindow,
  insertCanned,
  lastMessageId,
  mergeMessages,
  newlyQueued,
  reconcileUnread,
  reconnectDelay,
  titleWithBadge,
  totalUnread,
  windowSecondsLeft,
} from './desk-format.js';

const msg = (id: number, over: Partial<DeskMessage> = {}): DeskMessage => ({
  id,
  conversationId: 1,
  direction: 'in',
  sender: 'customer',
  staff: null,
  kind: 'text',
  content: `m${id}`,
  delivery: null,
  deliveryNote: null,
  possibleDuplicate: false,
  createdAt: '2024-05-01T00:00:00Z',
  ...over,
});

describe('mergeMessages', () => {
  it('keeps each message once when a catch-up repeats what the socket delivered', () => {
    const merged = mergeMessages([msg(1), msg(2), msg(3)], [msg(2), msg(3), msg(4)]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 4]);
  });

  it('orders by id whatever order the messages arrive in', () => {
    expect(mergeMessages([msg(5)], [msg(3), msg(7), msg(4)]).map((m) => m.id)).toEqual([3, 4, 5, 7]);
  });

  it('lets the newer copy of a message win', () => {
    const held = [msg(1, { direction: 'out', sender: 'agent', delivery: 'pending' })];
    const merged = mergeMessages(held, [msg(1, { direction: 'out', sender: 'agent', delivery: 'sent' })]);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.delivery).toBe('sent');
  });

  it('does not change the array it was given', () => {
    const held = [msg(2)];
    mergeMessages(held, [msg(1)]);
    expect(held.map((m) => m.id)).toEqual([2]);
  });
});

describe('lastMessageId', () => {
  it.each([
    [[], null],
    [[msg(3), msg(9), msg(4)], 9],
  ])('of %j is %s', (held, expected) => {
    expect(lastMessageId(held)).toBe(expected);
  });
});

describe('applyDelivery', () => {
  it('marks a held message with its clear state', () => {
    const next = applyDelivery([msg(1), msg(2, { direction: 'out', delivery: 'pending' })], 2, 'held_window', '客户已超过48小时未互动');
    expect(next[1]).toMatchObject({ delivery: 'held_window', deliveryNote: '客户已超过48小时未互动' });
    expect(next[0]).toEqual(msg(1));
  });

  it('returns the same history for a message not held', () => {
    const held = [msg(1)];
    expect(applyDelivery(held, 99, 'sent', null)).toBe(held);
  });
});

describe('DeliveryLedger', () => {
  it('lets a delivery frame that overtook its message win over the older copy merged later', () => {
    const ledger = new DeliveryLedger();
    ledger.record(2, 'sent', null);
    const stale = msg(2, { direction: 'out', delivery: 'pending' });
    expect(ledger.apply([msg(1), stale])).toEqual([msg(1), { ...stale, delivery: 'sent', deliveryNote: null }]);
  });

  it('keeps the last frame of a message, and forgets the oldest messages beyond its size', () => {
    const ledger = new DeliveryLedger(2);
    ledger.record(1, 'held_window', '客户已超过48小时未互动');
    ledger.record(1, 'sent', null);
    ledger.record(2, 'failed', '网络错误');
    ledger.record(3, 'sent', null);
    const pending = (id: number) => msg(id, { direction: 'out', delivery: 'pending' });
    expect(ledger.apply([pending(1), pending(2), pending(3)]).map((m) => m.delivery)).toEqual(['pending', 'failed', 'sent']);
  });
});

describe('duplicateHint and canResend', () => {
  it.each([
    [{ direction: 'out', possibleDuplicate: true }, '可能重复发送'],
    [{ direction: 'out', possibleDuplicate: false }, null],
    [{ direction: 'in', possibleDuplicate: true }, null],
  ] as const)('%o → %s', (m, hint) => {
    expect(duplicateHint(m)).toBe(hint);
  });

  it('offers 重发 on a failed outbound message only', () => {
    expect(canResend({ direction: 'out', delivery: 'failed' })).toBe(true);
    expect(canResend({ direction: 'out', delivery: 'held_window' })).toBe(false);
    expect(canResend({ direction: 'out', delivery: 'sent' })).toBe(false);
    expect(canResend({ direction: 'in', delivery: null })).toBe(false);
  });

  it('keeps the possible-duplicate mark when a later frame arrives', () => {
    const marked = applyDelivery([msg(1, { direction: 'out', delivery: 'pending' })], 1, 'pending', null, true);
    expect(applyDelivery(marked, 1, 'sent', null)[0]).toMatchObject({ delivery: 'sent', possibleDuplicate: true });
    const ledger = new DeliveryLedger();
    ledger.record(2, 'sent', null, true);
    expect(ledger.apply([msg(2, { direction: 'out', delivery: 'pending' })])[0]).toMatchObject({ delivery: 'sent', possibleDuplicate: true });
  });
});

describe('deliveryState', () => {
  it.each([
    ['pending', null, '发送中', 'pending'],
    ['sent', null, '已送达', 'ok'],
    ['passive', null, '已送达', 'ok'],
    ['held_window', '客户已超过48小时未互动', '客户已超过48小时未互动', 'held'],
    ['held_quota', null, '已达条数上限', 'held'],
    ['failed', '网络错误', '发送失败', 'failed'],
  ] as const)('shows %s (%s) as %s', (delivery, note, label, tone) => {
    expect(deliveryState({ direction: 'out', delivery, deliveryNote: note })).toMatchObject({ label, tone });
  });

  it('tells the agent a held message goes out when the customer writes again', () => {
    expect(deliveryState({ direction: 'out', delivery: 'held_quota', deliveryNote: '已达条数上限' })?.detail).toContain('客户再次发消息时');
  });

  it('has nothing to say about customer messages and notes', () => {
    expect(deliveryState({ direction: 'in', delivery: null, deliveryNote: null })).toBeNull();
    expect(deliveryState({ direction: 'note', delivery: null, deliveryNote: null })).toBeNull();
  });
});

describe('unread counts', () => {
  it('takes the server count for a chat the console did not know', () => {
    expect(reconcileUnread({}, [{ id: 1, unread: 2 }], { viewing: null, heldMessages: new Set() })).toEqual({ 1: 2 });
  });

  it('keeps a count cleared by viewing when the console holds that chat’s messages', () => {
    expect(reconcileUnread({ 1: 0 }, [{ id: 1, unread: 4 }], { viewing: null, heldMessages: new Set([1]) })).toEqual({ 1: 0 });
  });

  it('raises a count to the server’s for a chat whose messages the console does not hold', () => {
    expect(reconcileUnread({ 1: 1 }, [{ id: 1, unread: 3 }], { viewing: null, heldMessages: new Set() })).toEqual({ 1: 3 });
  });

  it('treats the chat on screen as read and drops chats that left', () => {
    expect(reconcileUnread({ 1: 5, 2: 1 }, [{ id: 1, unread: 5 }], { viewing: 1, heldMessages: new Set() })).toEqual({ 1: 0 });
  });

  it('counts only customer messages arriving in a chat that is not on screen', () => {
    const arrivals = [msg(1), msg(2, { direction: 'out', sender: 'bot' }), msg(3, { direction: 'note', sender: 'agent' }), msg(4)];
    expect(countArrivals({ 7: 1 }, 7, arrivals, false)).toEqual({ 7: 3 });
  });

  it('clears the count of the chat on screen', () => {
    expect(countArrivals({ 7: 2 }, 7, [msg(1)], true)).toEqual({ 7: 0 });
  });

  it('sums the counts for the title', () => {
    expect(totalUnread({ 1: 2, 2: 0, 3: 1 })).toBe(3);
    expect(titleWithBadge('客服工作台', 3)).toBe('(3) 客服工作台');
    expect(titleWithBadge('客服工作台', 0)).toBe('客服工作台');
    expect(titleWithBadge('客服工作台', 120)).toBe('(99+) 客服工作台');
  });

  it('finds the customers who joined the queue', () => {
    expect(newlyQueued([{ conversationId: 1 }, { conversationId: 2 }], [{ conversationId: 2 }, { conversationId: 3 }])).toEqual([3]);
    expect(newlyQueued([{ conversationId: 1 }], [])).toEqual([]);
  });
});

describe('waiting, window and quota texts', () => {
  const t0 = Date.parse('2024-05-01T08:00:00Z');

  it.each([
    [0, '0秒'],
    [42, '42秒'],
    [5 * 60 + 7, '5分07秒'],
    [2 * 3600 + 5 * 60 + 59, '2小时05分'],
  ])('a customer who waited %i s has waited %s', (seconds, text) => {
    expect(formatWaiting('2024-05-01T08:00:00Z', t0 + seconds * 1000)).toBe(text);
  });

  it('counts the window down from when it closes', () => {
    const w = { closesAt: '2024-05-03T08:00:00Z', secondsLeft: 0 };
    expect(windowSecondsLeft(w, t0, t0)).toBe(48 * 3600);
    expect(windowSecondsLeft(w, t0 + 60_000, t0)).toBe(48 * 3600 - 60);
    expect(windowSecondsLeft(w, Date.parse('2024-05-04T00:00:00Z'), t0)).toBe(0);
  });

  it('counts down from the server’s figure when it gave no closing time', () => {
    expect(windowSecondsLeft({ closesAt: null, secondsLeft: 100 }, t0 + 30_000, t0)).toBe(70);
  });

  it.each([
    [47 * 3600 + 12 * 60, 'ok', '会话窗口剩余 47小时12分'],
    [47 * 3600 + 11 * 60 + 1, 'ok', '会话窗口剩余 47小时12分'],
    [90 * 60, 'low', '会话窗口剩余 1小时30分'],
    [59, 'low', '会话窗口剩余 1分'],
    [0, 'closed', '会话窗口已关闭（客户超过48小时未互动）'],
  ] as const)('a window with %i s left reads as %s "%s"', (seconds, level, text) => {
    expect(formatWindow({ closesAt: '2024-05-03T08:00:00Z' }, seconds)).toEqual({ level, text });
  });

  it('says the window is not open when the customer never wrote', () => {
    expect(formatWindow({ closesAt: null }, 0).level).toBe('closed');
  });

  it.each([
    [5, 'ok', '还可发送 5 条'],
    [3, 'ok', '还可发送 3 条'],
    [1, 'low', '还可发送 1 条'],
    [0, 'closed', '已达条数上限'],
  ] as const)('a quota of %i reads as %s "%s"', (quotaLeft, level, text) => {
    expect(formatQuota({ quotaLeft, quotaTotal: 5 })).toEqual({ level, text });
  });
});

describe('canned replies', () => {
  const reply = (id: number, shortcut: string, title: string): CannedReply => ({ id, shortcut, title, content: `${title}的内容` });
  const all = [reply(1, 'hi', '问候'), reply(2, 'bye', '结束语'), reply(3, 'hold', '请稍等'), reply(4, 'pwd', '重置密码 hi')];

  it.each([
    ['/', 1, { query: '', start: 0 }],
    ['/hi', 3, { query: 'hi', start: 0 }],
    ['您好 /ho', 6, { query: 'ho', start: 3 }],
    ['第一行\n/by', 7, { query: 'by', start: 4 }],
  ])('finds the shortcut being typed in %j', (text, caret, expected) => {
    expect(cannedTrigger(text, caret)).toEqual(expected);
  });

  it.each([
    ['a/b', 3],
    ['/hi there', 9],
    ['您好', 2],
  ])('does not open the list for %j', (text, caret) => {
    expect(cannedTrigger(text, caret)).toBeNull();
  });

  it('lists shortcuts that start with the query before those that merely contain it or match the title', () => {
    expect(filterCanned(all, 'h').map((r) => r.shortcut)).toEqual(['hi', 'hold', 'pwd']);
    expect(filterCanned(all, 'hi').map((r) => r.shortcut)).toEqual(['hi', 'pwd']);
    expect(filterCanned(all, 'O').map((r) => r.shortcut)).toEqual(['hold']);
  });

  it('lists everything for a bare slash, up to the limit', () => {
    expect(filterCanned(all, '')).toHaveLength(4);
    expect(filterCanned(all, '', 2)).toHaveLength(2);
  });

  it('replaces the shortcut typed with the reply and puts the caret after it', () => {
    const text = '您好 /ho 谢谢';
    const trigger = cannedTrigger(text, 6)!;
    expect(insertCanned(text, trigger, 6, '请稍等')).toEqual({ text: '您好 请稍等 谢谢', caret: 6 });
  });
});

describe('reconnectDelay', () => {
  it.each([
    [0, 0.5, 1000],
    [1, 0.5, 2000],
    [2, 0.5, 4000],
    [3, 0.5, 8000],
    [4, 0.5, 10000],
    [30, 0.5, 10000],
  ])('waits about 1 s doubling to 10 s (attempt %i)', (attempt, random, ms) => {
    expect(reconnectDelay(attempt, random)).toBe(ms);
  });

  it('spreads the waits by up to 20 % but stays within 1 s and 10 s', () => {
    expect(reconnectDelay(2, 0)).toBe(3200);
    expect(reconnectDelay(2, 1)).toBe(4800);
    expect(reconnectDelay(0, 0)).toBe(1000);
    expect(reconnectDelay(10, 1)).toBe(10000);
  });
});

describe('createTypingSignal', () => {
  const setup = () => {
    vi.useFakeTimers({ now: 0 });
    const sent: Array<[number, boolean]> = [];
    const signal = createTypingSignal((typing) => sent.push([Date.now(), typing]), {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    return { sent, signal };
  };

  it('announces typing at most every 5 s while keys are pressed', () => {
    const { sent, signal } = setup();
    for (let t = 0; t <= 12_000; t += 1000) {
      vi.setSystemTime(t);
      signal.input();
    }
    expect(sent).toEqual([[0, true], [5000, true], [10000, true]]);
    vi.useRealTimers();
  });

  it('withdraws it after 3 s without a key', () => {
    const { sent, signal } = setup();
    signal.input();
    vi.advanceTimersByTime(2000);
    signal.input();
    vi.advanceTimersByTime(2999);
    expect(sent).toEqual([[0, true]]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([[0, true], [5000, false]]);
    vi.useRealTimers();
  });

  it('withdraws it once when stopped, and announces again on the next key', () => {
    const { sent, signal } = setup();
    signal.input();
    signal.stop();
    signal.stop();
    vi.advanceTimersByTime(5000);
    signal.input();
    expect(sent.map(([, t]) => t)).toEqual([true, false, true]);
    vi.useRealTimers();
  });
});
