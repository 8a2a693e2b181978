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

import type { z } from 'zod';
import type * as S from './desk-schemas.js';

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** bot → queued → assigned → closed; 'message' = out of hours or after a queue timeout, waiting for a left message. */
export const CONVERSATION_STATUSES = ['bot', 'queued', 'assigned', 'message', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** The 留言 list's filter: 'all' is both; the console's 全部 tab must send it, since an empty value is dropped from the query. */
export const LEFT_MESSAGE_FILTERS = ['open', 'done', 'all'] as const;
export type LeftMessageFilter = (typeof LEFT_MESSAGE_FILTERS)[number];

export const AGENT_STATUSES = ['online', 'away', 'offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

// The shapes are the zod schemas of common/desk-schemas.ts (what the server validates and the
// OpenAPI document is generated from); the types here are inferred from them.

/** 0 = priority lane (VIP, or a unit with a valid service level), 1 = everyone else. */
export type QueueLane = QueueItem['lane'];
export type CustomerBrief = z.infer<typeof S.CustomerBriefSchema>;
export type QueueItem = z.infer<typeof S.QueueItemSchema>;
export type ConversationSummary = z.infer<typeof S.ConversationSummarySchema>;
/**
 * direction: in (customer) | out (to the customer) | note (private, staff only).
 * delivery (out only): passive | pending | sent | held_window (45015) | held_quota (45047) | failed.
 */
export type DeskMessage = z.infer<typeof S.DeskMessageSchema>;
export type CustomerPanel = z.infer<typeof S.CustomerPanelSchema>;
/** The WeChat customer-service window for this customer (DESIGN.md §3). */
export type WindowInfo = z.infer<typeof S.WindowInfoSchema>;
export type ConversationDetail = z.infer<typeof S.ConversationDetailSchema>;
export type AgentInfo = z.infer<typeof S.AgentInfoSchema>;
export type CannedReply = z.infer<typeof S.CannedReplySchema>;
export type CannedReplyInput = z.input<typeof S.CannedReplyInputSchema>;
export type LeftMessage = z.infer<typeof S.LeftMessageSchema>;
/**
 * WebSocket frames, server → console. `seq` increases per connection. On (re)connect the server
 * first sends `hello`; the console then refetches the queue, its chats and, for each open chat,
 * the messages after the last id it holds (GET …/messages?after=), so nothing missed is lost.
 * The console may send {"type":"ping"}; the server answers {"type":"pong"}.
 */
export type DeskEvent = z.infer<typeof S.DeskEventSchema>;
