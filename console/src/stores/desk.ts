import { reactive, watch, watchEffect } from 'vue';
import { ElMessage } from 'element-plus';
import type {
  AgentStatus,
  CannedReply,
  ConversationDetail,
  ConversationSummary,
  DeskEvent,
  DeskMessage,
  QueueItem,
} from '../../../common/desk-api';
import {
  applyDelivery,
  countArrivals,
  DeliveryLedger,
  isCustomerMessage,
  lastMessageId,
  mergeMessages,
  newlyQueued,
  reconcileUnread,
  totalUnread,
  type UnreadCounts,
} from '../../../common/desk-format';
import * as api from '../api/desk';
import { beep } from '../composables/desk-sound';
import { createDeskSocket } from '../composables/desk-socket';
import { titleBadge } from '../composables/page-title';

/** Loading state of one list or one chat. */
export interface LoadState {
  loading: boolean;
  loaded: boolean;
  error: string;
}
const loadState = (): LoadState => ({ loading: false, loaded: false, error: '' });

/** A message typed here and not yet answered by the server (shown as 发送中, or failed with the reason). */
export interface PendingMessage {
  localId: number;
  conversationId: number;
  text: string;
  note: boolean;
  error: string | null;
  createdAt: string;
}

/** Why a chat on screen is no longer mine. */
const GONE_REASONS = {
  transfer: '该会话已转接给其他客服',
  no_answer: '因长时间未回复，该会话已重新分配给其他客服',
  closed: '会话已结束',
} as const;

/**
 * The agent desk: the queue, my open chats, the messages of every chat opened, unread counts,
 * and the socket that keeps them live. One module-level store, like stores/session.ts.
 */
export const desk = reactive({
  staffId: null as number | null,
  queue: [] as QueueItem[],
  queueState: loadState(),
  chats: [] as ConversationSummary[],
  chatsState: loadState(),
  messages: {} as Record<number, DeskMessage[]>,
  messagesState: {} as Record<number, LoadState>,
  details: {} as Record<number, { detail: ConversationDetail; fetchedAt: number }>,
  detailState: {} as Record<number, LoadState>,
  pending: {} as Record<number, PendingMessage[]>,
  unread: {} as UnreadCounts,
  /** New customers in the queue since the agent last looked at it. */
  queueUnseen: 0,
  /** The queue tab is on screen: new customers there are seen. */
  queueVisible: false,
  /** The chat on screen. */
  viewing: null as number | null,
  gone: {} as Record<number, string>,
  accepting: null as number | null,
  myStatus: null as AgentStatus | null,
  statusSaving: false,
  canned: [] as CannedReply[],
  cannedState: loadState(),
});

export const socket = createDeskSocket(handleEvent);

let started = false;
let stopTitle: (() => void) | null = null;
let stopProbe: (() => void) | null = null;
let localIds = 0;
/** Delivery frames that may overtake their message (see DeliveryLedger). */
const deliveries = new DeliveryLedger();

export function startDesk(staffId: number): void {
  if (started) return;
  started = true;
  desk.staffId = staffId;
  document.addEventListener('visibilitychange', onVisibility);
  stopTitle = watchEffect(() => {
    titleBadge.value = totalUnread(desk.unread) + desk.queueUnseen;
  });
  // The socket cannot tell why it keeps failing; a plain request can: a 401 leads to the login page.
  stopProbe = watch(socket.state, (state) => {
    if (state === 'disconnected' && started) void loadQueue();
  });
  socket.start();
  void refreshAll();
  void loadMyStatus();
}

/** Logging out: forget everything, close the socket. */
export function stopDesk(): void {
  if (!started) return;
  started = false;
  socket.stop();
  document.removeEventListener('visibilitychange', onVisibility);
  stopTitle?.();
  stopProbe?.();
  titleBadge.value = 0;
  Object.assign(desk, {
    staffId: null, queue: [], queueState: loadState(), chats: [], chatsState: loadState(), messages: {}, messagesState: {},
    details: {}, detailState: {}, pending: {}, unread: {}, queueUnseen: 0, viewing: null, gone: {}, accepting: null, myStatus: null,
    canned: [], cannedState: loadState(),
  });
}

/** After a (re)connect: the queue, my chats, and what each chat held here missed. */
export async function refreshAll(): Promise<void> {
  const held = Object.keys(desk.messages).map(Number);
  await Promise.all([loadQueue(), loadMyChats(), ...held.map(catchUp), desk.viewing ? loadDetail(desk.viewing) : Promise.resolve()]);
}

export async function loadQueue(): Promise<void> {
  await track(desk.queueState, async () => {
    desk.queue = (await api.listQueue()).items;
    desk.queueUnseen = Math.min(desk.queueUnseen, desk.queue.length);
  });
}

export async function loadMyChats(): Promise<void> {
  await track(desk.chatsState, async () => {
    const page = await api.listMyConversations();
    desk.chats = sortChats(page.items);
    desk.unread = reconcileUnread(desk.unread, page.items, { viewing: viewingNow(), heldMessages: new Set(Object.keys(desk.messages).map(Number)) });
  });
}

/** Open a chat in the centre column: its whole history (bot's part included) and its customer panel. */
export function openChat(id: number): void {
  desk.viewing = id;
  markRead(id);
  if (!desk.messages[id]) void loadMessages(id);
  void loadDetail(id);
}

export async function loadMessages(id: number): Promise<void> {
  await track((desk.messagesState[id] ??= loadState()), async () => {
    const { items } = await api.listMessages(id);
    desk.messages[id] = mergeMessages(desk.messages[id] ?? [], deliveries.apply(items));
  });
}

async function catchUp(id: number): Promise<void> {
  const held = desk.messages[id];
  if (!held) return;
  try {
    const { items } = await api.listMessages(id, lastMessageId(held));
    receive(id, items);
  } catch {
    /* the next hello tries again; the chat keeps what it had */
  }
}

export async function loadDetail(id: number): Promise<void> {
  await track((desk.detailState[id] ??= loadState()), async () => {
    desk.details[id] = { detail: await api.getConversation(id), fetchedAt: Date.now() };
  });
}

const detailTimers = new Map<number, ReturnType<typeof setTimeout>>();
/** The window and quota change with every message: refetch once a burst is over. */
function refreshDetailSoon(id: number): void {
  if (desk.viewing !== id) return;
  clearTimeout(detailTimers.get(id));
  detailTimers.set(id, setTimeout(() => {
    detailTimers.delete(id);
    void loadDetail(id);
  }, 400));
}

export async function accept(id: number): Promise<ConversationSummary> {
  desk.accepting = id;
  try {
    const chat = await api.acceptConversation(id);
    takeChat(chat);
    desk.queue = desk.queue.filter((q) => q.conversationId !== id);
    return chat;
  } catch (err) {
    void loadQueue(); // someone else was faster, or the customer left: show the queue as it is
    throw err;
  } finally {
    desk.accepting = null;
  }
}

/** Send a reply (or a private note): shown at once as 发送中, replaced by the server's message. */
export async function send(conversationId: number, text: string, note: boolean): Promise<void> {
  const p: PendingMessage = { localId: ++localIds, conversationId, text, note, error: null, createdAt: new Date().toISOString() };
  (desk.pending[conversationId] ??= []).push(p);
  await deliverPending(p);
}

export async function retryPending(p: PendingMessage): Promise<void> {
  const live = findPending(p);
  if (!live) return;
  live.error = null;
  await deliverPending(live);
}

export function discardPending(p: PendingMessage): void {
  const list = desk.pending[p.conversationId];
  if (list) desk.pending[p.conversationId] = list.filter((x) => x.localId !== p.localId);
}

async function deliverPending(p: PendingMessage): Promise<void> {
  try {
    const message = p.note ? await api.addNote(p.conversationId, p.text) : await api.sendMessage(p.conversationId, p.text);
    discardPending(p);
    receive(p.conversationId, [message]);
    if (!p.note) refreshDetailSoon(p.conversationId);
  } catch (err) {
    const live = findPending(p);
    if (live) live.error = (err as Error).message;
    throw err;
  }
}

const findPending = (p: PendingMessage): PendingMessage | undefined => desk.pending[p.conversationId]?.find((x) => x.localId === p.localId);

/**
 * 重发 a failed message. Its delivery frames (pending, then sent or failed) may overtake this
 * answer: the answer's state is applied only to a copy that still shows failed.
 */
export async function resend(m: DeskMessage): Promise<void> {
  const message = await api.resendMessage(m.conversationId, m.id);
  const held = desk.messages[m.conversationId];
  if (held?.find((x) => x.id === m.id)?.delivery !== 'failed') return;
  deliveries.record(m.id, message.delivery, message.deliveryNote, message.possibleDuplicate);
  desk.messages[m.conversationId] = applyDelivery(held, m.id, message.delivery, message.deliveryNote, message.possibleDuplicate);
}

export async function transfer(id: number, agent: number, note: string): Promise<void> {
  await api.transferConversation(id, agent, note || undefined);
  leave(id, GONE_REASONS.transfer);
}

export async function close(id: number): Promise<void> {
  const chat = await api.closeConversation(id);
  closed(chat);
}

export async function loadCanned(force = false): Promise<void> {
  if (desk.cannedState.loaded && !force) return;
  await track(desk.cannedState, async () => {
    desk.canned = (await api.listCanned()).items;
  });
}

async function loadMyStatus(): Promise<void> {
  try {
    const me = (await api.listAgents()).items.find((a) => a.id === desk.staffId);
    desk.myStatus = me?.status ?? null;
  } catch {
    desk.myStatus = null; // the switch shows no choice; picking one sets it
  }
}

export async function setStatus(status: AgentStatus): Promise<void> {
  desk.statusSaving = true;
  try {
    desk.myStatus = (await api.setMyStatus(status)).status;
  } finally {
    desk.statusSaving = false;
  }
}

/** The queue tab came into view (or left it). */
export function setQueueVisible(visible: boolean): void {
  desk.queueVisible = visible;
  if (visible && document.visibilityState === 'visible') desk.queueUnseen = 0;
}

export function markRead(id: number): void {
  if (desk.unread[id]) desk.unread[id] = 0;
}

// ── Live frames ─────────────────────────────────────────────────────────────────────────────

function handleEvent(event: DeskEvent): void {
  switch (event.type) {
    case 'hello':
      desk.staffId = event.staffId;
      void refreshAll();
      return;
    case 'message':
      return onMessage(event.message);
    case 'delivery': {
      deliveries.record(event.messageId, event.delivery, event.deliveryNote, event.possibleDuplicate);
      const held = desk.messages[event.conversationId];
      if (held) desk.messages[event.conversationId] = applyDelivery(held, event.messageId, event.delivery, event.deliveryNote, event.possibleDuplicate);
      return;
    }
    case 'queue':
      return onQueue(event.items);
    case 'assigned':
      return onAssigned(event.conversation, event.note);
    case 'closed':
      return closed(event.conversation);
    case 'unassigned':
      return leave(event.conversationId, GONE_REASONS[event.reason]);
  }
}

function onMessage(m: DeskMessage): void {
  const fresh = receive(m.conversationId, [m]);
  if (fresh.some(isCustomerMessage) && desk.chats.some((c) => c.id === m.conversationId)) {
    if (!viewingChatNow(m.conversationId)) beep();
    refreshDetailSoon(m.conversationId); // the customer wrote: the window and quota start again
  }
}

/** Messages into a chat: merged, the preview and unread count updated. Returns the ones not held before. */
function receive(conversationId: number, incoming: DeskMessage[]): DeskMessage[] {
  if (incoming.length === 0) return [];
  const items = deliveries.apply(incoming);
  const held = desk.messages[conversationId];
  const known = new Set((held ?? []).map((m) => m.id));
  const fresh = items.filter((m) => !known.has(m.id));
  if (held) desk.messages[conversationId] = mergeMessages(held, items);
  const chat = desk.chats.find((c) => c.id === conversationId);
  const shown = fresh.filter((m) => m.direction !== 'note');
  const last = shown[shown.length - 1];
  if (chat && last) {
    chat.lastMessage = last.content;
    chat.lastMessageAt = last.createdAt;
    desk.chats = sortChats(desk.chats);
  }
  if (chat) desk.unread = countArrivals(desk.unread, conversationId, fresh, viewingChatNow(conversationId));
  return fresh;
}

function onQueue(items: QueueItem[]): void {
  const added = newlyQueued(desk.queue, items);
  desk.queue = items;
  desk.queueState.loaded = true;
  if (added.length === 0) {
    desk.queueUnseen = Math.min(desk.queueUnseen, items.length);
    return;
  }
  beep();
  if (!(desk.queueVisible && document.visibilityState === 'visible')) desk.queueUnseen = Math.min(desk.queueUnseen + added.length, items.length);
}

function onAssigned(chat: ConversationSummary, note: string | null): void {
  desk.queue = desk.queue.filter((q) => q.conversationId !== chat.id);
  if (chat.assignee?.id !== desk.staffId) return leave(chat.id, GONE_REASONS.transfer);
  const isNew = !desk.chats.some((c) => c.id === chat.id);
  takeChat(chat);
  if (isNew && desk.accepting !== chat.id) {
    beep();
    ElMessage({ type: 'info', message: note ? `新会话：${chat.customer.name}（备注：${note}）` : `新会话：${chat.customer.name}`, duration: 5000 });
  }
}

function takeChat(chat: ConversationSummary): void {
  const i = desk.chats.findIndex((c) => c.id === chat.id);
  if (i >= 0) desk.chats[i] = chat;
  else desk.chats.push(chat);
  desk.chats = sortChats(desk.chats);
  if (!(chat.id in desk.unread)) desk.unread[chat.id] = viewingChatNow(chat.id) ? 0 : chat.unread;
  delete desk.gone[chat.id];
  const held = desk.details[chat.id];
  if (held) held.detail = { ...held.detail, ...chat };
  if (desk.viewing === chat.id) void loadDetail(chat.id);
}

function closed(chat: ConversationSummary): void {
  const held = desk.details[chat.id];
  if (held) held.detail = { ...held.detail, ...chat };
  leave(chat.id, GONE_REASONS.closed);
}

/** A chat is no longer mine: out of the list; if on screen, it stays there read-only with the reason. */
function leave(id: number, reason: string): void {
  if (!desk.chats.some((c) => c.id === id) && desk.viewing !== id) return;
  desk.chats = desk.chats.filter((c) => c.id !== id);
  delete desk.unread[id];
  if (desk.viewing === id) desk.gone[id] = reason;
}

function onVisibility(): void {
  if (document.visibilityState !== 'visible') return;
  if (desk.viewing !== null) markRead(desk.viewing);
  if (desk.queueVisible) desk.queueUnseen = 0;
}

const viewingNow = (): number | null => (document.visibilityState === 'visible' ? desk.viewing : null);
const viewingChatNow = (id: number): boolean => viewingNow() === id;

/** Most recent activity first. */
function sortChats(chats: ConversationSummary[]): ConversationSummary[] {
  const at = (c: ConversationSummary): number => Date.parse(c.lastMessageAt ?? c.assignedAt ?? c.createdAt) || 0;
  return chats.slice().sort((a, b) => at(b) - at(a));
}

async function track(state: LoadState, work: () => Promise<void>): Promise<void> {
  state.loading = true;
  state.error = '';
  try {
    await work();
    state.loaded = true;
  } catch (err) {
    state.error = (err as Error).message;
  } finally {
    state.loading = false;
  }
}
