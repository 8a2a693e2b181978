import { z } from 'zod';
import { INT4_MAX, searchSchema, storableText } from './api-fields.js';
import { AGENT_STATUSES, CONVERSATION_STATUSES, LEFT_MESSAGE_FILTERS } from './desk-api.js';
import { StaffRoleSchema, listOf, pageOf } from './staff-schemas.js';

/**
 * The desk contract (common/desk-api.ts) as zod schemas: the desk router parses its input with
 * the request schemas, the console's types are inferred from the response schemas, and the
 * OpenAPI document is generated from both.
 */

const int = () => z.number().int();
/** Dates travel as ISO 8601 strings. */
const dateTime = () => z.iso.datetime({ offset: true });
const staffRef = z.object({ id: int(), displayName: z.string() });

export const ConversationStatusSchema = z.enum(CONVERSATION_STATUSES);
export const AgentStatusSchema = z.enum(AGENT_STATUSES);
export const DELIVERIES = ['passive', 'pending', 'sent', 'held_window', 'held_quota', 'failed'] as const;
const delivery = z.enum(DELIVERIES).nullable();

export const CustomerBriefSchema = z.object({
  id: int(),
  name: z.string().describe('The account display name, or "微信用户 xxxx" when not bound.'),
  bound: z.boolean(),
  vip: z.boolean(),
  unitName: z.string().nullable(),
});

export const QueueItemSchema = z.object({
  conversationId: int(),
  customer: CustomerBriefSchema,
  lane: z.literal([0, 1]).describe('0 = priority (VIP or a unit with a valid service level), 1 = everyone else.'),
  position: int().describe('1-based, in serving order.'),
  queuedAt: dateTime(),
  lastMessage: z.string().nullable().describe("The customer's last message, for the preview."),
});

export const ConversationSummarySchema = z.object({
  id: int(),
  status: ConversationStatusSchema,
  customer: CustomerBriefSchema,
  assignee: staffRef.nullable(),
  createdAt: dateTime(),
  queuedAt: dateTime().nullable(),
  assignedAt: dateTime().nullable(),
  closedAt: dateTime().nullable(),
  closeReason: z.string().nullable(),
  lastMessage: z.string().nullable(),
  lastMessageAt: dateTime().nullable(),
  unread: int().describe("Customer messages newer than the assignee's last message (unread badge)."),
  rating: z.object({ score: int().describe('1–5'), comment: z.string().nullable() }).nullable(),
});

export const DeskMessageSchema = z.object({
  id: int(),
  conversationId: int(),
  direction: z.enum(['in', 'out', 'note']).describe('in (customer) | out (to the customer) | note (private, staff only).'),
  sender: z.enum(['customer', 'bot', 'agent', 'system']),
  staff: staffRef.nullable().describe('The agent who wrote it (agent messages and notes).'),
  kind: z.string(),
  content: z.string(),
  delivery: delivery.describe(
    'Outbound messages only: passive (the reply to a push) | pending | sent | held_window (45015) | held_quota (45047) | failed. Held messages go out when the customer writes again.',
  ),
  deliveryNote: z.string().nullable().describe('The clear state of a held or failed message, e.g. 客户已超过48小时未互动 / 已达条数上限 / 发送失败'),
  possibleDuplicate: z
    .boolean()
    .describe('The send was retried after its worker died mid-send (docs/outbox.md): the customer may have received it twice (可能重复发送).'),
  createdAt: dateTime(),
});

export const CustomerPanelSchema = z.object({
  customer: CustomerBriefSchema,
  account: z.object({ username: z.string(), mobile: z.string().nullable(), email: z.string().nullable() }).nullable(),
  unit: z.object({ name: z.string(), serviceCode: z.string(), serviceLevel: z.string().nullable(), serviceValidUntil: z.string().nullable() }).nullable(),
  bindUrl: z.string().nullable().describe('The bind link to offer an unbound customer.'),
  openTickets: z.array(z.object({ id: int(), title: z.string(), status: z.string() })).describe('Filled in by tickets; empty until then.'),
  pastChats: z.array(z.object({ id: int(), createdAt: dateTime(), closedAt: dateTime().nullable(), agent: z.string().nullable(), rating: int().nullable() })),
  ratings: z.object({ count: int(), average: z.number().nullable() }),
});

/** The WeChat customer-service window for this customer (DESIGN.md §3). */
export const WindowInfoSchema = z.object({
  closesAt: dateTime().nullable().describe('When the 48 h window closes; null when the customer never wrote.'),
  secondsLeft: int(),
  quotaLeft: int().describe("Messages that may still be sent in this window (5 after the customer's last message)."),
  quotaTotal: int(),
});

export const ConversationDetailSchema = ConversationSummarySchema.extend({ panel: CustomerPanelSchema, window: WindowInfoSchema });

export const AgentInfoSchema = z.object({
  id: int(),
  username: z.string(),
  displayName: z.string(),
  role: StaffRoleSchema,
  status: AgentStatusSchema,
  maxConcurrent: int(),
  active: int().describe('Open chats assigned now.'),
});

export const CannedReplySchema = z.object({
  id: int(),
  shortcut: z.string().describe('Typed after "/" in the reply box, e.g. "hi" → "/hi". Letters, digits, - and _.'),
  title: z.string(),
  content: z.string(),
});

export const LeftMessageSchema = z.object({
  id: int(),
  conversationId: int(),
  customer: CustomerBriefSchema,
  content: z.string(),
  status: z.enum(['open', 'done']),
  createdAt: dateTime(),
  handledBy: z.string().nullable(),
  handledAt: dateTime().nullable(),
  lastReply: z
    .object({ content: z.string(), delivery, at: dateTime(), by: z.string().nullable() })
    .nullable()
    .describe('The last agent reply in its conversation, with its delivery (48 h window and quota apply).'),
});

export const QueueListSchema = listOf(QueueItemSchema);
export const ConversationSummaryPageSchema = pageOf(ConversationSummarySchema);
export const DeskMessageListSchema = listOf(DeskMessageSchema);
export const AgentListSchema = listOf(AgentInfoSchema);
export const CannedReplyListSchema = listOf(CannedReplySchema);
export const LeftMessagePageSchema = pageOf(LeftMessageSchema);

const frame = <T extends string, S extends z.ZodRawShape>(type: T, fields: S) =>
  z.object({ type: z.literal(type), seq: int().describe('Increases per connection.'), ...fields });

/**
 * WebSocket frames, server → console (JSON text). hello comes first on every (re)connect; the
 * console then refetches the queue, its chats and GET …/messages?after= for each open chat.
 */
export const DeskEventSchema = z
  .discriminatedUnion('type', [
    frame('hello', { staffId: int(), serverTime: dateTime() }),
    frame('message', { message: DeskMessageSchema }),
    frame('delivery', { conversationId: int(), messageId: int(), delivery, deliveryNote: z.string().nullable(), possibleDuplicate: z.boolean() }).describe(
      'A delivery state changed (sent, held, failed).',
    ),
    frame('queue', { items: z.array(QueueItemSchema) }).describe('The whole queue: it is short.'),
    frame('assigned', { conversation: ConversationSummarySchema, note: z.string().nullable() }),
    frame('closed', { conversation: ConversationSummarySchema }),
    frame('unassigned', { conversationId: int(), reason: z.enum(['transfer', 'no_answer', 'closed']) }).describe('A chat left this agent (transferred away or reassigned for no answer).'),
  ])
  .describe('WebSocket frames, server → console (JSON text). hello comes first on every (re)connect.');

export const DeskClientFrameSchema = z.object({ type: z.literal('ping') }).describe('The console may send {"type":"ping"}; the server answers {"type":"pong"}.');

// ---- requests ----------------------------------------------------------------------------------

const pageFields = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

export const ConversationsQuerySchema = z.object({
  mine: z
    .enum(['1', 'true', '0', 'false', ''])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .describe('1: only my open chats'),
  q: searchSchema(100).describe('Search text'),
  status: ConversationStatusSchema.optional().or(z.literal('').transform(() => undefined)),
  ...pageFields,
});

export const MessagesAfterQuerySchema = z.object({
  after: z.coerce
    .number({ error: 'after 须为消息编号' })
    .int('after 须为消息编号')
    .min(0, 'after 须为消息编号')
    .max(Number.MAX_SAFE_INTEGER, '编号超出范围')
    .default(0)
    .describe('Only messages after this message id (what a reconnecting console missed)'),
});

export const LeftMessagesQuerySchema = z.object({ status: z.enum(LEFT_MESSAGE_FILTERS).default('open'), ...pageFields });

export const TextRequestSchema = z.object({ text: storableText(z.string().trim().min(1, '内容不能为空').max(2000, '内容最多2000字')) });

export const TransferRequestSchema = z.object({
  // A staff id (a number, or digits), or a username.
  agent: z
    .union([z.number(), z.string().trim().min(1).max(64)], { error: '请选择要转接的客服' })
    .transform((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v))
    .refine(
      (v) => (typeof v === 'string' ? /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) : Number.isSafeInteger(v) && v >= 1 && v <= INT4_MAX),
      '请选择要转接的客服（编号超出范围或用户名无效）',
    )
    .describe('A staff id or username.'),
  note: storableText(z.string().trim().max(500, '备注最多500字'), '备注')
    .optional()
    .transform((v) => v || null),
});

export const TypingRequestSchema = z.object({ typing: z.boolean() });

export const StatusRequestSchema = z.object({ status: AgentStatusSchema });

export const CannedReplyInputSchema = z.object({
  shortcut: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, '快捷短语须为1-32位字母、数字、- 或 _'),
  title: storableText(z.string().trim().min(1, '标题不能为空').max(50, '标题最多50字'), '标题'),
  content: storableText(z.string().trim().min(1, '内容不能为空').max(2000, '内容最多2000字')),
});
