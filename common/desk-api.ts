/**
 * The desk API: the agent console and external checks use it. JSON, staff session
 * by cookie (`staff_session`, from POST /api/staff/session). Dates are ISO 8601 strings.
 * Server: server/desk/desk.routes.ts and server/desk/desk.ws.ts. Console: console/src/api/desk.ts.
 * Every route is described in the OpenAPI document at GET /api/openapi.json.
 *
 * Routes named by the issue (exact):
 *   GET    /api/desk/queue                                   → { items: QueueItem[] }
 *   GET    /api/desk/conversations?mine=1                    → Page<ConversationSummary>  (my open chats)
 *   GET    /api/desk/conversations?q=&status=&page=&pageSize= → Page<ConversationSummary> (search of past chats)
 *   GET    /api/desk/conversations/:id/messages?after=       → { items: DeskMessage[] }  (after: a message id)
 *   POST   /api/desk/conversations/:id/accept                → ConversationSummary
 *   POST   /api/desk/conversations/:id/messages  { text }    → DeskMessage
 *   POST   /api/desk/conversations/:id/transfer  { agent, note? } → ConversationSummary  (agent: a staff id or username)
 *   POST   /api/desk/conversations/:id/close                 → ConversationSummary
 *   POST   /api/desk/conversations/:id/messages/:messageId/resend → DeskMessage (重发 a failed message)
 *   WS     /api/desk/ws                                      → DeskEvent frames (JSON text)
 * And what the console needs beside them:
 *   GET    /api/desk/conversations/:id                       → ConversationDetail (summary + customer panel + window/quota)
 *   POST   /api/desk/conversations/:id/notes     { text }    → DeskMessage (private, never sent)
 *   POST   /api/desk/conversations/:id/typing    { typing }  → 204 (forwarded to WeChat within its 30 s rule)
 *   GET    /api/desk/agents                                  → { items: AgentInfo[] }   (transfer targets, load)
 *   PUT    /api/desk/me/status   { status }                  → AgentInfo
 *   GET    /api/desk/canned                                  → { items: CannedReply[] }
 *   POST   /api/desk/canned      CannedReplyInput            → CannedReply   (admin)
 *   PUT    /api/desk/canned/:id  CannedReplyInput            → CannedReply   (admin)
 *   DELETE /api/desk/canned/:id                              → 204           (admin)
 *   GET    /api/desk/left-messages?status=open|done|all&page= → Page<LeftMessage>
 *   POST   /api/desk/left-messages/:id/done                  → LeftMessage
 *   POST   /api/desk/left-messages/:id/reply  {text}         → LeftMessage (answered through the outbox, marked done)
 *
 * Roles: agent and admin use the desk (technicians get 403). An agent acts only on chats
 * assigned to them (accept: only queued chats; 403 `not_yours` otherwise); an admin may act
 * on any chat. Errors use ApiErrorBody (common/staff-api.ts) with these codes:
 *   400 invalid_input · 401 not_logged_in · 403 forbidden | not_yours · 404 not_found ·
 *   409 already_taken (someone accepted first) | not_open (closed chat) | at_capacity | not_failed (resend of a
 *   message that did not fail) · 422 agent_unavailable
 */

import type { StaffRole } from './staff-api.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** bot → queued → assigned → closed; 'message' = out of hours or after a queue timeout, waiting for a left message. */
export const CONVERSATION_STATUSES = ['bot', 'queued', 'assigned', 'message', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** The 留言 list's filter: 'all' is both; the console's 全部 tab must send it, since an empty value is dropped from the query. */
export const LEFT_MESSAGE_FILTERS = ['open', 'done', 'all'] as const;
export type LeftMessageFilter = (typeof LEFT_MESSAGE_FILTERS)[number];

export const AGENT_STATUSES = ['online', 'away', 'offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** 0 = priority lane (VIP, or a unit with a valid service level), 1 = everyone else. */
export type QueueLane = 0 | 1;

export interface CustomerBrief {
  id: number;
  /** The account's display name, or "微信用户 xxxx" (last 4 of a hash) when not bound. */
  name: string;
  bound: boolean;
  vip: boolean;
  unitName: string | null;
}

export interface QueueItem {
  conversationId: number;
  customer: CustomerBrief;
  lane: QueueLane;
  /** 1-based, in serving order (lane, then queued time). */
  position: number;
  queuedAt: string;
  /** The customer's last message, for the preview. */
  lastMessage: string | null;
}

export interface ConversationSummary {
  id: number;
  status: ConversationStatus;
  customer: CustomerBrief;
  assignee: { id: number; displayName: string } | null;
  createdAt: string;
  queuedAt: string | null;
  assignedAt: string | null;
  closedAt: string | null;
  closeReason: string | null;
  lastMessage: string | null;
  lastMessageAt: string | null;
  /** Customer messages newer than the assignee's last message (unread badge). */
  unread: number;
  rating: { score: number; comment: string | null } | null;
}

/**
 * direction: in (customer) | out (to the customer) | note (private, staff only).
 * sender: customer | bot | agent | system.
 * delivery (out only): passive (the reply to a push) | pending | sent | held_window (45015) |
 * held_quota (45047) | failed. Held messages are kept and go out when the customer writes again.
 */
export interface DeskMessage {
  id: number;
  conversationId: number;
  direction: 'in' | 'out' | 'note';
  sender: 'customer' | 'bot' | 'agent' | 'system';
  /** The agent who wrote it (agent messages and notes). */
  staff: { id: number; displayName: string } | null;
  kind: string;
  content: string;
  delivery: 'passive' | 'pending' | 'sent' | 'held_window' | 'held_quota' | 'failed' | null;
  /** The clear state for a held or failed message, e.g. "客户已超过48小时未互动" / "已达条数上限". */
  deliveryNote: string | null;
  /**
   * The send was started, its worker died before the outcome was stored, and it was sent again
   * (docs/outbox.md): the customer may have received it twice. The console shows 可能重复发送.
   */
  possibleDuplicate: boolean;
  createdAt: string;
}

export interface CustomerPanel {
  customer: CustomerBrief;
  account: { username: string; mobile: string | null; email: string | null } | null;
  unit: { name: string; serviceCode: string; serviceLevel: string | null; serviceValidUntil: string | null } | null;
  /** The bind link to offer an unbound customer. */
  bindUrl: string | null;
  /** Filled in by tickets; empty until then. */
  openTickets: Array<{ id: number; title: string; status: string }>;
  pastChats: Array<{ id: number; createdAt: string; closedAt: string | null; agent: string | null; rating: number | null }>;
  ratings: { count: number; average: number | null };
}

/** The WeChat customer-service window for this customer (DESIGN.md §3). */
export interface WindowInfo {
  /** When the 48 h window closes; null when the customer never wrote. */
  closesAt: string | null;
  secondsLeft: number;
  /** Messages that may still be sent in this window (5 after the customer's last message). */
  quotaLeft: number;
  quotaTotal: number;
}

export interface ConversationDetail extends ConversationSummary {
  panel: CustomerPanel;
  window: WindowInfo;
}

export interface AgentInfo {
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
  status: AgentStatus;
  maxConcurrent: number;
  /** Open chats assigned now. */
  active: number;
}

export interface CannedReply {
  id: number;
  /** Typed after "/" in the reply box, e.g. "hi" → "/hi". Letters, digits, - and _. */
  shortcut: string;
  title: string;
  content: string;
}
export type CannedReplyInput = Omit<CannedReply, 'id'>;

export interface LeftMessage {
  id: number;
  conversationId: number;
  customer: CustomerBrief;
  content: string;
  status: 'open' | 'done';
  createdAt: string;
  handledBy: string | null;
  handledAt: string | null;
  /** The last agent reply in its conversation, with its delivery (48 h window and quota apply). */
  lastReply: { content: string; delivery: DeskMessage['delivery']; at: string; by: string | null } | null;
}

/**
 * WebSocket frames, server → console. `seq` increases per connection. On (re)connect the server
 * first sends `hello`; the console then refetches the queue, its chats and, for each open chat,
 * the messages after the last id it holds (GET …/messages?after=), so nothing missed is lost.
 * The console may send {"type":"ping"}; the server answers {"type":"pong"}.
 */
export type DeskEvent =
  | { type: 'hello'; seq: number; staffId: number; serverTime: string }
  | { type: 'message'; seq: number; message: DeskMessage }
  /** A delivery state changed (sent, held, failed). */
  | { type: 'delivery'; seq: number; conversationId: number; messageId: number; delivery: DeskMessage['delivery']; deliveryNote: string | null; possibleDuplicate: boolean }
  /** The queue changed: the whole queue, it is short. */
  | { type: 'queue'; seq: number; items: QueueItem[] }
  | { type: 'assigned'; seq: number; conversation: ConversationSummary; note: string | null }
  | { type: 'closed'; seq: number; conversation: ConversationSummary }
  /** A chat left this agent (transferred away or reassigned for no answer). */
  | { type: 'unassigned'; seq: number; conversationId: number; reason: 'transfer' | 'no_answer' | 'closed' };
