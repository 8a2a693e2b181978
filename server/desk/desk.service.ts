import { eq } from 'drizzle-orm';
import type {
  AgentInfo,
  AgentStatus,
  CannedReply,
  CannedReplyInput,
  ConversationDetail,
  ConversationStatus,
  ConversationSummary,
  DeskMessage,
  LeftMessage,
  LeftMessageFilter,
  Page,
  QueueItem,
} from '../../common/desk-api.js';
import type { StaffMe } from '../../common/staff-api.js';
import type { DbOrTx } from '../db/client.js';
import { insertMessage } from '../chat/conversations.repo.js';
import { lockLeftMessage, markLeftMessageHandled } from './left-messages.repo.js';
import { BadRequest, NotFound } from '../http/errors.js';
import type { Logger } from '../platform/logger.js';
import { hashOpenid } from '../platform/logger.js';
import { staff } from '../staff/schema.js';
import type { WeChatApi } from '../wechat/api-client.js';
import { ERR, WeChatApiError } from '../wechat/api-errors.js';
import { createCanned, deleteCanned, listCanned, updateCanned } from './canned.js';
import type { DeskCore } from './desk.core.js';
import * as q from './desk.queries.js';
import { AgentUnavailable, Conflict, notOpen, notYours } from './errors.js';
import { sayToCustomer } from '../chat/outbound.js';
import { requeueFailed } from '../outbox/outbox.repo.js';
import { activeCount, assignIfQueued, lockAssignment, markLastAssigned } from './queue.repo.js';
import { maxConcurrentOf, staffByIdOrUsername } from './agents.repo.js';
import { chatById, markAgentAnswered, transferChat, type ChatRow } from './chat-state.repo.js';
import { deskTexts } from './texts.js';

/**
 * What agents and admins do at the desk (common/desk-api.ts). Each method: guard (who may act on
 * this chat), the rule, storage, and the API shape. Agents act only on their own chats; admins
 * on any. Reading (queue, history, detail, search) is open to both roles.
 */
export class DeskService {
  constructor(private readonly core: DeskCore, private readonly api: Pick<WeChatApi, 'typing'>, private readonly logger: Logger) {}

  private get db() {
    return this.core.db;
  }

  queue(): Promise<QueueItem[]> {
    return q.listQueue(this.db);
  }

  mine(me: StaffMe, page: number, pageSize: number): Promise<Page<ConversationSummary>> {
    return q.listMine(this.db, me.id, page, pageSize);
  }

  search(f: { q?: string; status?: ConversationStatus }, page: number, pageSize: number): Promise<Page<ConversationSummary>> {
    return q.searchConversations(this.db, f, page, pageSize);
  }

  async detail(id: number): Promise<ConversationDetail> {
    return (await q.conversationDetail(this.db, id, this.core.bindUrl(), this.core.now())) ?? notFound(id);
  }

  async messages(id: number, after: number): Promise<{ items: DeskMessage[] }> {
    await this.load(this.db, id);
    return { items: await q.listMessages(this.db, id, after) };
  }

  /** Takes a queued chat: one winner when several agents click at once (on any instance). */
  async accept(me: StaffMe, id: number): Promise<ConversationSummary> {
    const won = await this.core.tx(async (tx, fx) => {
      await lockAssignment(tx);
      const c = await this.load(tx, id);
      if (c.status === 'closed') throw notOpen();
      if (c.status === 'assigned') throw new Conflict('already_taken', '该会话已被其他客服接入');
      if (c.status !== 'queued') throw notYours();
      if ((await activeCount(tx, me.id)) >= ((await maxConcurrentOf(tx, me.id)) ?? 0)) throw new Conflict('at_capacity', '您的接待数已达上限');
      const row = await assignIfQueued(tx, id, me.id, this.core.now());
      if (!row) throw new Conflict('already_taken', '该会话已被其他客服接入');
      fx.emit('conversation.assigned', { conversationId: id, customerId: row.customerId, staffId: me.id, previousStaffId: null, reason: 'accept', note: null });
      fx.emit('queue.changed', { reason: 'accepted' });
      await sayToCustomer(tx, fx, { conversationId: id, openid: row.openid, text: deskTexts.connected(me.displayName), sender: 'system' });
      return true;
    });
    if (won) await this.core.notifyPositions();
    return this.summary(id);
  }

  /** An agent's message: history row and outbox row in one transaction; the outbox worker sends it. */
  async send(me: StaffMe, id: number, text: string): Promise<DeskMessage> {
    const message = await this.core.tx(async (tx, fx) => {
      const c = await this.actOn(tx, me, id, { open: true });
      const m = await sayToCustomer(tx, fx, { conversationId: id, openid: c.openid, text, sender: 'agent', staffId: me.id });
      await markAgentAnswered(tx, id, this.core.now());
      return m;
    });
    return (await q.messageById(this.db, message.id))!;
  }

  /**
   * 重发: a message whose delivery failed for good goes back into the outbox. The same guard as
   * sending (one's own open chat, or an admin); the console sees it go pending, then sent or failed.
   */
  async resend(me: StaffMe, id: number, messageId: number): Promise<DeskMessage> {
    await this.core.tx(async (tx, fx) => {
      await this.actOn(tx, me, id, { open: true });
      if (!(await q.outboundMessageIn(tx, id, messageId))) throw new NotFound('message', messageId);
      const change = await requeueFailed(tx, messageId, this.core.now());
      if (!change) throw new Conflict('not_failed', '只有发送失败的消息可以重发');
      fx.emit('message.delivery', { conversationId: id, messageId, delivery: 'pending', errcode: null, possibleDuplicate: change.possibleDuplicate });
      fx.emit('outbox.enqueued', { outboxId: change.outboxId });
    });
    return (await q.messageById(this.db, messageId))!;
  }

  /** A private note: staff only, never sent. Allowed on closed chats too (follow-up). */
  async note(me: StaffMe, id: number, text: string): Promise<DeskMessage> {
    const message = await this.core.tx(async (tx, fx) => {
      await this.actOn(tx, me, id, { open: false });
      const m = await insertMessage(tx, { conversationId: id, direction: 'note', sender: 'agent', kind: 'text', content: text, staffId: me.id });
      fx.emit('message.created', { conversationId: id, messageId: m.id, direction: 'note', sender: 'agent' });
      return m;
    });
    return (await q.messageById(this.db, message.id))!;
  }

  async transfer(me: StaffMe, id: number, target: number | string, note: string | null): Promise<ConversationSummary> {
    await this.core.tx(async (tx, fx) => {
      await lockAssignment(tx);
      const c = await this.actOn(tx, me, id, { open: true });
      if (c.status !== 'assigned') throw new Conflict('not_open', '会话不在服务中，无法转接');
      const to = await staffByIdOrUsername(tx, target);
      if (!to || !['agent', 'admin'].includes(to.role)) throw new NotFound('agent', String(target));
      if (to.id === c.assignee_id) throw new BadRequest('会话已在该客服名下', 'invalid_input');
      if (to.status !== 'online' || (await activeCount(tx, to.id)) >= to.max_concurrent) throw new AgentUnavailable();
      const now = this.core.now();
      await transferChat(tx, id, to.id, now);
      await markLastAssigned(tx, to.id, now);
      const m = await insertMessage(tx, { conversationId: id, direction: 'note', sender: 'agent', kind: 'transfer', content: `${me.displayName} 转接给 ${to.display_name}${note ? `：${note}` : ''}`, staffId: me.id });
      fx.emit('message.created', { conversationId: id, messageId: m.id, direction: 'note', sender: 'agent' });
      fx.emit('conversation.assigned', { conversationId: id, customerId: c.customer_id, staffId: to.id, previousStaffId: c.assignee_id, reason: 'transfer', note });
      await sayToCustomer(tx, fx, { conversationId: id, openid: c.openid, text: deskTexts.transferred(to.display_name), sender: 'system' });
    });
    return this.summary(id);
  }

  async close(me: StaffMe, id: number): Promise<ConversationSummary> {
    await this.actOn(this.db, me, id, { open: true });
    const result = await this.core.close(id, me.role === 'admin' ? 'admin' : 'agent', { closingText: deskTexts.endedByAgent, unservedText: deskTexts.endedByAgent, passive: false, staffId: me.id });
    if (!result.closed) throw notOpen();
    return this.summary(id);
  }

  /** Forwards "typing" to WeChat; it only works within 30 s of the customer's message (45080), so that refusal is expected. */
  async typing(me: StaffMe, id: number, typing: boolean): Promise<void> {
    const c = await this.actOn(this.db, me, id, { open: true });
    try {
      await this.api.typing(c.openid, typing);
    } catch (err) {
      if (!(err instanceof WeChatApiError && err.errcode === ERR.typingOutOfWindow)) this.logger.info({ err: (err as Error).message, user: hashOpenid(c.openid) }, 'typing not forwarded');
    }
  }

  agents(): Promise<{ items: AgentInfo[] }> {
    return q.listAgents(this.db).then((items) => ({ items }));
  }

  async setStatus(me: StaffMe, status: AgentStatus): Promise<AgentInfo> {
    await this.db.update(staff).set({ status }).where(eq(staff.id, me.id));
    await this.core.o.bus.emit('agent.status', { staffId: me.id, status });
    if (status === 'online') await this.core.afterCapacityChange();
    const [info] = await q.listAgents(this.db, me.id);
    return info!;
  }

  canned(): Promise<{ items: CannedReply[] }> {
    return listCanned(this.db).then((items) => ({ items }));
  }
  createCanned(input: CannedReplyInput): Promise<CannedReply> {
    return createCanned(this.db, input);
  }
  updateCanned(id: number, input: CannedReplyInput): Promise<CannedReply> {
    return updateCanned(this.db, id, input);
  }
  deleteCanned(id: number): Promise<void> {
    return deleteCanned(this.db, id);
  }

  leftMessages(status: LeftMessageFilter, page: number, pageSize: number): Promise<Page<LeftMessage>> {
    return q.listLeftMessages(this.db, status, page, pageSize);
  }

  async leftMessageDone(me: StaffMe, id: number): Promise<LeftMessage> {
    if (!(await markLeftMessageHandled(this.db, id, me.id, this.core.now()))) throw new NotFound('left message', id);
    return (await q.leftMessageById(this.db, id))!;
  }

  /**
   * Answers a left message: the reply goes to the customer through the outbox (the chat may be
   * closed; WeChat's 48 h window and quota decide whether it is sent or held), and the message is
   * marked done by whoever answered. Open to every desk user, like marking it done.
   */
  async replyToLeftMessage(me: StaffMe, id: number, text: string): Promise<LeftMessage> {
    await this.core.tx(async (tx, fx) => {
      const lm = await lockLeftMessage(tx, id);
      if (!lm) throw new NotFound('left message', id);
      await sayToCustomer(tx, fx, { conversationId: lm.conversationId, openid: lm.openid, text, sender: 'agent', staffId: me.id });
      await markLeftMessageHandled(tx, id, me.id, this.core.now());
    });
    return (await q.leftMessageById(this.db, id))!;
  }

  private async summary(id: number): Promise<ConversationSummary> {
    return (await q.summaryById(this.db, id)) ?? notFound(id);
  }

  /** Inside a transaction the chat is locked for the change. */
  private async load(db: DbOrTx, id: number): Promise<ChatRow> {
    return (await chatById(db, id, db !== this.db)) ?? notFound(id);
  }

  /** The guard: an agent acts only on a chat assigned to them; an admin on any. `open`: refuse closed chats. */
  private async actOn(db: DbOrTx, me: StaffMe, id: number, o: { open: boolean }): Promise<ChatRow> {
    const c = await this.load(db, id);
    const mine = c.assignee_id === me.id && c.assigned_at !== null && (c.status === 'assigned' || c.status === 'closed');
    if (me.role !== 'admin' && !mine) throw notYours();
    if (o.open && c.status === 'closed') throw notOpen();
    if (o.open && me.role !== 'admin' && c.status !== 'assigned') throw notYours();
    return c;
  }
}

function notFound(id: number): never {
  throw new NotFound('conversation', id);
}
