import Router from '@koa/router';
import { AGENT_STATUSES, CONVERSATION_STATUSES } from '../../common/desk-api.js';
import type { ApplicationKind, ApplicationStatus, CodeRequest, Role, UserBrief } from '../../common/h5-api.js';
import { CANDIDATE_STATUSES, ENTRY_STATUSES, UNANSWERED_STATUSES } from '../../common/kb-api.js';
import { STAFF_ROLES } from '../../common/staff-api.js';
import { INT4_MAX } from './validate.js';

/**
 * The OpenAPI 3.1 description of every /api route and of the WeChat login redirects under /auth
 * (DESIGN.md §2: "H5 and the console call a JSON API under /api/, described by an OpenAPI
 * document"). The schemas mirror the TypeScript contracts in common/*-api.ts and the zod inputs
 * of the routers; server/http/openapi.test.ts fails when a route listed in their header comments,
 * or mounted by a router, is missing here.
 */

type Schema = Record<string, unknown>;
type Method = 'get' | 'post' | 'put' | 'delete';

// ---- schema helpers ---------------------------------------------------------------------------

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string): Schema => ({ type: 'string', ...(description && { description }) });
const int = (description?: string): Schema => ({ type: 'integer', ...(description && { description }) });
const num = (description?: string): Schema => ({ type: 'number', ...(description && { description }) });
const bool = (description?: string): Schema => ({ type: 'boolean', ...(description && { description }) });
const dateTime = (description?: string): Schema => ({ type: 'string', format: 'date-time', ...(description && { description }) });
const array = (items: Schema): Schema => ({ type: 'array', items });
const enumOf = (values: readonly (string | number)[], description?: string): Schema => ({ enum: [...values], ...(description && { description }) });
/** `T | null`: JSON Schema 2020-12 style, as OpenAPI 3.1 uses it. */
const nullable = (s: Schema): Schema => ('$ref' in s ? { oneOf: [s, { type: 'null' }] } : { ...s, type: [s.type, 'null'] });
const nullableEnum = (values: readonly string[], description?: string): Schema => ({ enum: [...values, null], ...(description && { description }) });
/** An object: every property in `required` is required; `optional` ones may be absent. */
const obj = (required: Record<string, Schema>, optional: Record<string, Schema> = {}, description?: string): Schema => ({
  type: 'object',
  ...(description && { description }),
  properties: { ...required, ...optional },
  required: Object.keys(required),
  additionalProperties: false,
});
const page = (item: string): Schema => obj({ items: array(ref(item)), total: int(), page: int('1-based'), pageSize: int() });
const list = (item: string): Schema => obj({ items: array(ref(item)) });
const frame = (type: string, fields: Record<string, Schema>, description?: string): Schema =>
  obj({ type: { const: type }, seq: int('Increases per connection.'), ...fields }, {}, description);
/** A string with length bounds (after trimming where the router trims). */
const text = (minLength: number, maxLength: number, description?: string): Schema => ({ type: 'string', ...(minLength > 0 && { minLength }), maxLength, ...(description && { description }) });
const password = (minLength: number, maxLength: number, description?: string): Schema => ({ ...text(minLength, maxLength, description), format: 'password' });
/** The keys of a record that must name every member of the union K, and nothing else: an enum the compiler keeps complete. */
const keysOf = <K extends string>(members: Record<K, true>): K[] => Object.keys(members) as K[];

// The H5 contract (common/h5-api.ts) has types only; these lists are checked against them.
const H5_ROLES = keysOf<Role>({ customer: true, vip: true, unit_admin: true, internal: true, agent: true, technician: true, admin: true });
const BADGES = keysOf<UserBrief['badges'][number]>({ VIP: true, TAD: true, 管理员: true });
const APPLICATION_KINDS = keysOf<ApplicationKind>({ vip_admin: true, internal: true });
const APPLICATION_STATUSES = keysOf<ApplicationStatus>({ pending: true, approved: true, rejected: true });
const CODE_PURPOSES = keysOf<CodeRequest['purpose']>({ register: true, reset: true });
const CODE_CHANNELS = keysOf<CodeRequest['channel']>({ sms: true, email: true });
/** Enforced by the service after the router's zod check (invalid_input, 密码长度为8到64位). */
const NEW_PASSWORD = password(8, 64, '8–64 characters.');

// ---- components ---------------------------------------------------------------------------------

const customerBrief = obj({
  id: int(),
  name: str('The account display name, or "微信用户 xxxx" when not bound.'),
  bound: bool(),
  vip: bool(),
  unitName: nullable(str()),
});

const conversationSummary = obj({
  id: int(),
  status: ref('ConversationStatus'),
  customer: ref('CustomerBrief'),
  assignee: nullable(obj({ id: int(), displayName: str() })),
  createdAt: dateTime(),
  queuedAt: nullable(dateTime()),
  assignedAt: nullable(dateTime()),
  closedAt: nullable(dateTime()),
  closeReason: nullable(str()),
  lastMessage: nullable(str()),
  lastMessageAt: nullable(dateTime()),
  unread: int("Customer messages newer than the assignee's last message."),
  rating: nullable(obj({ score: int('1–5'), comment: nullable(str()) })),
});

const DELIVERIES = ['passive', 'pending', 'sent', 'held_window', 'held_quota', 'failed'] as const;

const schemas: Record<string, Schema> = {
  // staff (common/staff-api.ts)
  ApiErrorBody: obj({ error: obj({ code: str('Machine-readable, e.g. not_logged_in, forbidden, not_yours, already_taken.'), message: str('For people (zh-CN).') }) }),
  StaffRole: enumOf(STAFF_ROLES),
  StaffMe: obj({ id: int(), username: str(), displayName: str(), role: ref('StaffRole') }),
  LoginRequest: obj({ username: str(), password: { type: 'string', format: 'password' } }),

  // knowledge base (common/kb-api.ts)
  EntryStatus: enumOf(ENTRY_STATUSES),
  EntrySummary: obj({
    id: int(),
    question: str('The standard question.'),
    product: str(),
    module: str(),
    version: str(),
    status: ref('EntryStatus'),
    hits: int(),
    thumbsUp: int(),
    thumbsDown: int(),
    updatedAt: dateTime(),
    similarCount: int(),
  }),
  Entry: {
    allOf: [ref('EntrySummary'), { type: 'object', properties: { answer: str(), link: nullable(str()), similar: array(str()) }, required: ['answer', 'link', 'similar'] }],
  },
  EntryInput: obj(
    { question: str(), similar: array(str()), answer: str(), product: str(), module: str(), version: str(), status: ref('EntryStatus') },
    { link: nullable(str('http(s):// or a site path starting with /.')) },
  ),
  EntryPage: page('EntrySummary'),
  UnansweredItem: obj({ id: int(), text: str(), count: int(), variants: array(str()), lastAskedAt: dateTime(), status: enumOf(UNANSWERED_STATUSES) }),
  UnansweredPage: page('UnansweredItem'),
  AttachRequest: obj({ entryId: int() }),
  Candidate: obj({ id: int(), conversationId: int(), question: str(), answer: str(), createdAt: dateTime(), status: enumOf(CANDIDATE_STATUSES) }),
  CandidateList: list('Candidate'),
  KbStats: obj({
    questions: int(),
    hitRate: num('0..1'),
    unansweredRate: num('0..1'),
    suggestRate: num('0..1'),
    topQuestions: array(obj({ text: str(), count: int() }, { entryId: int() })),
    thumbs: array(obj({ entryId: int(), question: str(), up: int(), down: int() })),
  }),
  ImportReport: obj({ imported: int(), rejected: array(obj({ row: int('1 = the header row'), reason: str() })) }),

  // desk (common/desk-api.ts)
  ConversationStatus: enumOf(CONVERSATION_STATUSES),
  AgentStatus: enumOf(AGENT_STATUSES),
  CustomerBrief: customerBrief,
  QueueItem: obj({
    conversationId: int(),
    customer: ref('CustomerBrief'),
    lane: enumOf([0, 1], '0 = priority (VIP or a unit with a valid service level), 1 = everyone else.'),
    position: int('1-based, in serving order.'),
    queuedAt: dateTime(),
    lastMessage: nullable(str()),
  }),
  QueueList: list('QueueItem'),
  ConversationSummary: conversationSummary,
  ConversationSummaryPage: page('ConversationSummary'),
  DeskMessage: obj({
    id: int(),
    conversationId: int(),
    direction: enumOf(['in', 'out', 'note']),
    sender: enumOf(['customer', 'bot', 'agent', 'system']),
    staff: nullable(obj({ id: int(), displayName: str() })),
    kind: str(),
    content: str(),
    delivery: nullableEnum(DELIVERIES, 'Outbound messages only. held_window = 45015, held_quota = 45047.'),
    deliveryNote: nullable(str('e.g. 客户已超过48小时未互动 / 已达条数上限 / 发送失败')),
    possibleDuplicate: bool('The send was retried after its worker died mid-send: the customer may have received it twice (可能重复发送).'),
    createdAt: dateTime(),
  }),
  DeskMessageList: list('DeskMessage'),
  CustomerPanel: obj({
    customer: ref('CustomerBrief'),
    account: nullable(obj({ username: str(), mobile: nullable(str()), email: nullable(str()) })),
    unit: nullable(obj({ name: str(), serviceCode: str(), serviceLevel: nullable(str()), serviceValidUntil: nullable(str()) })),
    bindUrl: nullable(str()),
    openTickets: array(obj({ id: int(), title: str(), status: str() })),
    pastChats: array(obj({ id: int(), createdAt: dateTime(), closedAt: nullable(dateTime()), agent: nullable(str()), rating: nullable(int()) })),
    ratings: obj({ count: int(), average: nullable(num()) }),
  }),
  WindowInfo: obj({
    closesAt: nullable(dateTime('When the 48 h window closes.')),
    secondsLeft: int(),
    quotaLeft: int('Messages that may still be sent in this window.'),
    quotaTotal: int(),
  }),
  ConversationDetail: {
    allOf: [ref('ConversationSummary'), { type: 'object', properties: { panel: ref('CustomerPanel'), window: ref('WindowInfo') }, required: ['panel', 'window'] }],
  },
  AgentInfo: obj({
    id: int(),
    username: str(),
    displayName: str(),
    role: ref('StaffRole'),
    status: ref('AgentStatus'),
    maxConcurrent: int(),
    active: int('Open chats assigned now.'),
  }),
  AgentList: list('AgentInfo'),
  CannedReply: obj({ id: int(), shortcut: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' }, title: str(), content: str() }),
  CannedReplyInput: obj({ shortcut: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' }, title: str(), content: str() }),
  CannedReplyList: list('CannedReply'),
  LeftMessage: obj({
    id: int(),
    conversationId: int(),
    customer: ref('CustomerBrief'),
    content: str(),
    status: enumOf(['open', 'done']),
    createdAt: dateTime(),
    handledBy: nullable(str()),
    handledAt: nullable(dateTime()),
    lastReply: nullable(obj({ content: str(), delivery: nullable(str()), at: dateTime(), by: nullable(str()) })),
  }),
  LeftMessagePage: page('LeftMessage'),
  TextRequest: obj({ text: str() }),
  TransferRequest: obj({ agent: { oneOf: [int(), str()], description: 'A staff id or username.' } }, { note: str() }),
  TypingRequest: obj({ typing: bool() }),
  StatusRequest: obj({ status: ref('AgentStatus') }),
  DeskEvent: {
    description: 'WebSocket frames, server → console (JSON text). hello comes first on every (re)connect.',
    oneOf: [
      frame('hello', { staffId: int(), serverTime: dateTime() }),
      frame('message', { message: ref('DeskMessage') }),
      frame('delivery', { conversationId: int(), messageId: int(), delivery: nullableEnum(DELIVERIES), deliveryNote: nullable(str()), possibleDuplicate: bool() }),
      frame('queue', { items: array(ref('QueueItem')) }, 'The whole queue.'),
      frame('assigned', { conversation: ref('ConversationSummary'), note: nullable(str()) }),
      frame('closed', { conversation: ref('ConversationSummary') }),
      frame('unassigned', { conversationId: int(), reason: enumOf(['transfer', 'no_answer', 'closed']) }, 'A chat left this agent.'),
    ],
  },
  DeskClientFrame: obj({ type: { const: 'ping' } }, {}, 'The console may send {"type":"ping"}; the server answers {"type":"pong"}.'),

  // H5 (common/h5-api.ts); request bodies follow the zod schemas in server/auth/login.routes.ts and server/accounts/*.routes.ts
  Role: enumOf(H5_ROLES, 'Everyone is a customer; the other roles come from the account\'s flags.'),
  UserBrief: obj({
    id: int(),
    username: str(),
    displayName: str(),
    avatarUrl: nullable(str()),
    roles: array(ref('Role')),
    badges: array(enumOf(BADGES, 'The marks next to the name: VIP, TAD (internal staff), 管理员 (unit administrator).')),
  }),
  SessionInfo: obj({
    wechat: bool('Came through WeChat OAuth (an openid is attached to this session).'),
    user: nullable({ ...ref('UserBrief'), description: 'null: show the bind / login page.' }),
  }),
  LoginInput: obj({ account: text(1, 128, 'User name, mobile or e-mail (trimmed).'), password: password(1, 256) }),
  CodeRequest: obj({
    purpose: enumOf(CODE_PURPOSES, 'register: by SMS only.'),
    channel: enumOf(CODE_CHANNELS),
    to: text(1, 128, 'A mainland mobile number (11 digits starting with 1) or an e-mail address.'),
  }),
  CodeSent: obj({
    sent: { const: true, description: 'Also for a reset code to an unknown address, which is not sent (the answer does not tell).' },
    expiresInS: int('300'),
    simulated: bool('The code is only simulated (shown on the simulator phone page), not really sent.'),
  }),
  RegisterInput: obj(
    { mobile: text(0, 32, 'A mainland mobile number; it becomes the user name.'), code: text(0, 16, 'The SMS code.'), password: NEW_PASSWORD, displayName: text(1, 32) },
    { unitFullName: text(0, 200, 'The exact full unit name: the account is bound to the unit only if it exists.') },
  ),
  ResetInput: obj({ channel: enumOf(CODE_CHANNELS), to: text(0, 128, 'The mobile or e-mail the code was sent to.'), code: text(0, 16), newPassword: NEW_PASSWORD }),
  OkResponse: obj({ ok: { const: true } }),
  LogoutResult: obj({ ok: { const: true }, unboundWechat: { type: 'boolean', description: "Whether this WeChat user was unbound from the account." } }),
  PasswordChanged: obj({ ok: { const: true }, unboundWechat: int('How many other WeChat users were unbound from the account.'), message: str() }),
  WechatBinding: obj({ id: int(), openid: str('Masked: oAbc****wxyz.'), boundAt: nullable(str()), current: { type: 'boolean' } }),
  WechatBindingList: obj({ items: { type: 'array', items: ref('WechatBinding') } }),
  Profile: {
    allOf: [
      ref('UserBrief'),
      {
        type: 'object',
        properties: {
          mobile: nullable(str()),
          email: nullable(str()),
          unit: nullable(obj({ fullName: str(), serviceCode: str(), serviceLevel: nullable(str()), serviceValidUntil: nullable(str()) })),
          points: int('The balance.'),
          wechatBound: bool('A WeChat user is bound to the account.'),
        },
        required: ['mobile', 'email', 'unit', 'points', 'wechatBound'],
      },
    ],
  },
  ProfileInput: obj(
    { displayName: text(1, 30, 'Trimmed.') },
    {
      email: { type: ['string', 'null'], maxLength: 100, description: 'An e-mail address; "" or null removes it; absent keeps it. Must not belong to another account (409 taken).' },
      avatarUrl: { type: ['string', 'null'], maxLength: 500, pattern: '^$|^(https://|/)\\S+$', description: 'https:// or a site path; "" or null removes it; absent keeps it.' },
    },
  ),
  PasswordChange: obj({ oldPassword: password(0, 256), newPassword: NEW_PASSWORD }),
  PointsEntry: obj({ id: int(), reason: str('e.g. register, ask_question, first_read, favourite, survey.'), label: str('The reason in Chinese.'), points: int(), createdAt: dateTime() }),
  PointsPage: obj({ balance: int(), items: array(ref('PointsEntry')), total: int(), page: int('1-based'), pageSize: int() }, {}, 'The ledger, newest first, 20 a page.'),
  RankingRow: obj({ rank: int('Ties share a rank.'), displayName: str(), points: int() }),
  Ranking: obj({ items: array(ref('RankingRow')), me: nullable({ ...ref('RankingRow'), description: 'null while the caller has no points.' }) }, {}, 'The top 20 by points, and the caller.'),
  ApplicationKind: enumOf(APPLICATION_KINDS, 'vip_admin: VIP and unit administrator; internal: internal staff.'),
  ApplicationStatus: enumOf(APPLICATION_STATUSES),
  Application: obj({
    id: int(),
    kind: ref('ApplicationKind'),
    status: ref('ApplicationStatus'),
    reason: nullable(str('Why it was rejected.')),
    createdAt: dateTime(),
    decidedAt: nullable(dateTime()),
  }),
  ApplicationList: list('Application'),
  ApplyRequest: obj({ kind: ref('ApplicationKind') }),
  AdminApplication: {
    allOf: [
      ref('Application'),
      {
        type: 'object',
        properties: {
          user: obj({ id: int(), username: str(), displayName: str(), unitName: nullable(str()) }),
          decidedBy: nullable(str('The display name of the staff member who decided.')),
        },
        required: ['user', 'decidedBy'],
      },
    ],
  },
  AdminApplicationPage: page('AdminApplication'),
  RejectRequest: obj({ reason: text(1, 200, 'Trimmed; the user sees it in 个人中心 and in the template message.') }),
  ServiceCodeRequest: obj({ fullName: text(0, 200, "The unit's exact full name (after normalisation 1–100 characters; never a prefix or an abbreviation).") }),
  ServiceCodeResult: {
    oneOf: [
      obj({ found: { const: true }, fullName: str(), serviceCode: str() }),
      obj({ found: { const: false }, message: str('What to check, and the hotline (zh-CN).') }),
    ],
  },
};

// ---- operations ---------------------------------------------------------------------------------

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 423 | 429;
const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: 'Invalid input (invalid_input / invalid_request)',
  401: 'Not logged in (not_logged_in)',
  403: 'Wrong role (forbidden), or not your conversation (not_yours)',
  404: 'Not found (not_found)',
  409: 'Conflict: already_taken (someone accepted first) | not_open (closed chat) | at_capacity',
  413: 'Upload too large (payload_too_large)',
  422: 'The target agent cannot take the chat (agent_unavailable)',
  423: 'Locked (locked): 5 failed logins in 15 minutes; the message says when to retry',
  429: 'Too many failed logins (too_many_attempts)',
};
/** server/auth/origin-check.ts refuses a state-changing /api/h5 request from another origin. */
const BAD_ORIGIN_TEXT = "A foreign Origin, Referer or Sec-Fetch-Site: cross-site (bad_origin): state-changing requests must come from the H5 pages' own origin";

interface Param {
  name: string;
  schema: Schema;
  description?: string;
}

interface OpSpec {
  summary: string;
  tag: 'staff' | 'kb' | 'desk' | 'h5' | 'admin' | 'auth' | 'meta';
  /** Which staff may call it (the staff_session cookie); undefined = no staff session needed. */
  roles?: string;
  /** The h5_session cookie: `user` = a logged-in account is required (401 otherwise); `optional` = read when sent. */
  h5?: 'user' | 'optional';
  /** A browser route (redirects, HTML): its responses are all spelled out in `ok`, none are added. */
  browser?: true;
  query?: Param[];
  /** A JSON body (a schema), or a multipart upload. */
  body?: Schema | 'multipart';
  /** 200 with this schema, or 204 (no body), or the success responses spelled out. */
  ok: Schema | 204 | { responses: Record<string, unknown> };
  errors?: ErrorStatus[];
  /** What an error means here, where it differs from ERROR_TEXT. */
  errorText?: Partial<Record<ErrorStatus, string>>;
}

const json = (schema: Schema) => ({ 'application/json': { schema } });

const SECURITY = {
  staff: [{ staffSession: [] }],
  h5User: [{ h5Session: [] }],
  /** OpenAPI's "optional": no cookie, or the H5 one. */
  h5Optional: [{}, { h5Session: [] }],
};

function op(spec: OpSpec, method: Method, path: string, pathParams: string[]): Record<string, unknown> {
  const authErrors: ErrorStatus[] = spec.roles ? [401, 403] : spec.h5 === 'user' ? [401] : [];
  const originChecked = path.startsWith('/api/h5/') && method !== 'get';
  const paramErrors: ErrorStatus[] = pathParams.length > 0 ? [400, 404] : [];
  const errors = spec.browser
    ? []
    : [...new Set([...(spec.body || spec.query ? [400 as const] : []), ...paramErrors, ...authErrors, ...(originChecked ? [403 as const] : []), ...(spec.errors ?? [])])].sort((x, y) => x - y);
  const errorText: Partial<Record<ErrorStatus, string>> = { ...(originChecked && { 403: BAD_ORIGIN_TEXT }), ...spec.errorText };
  const responses: Record<string, unknown> =
    spec.ok === 204
      ? { 204: { description: 'Done (no body)' } }
      : 'responses' in spec.ok
        ? { ...(spec.ok.responses as Record<string, unknown>) }
        : { 200: { description: 'OK', content: json(spec.ok) } };
  for (const status of errors) responses[status] = { description: errorText[status] ?? ERROR_TEXT[status], content: json(ref('ApiErrorBody')) };
  const who = spec.roles
    ? `Roles: ${spec.roles}.`
    : spec.h5 === 'user'
      ? 'Login required: the h5_session cookie of a logged-in account.'
      : spec.h5 === 'optional'
        ? 'No login needed; the h5_session cookie is read when sent.'
        : undefined;
  return {
    tags: [spec.tag],
    summary: spec.summary,
    ...(who && { description: who }),
    security: spec.roles ? SECURITY.staff : spec.h5 === 'user' ? SECURITY.h5User : spec.h5 === 'optional' ? SECURITY.h5Optional : [],
    parameters: [
      // int4 ids, and bigserial message ids (server/http/validate.ts); beyond the range is 400.
      ...pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: name === 'messageId' ? Number.MAX_SAFE_INTEGER : INT4_MAX } })),
      ...(spec.query ?? []).map((p) => ({ name: p.name, in: 'query', required: false, schema: p.schema, ...(p.description && { description: p.description }) })),
    ],
    ...(spec.body && {
      requestBody: {
        required: true,
        content:
          spec.body === 'multipart'
            ? {
                'multipart/form-data': {
                  schema: obj({ file: { type: 'string', contentEncoding: 'binary', description: '.xlsx or .csv' } }, { publish: enumOf(['1'], 'Publish the imported entries.') }),
                },
              }
            : json(spec.body),
      },
    }),
    responses,
  };
}

const pageParams = (maxPageSize: number): Param[] => [
  { name: 'page', schema: { type: 'integer', minimum: 1, default: 1 } },
  { name: 'pageSize', schema: { type: 'integer', minimum: 1, maximum: maxPageSize, default: 20 } },
];

const ANY_STAFF = 'agent, technician, admin';
const ADMIN = 'admin';
const DESK = 'agent, admin (an agent only on chats assigned to them)';

const USER = 'user';
const OPEN = 'optional';
const H5_429 = 'rate_limited: too many requests; the message says when to retry';
const DECIDED = 'The application was decided before (already_decided)';
const redirect = (description: string) => ({
  description,
  headers: { Location: { schema: str(), description: 'Where the browser goes next.' } },
});

/** `METHOD /path/:param` → operation spec, in the order of the contracts. */
const ROUTES: Array<[`${Uppercase<Method>} /api/${string}` | `GET /auth/${string}`, OpSpec]> = [
  ['GET /api/openapi.json', { tag: 'meta', summary: 'This document', ok: { responses: { 200: { description: 'The OpenAPI 3.1 document', content: json({ type: 'object' }) } } } }],

  ['POST /api/staff/session', { tag: 'staff', summary: 'Log in: sets the staff_session cookie', body: ref('LoginRequest'), ok: ref('StaffMe'), errors: [401, 429],
    errorText: { 400: 'Username or password missing (invalid_login)', 401: 'Wrong username or password (bad_credentials)' },
  }],
  ['DELETE /api/staff/session', { tag: 'staff', summary: 'Log out: ends the session and clears the cookie', ok: 204 }],
  ['GET /api/staff/me', { tag: 'staff', summary: 'The logged-in staff member', roles: ANY_STAFF, ok: ref('StaffMe') }],

  ['GET /api/kb/entries', {
    tag: 'kb', summary: 'Knowledge-base entries', roles: ANY_STAFF, ok: ref('EntryPage'),
    query: [{ name: 'q', schema: str() }, { name: 'status', schema: ref('EntryStatus') }, { name: 'module', schema: str() }, ...pageParams(200)],
  }],
  ['GET /api/kb/entries/:id', { tag: 'kb', summary: 'One entry', roles: ANY_STAFF, ok: ref('Entry') }],
  ['POST /api/kb/entries', { tag: 'kb', summary: 'Create an entry', roles: ADMIN, body: ref('EntryInput'), ok: ref('Entry') }],
  ['PUT /api/kb/entries/:id', { tag: 'kb', summary: 'Update an entry', roles: ADMIN, body: ref('EntryInput'), ok: ref('Entry') }],
  ['POST /api/kb/entries/:id/publish', { tag: 'kb', summary: 'Publish an entry', roles: ADMIN, ok: ref('Entry') }],
  ['POST /api/kb/entries/:id/unpublish', { tag: 'kb', summary: 'Unpublish an entry (back to draft)', roles: ADMIN, ok: ref('Entry') }],
  ['DELETE /api/kb/entries/:id', { tag: 'kb', summary: 'Delete an entry', roles: ADMIN, ok: 204 }],
  ['GET /api/kb/unanswered', { tag: 'kb', summary: 'Questions the bot could not answer, clustered', roles: ADMIN, query: pageParams(200), ok: ref('UnansweredPage') }],
  ['POST /api/kb/unanswered/:id/attach', { tag: 'kb', summary: 'Attach a cluster to an entry as similar questions', roles: ADMIN, body: ref('AttachRequest'), ok: 204 }],
  ['POST /api/kb/unanswered/:id/create', { tag: 'kb', summary: 'Create an entry from a cluster', roles: ADMIN, body: ref('EntryInput'), ok: ref('Entry') }],
  ['POST /api/kb/unanswered/:id/dismiss', { tag: 'kb', summary: 'Dismiss a cluster', roles: ADMIN, ok: 204 }],
  ['GET /api/kb/candidates', { tag: 'kb', summary: 'Entries proposed from human-served chats', roles: ADMIN, ok: ref('CandidateList') }],
  ['POST /api/kb/candidates/:id/accept', { tag: 'kb', summary: 'Accept a candidate as an entry', roles: ADMIN, body: ref('EntryInput'), ok: ref('Entry') }],
  ['POST /api/kb/candidates/:id/dismiss', { tag: 'kb', summary: 'Dismiss a candidate', roles: ADMIN, ok: 204 }],
  ['GET /api/kb/stats', {
    tag: 'kb', summary: 'Bot analytics: hit, unanswered and suggest rates, top questions, thumbs', roles: ADMIN, ok: ref('KbStats'),
    query: [{ name: 'from', schema: str(), description: 'ISO date or date-time, inclusive' }, { name: 'to', schema: str(), description: 'ISO date or date-time, exclusive' }],
  }],
  ['POST /api/kb/import', { tag: 'kb', summary: 'Import entries from .xlsx or .csv', roles: ADMIN, body: 'multipart', ok: ref('ImportReport'), errors: [413] }],
  ['GET /api/kb/export', {
    tag: 'kb', summary: 'Export every entry as .xlsx', roles: ADMIN,
    ok: { responses: { 200: { description: 'The workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', contentEncoding: 'binary' } } } } } },
  }],

  ['GET /api/desk/queue', { tag: 'desk', summary: 'Queued conversations, in serving order', roles: DESK, ok: ref('QueueList') }],
  ['GET /api/desk/conversations', {
    tag: 'desk', summary: 'My open chats (mine=1), or a search of past chats', roles: DESK, ok: ref('ConversationSummaryPage'),
    query: [
      { name: 'mine', schema: enumOf(['1', 'true', '0', 'false']), description: '1: only my open chats' },
      { name: 'q', schema: str(), description: 'Search text' },
      { name: 'status', schema: ref('ConversationStatus') },
      ...pageParams(100),
    ],
  }],
  ['GET /api/desk/conversations/:id', { tag: 'desk', summary: 'A chat with the customer panel and the WeChat window/quota', roles: DESK, ok: ref('ConversationDetail') }],
  ['GET /api/desk/conversations/:id/messages', {
    tag: 'desk', summary: "A chat's history, the bot's part included", roles: DESK, ok: ref('DeskMessageList'),
    query: [{ name: 'after', schema: { type: 'integer', minimum: 0, default: 0 }, description: 'Only messages after this message id (what a reconnecting console missed)' }],
  }],
  ['POST /api/desk/conversations/:id/accept', { tag: 'desk', summary: 'Accept a queued chat', roles: DESK, ok: ref('ConversationSummary'), errors: [409] }],
  ['POST /api/desk/conversations/:id/messages', { tag: 'desk', summary: 'Send a message to the customer (through the outbox)', roles: DESK, body: ref('TextRequest'), ok: ref('DeskMessage'), errors: [409] }],
  ['POST /api/desk/conversations/:id/transfer', { tag: 'desk', summary: 'Transfer a chat to another agent, with a note', roles: DESK, body: ref('TransferRequest'), ok: ref('ConversationSummary'), errors: [409, 422] }],
  ['POST /api/desk/conversations/:id/messages/:messageId/resend', {
    tag: 'desk',
    summary: 'Send a failed message again (重发): it goes back into the outbox with fresh retries',
    roles: DESK,
    ok: ref('DeskMessage'),
    errors: [409],
    errorText: { 409: 'not_failed (only a message whose delivery failed can be resent) | not_open (closed chat)' },
  }],
  ['POST /api/desk/conversations/:id/close', { tag: 'desk', summary: 'Close a chat (the customer is asked for a rating)', roles: DESK, ok: ref('ConversationSummary'), errors: [409] }],
  ['POST /api/desk/conversations/:id/notes', { tag: 'desk', summary: 'A private note, never sent to the customer', roles: DESK, body: ref('TextRequest'), ok: ref('DeskMessage') }],
  ['POST /api/desk/conversations/:id/typing', { tag: 'desk', summary: "Forward the agent's typing to WeChat (within its 30 s rule)", roles: DESK, body: ref('TypingRequest'), ok: 204, errors: [409] }],
  ['GET /api/desk/agents', { tag: 'desk', summary: 'Agents with their status and load (transfer targets)', roles: DESK, ok: ref('AgentList') }],
  ['PUT /api/desk/me/status', { tag: 'desk', summary: 'Set my status: online, away or offline', roles: DESK, body: ref('StatusRequest'), ok: ref('AgentInfo') }],
  ['GET /api/desk/canned', { tag: 'desk', summary: 'Canned replies', roles: DESK, ok: ref('CannedReplyList') }],
  ['POST /api/desk/canned', { tag: 'desk', summary: 'Create a canned reply', roles: ADMIN, body: ref('CannedReplyInput'), ok: ref('CannedReply'), errors: [409] }],
  ['PUT /api/desk/canned/:id', { tag: 'desk', summary: 'Update a canned reply', roles: ADMIN, body: ref('CannedReplyInput'), ok: ref('CannedReply'), errors: [409] }],
  ['DELETE /api/desk/canned/:id', { tag: 'desk', summary: 'Delete a canned reply', roles: ADMIN, ok: 204 }],
  ['GET /api/desk/left-messages', {
    tag: 'desk', summary: 'Messages left out of hours or after a queue timeout', roles: DESK, ok: ref('LeftMessagePage'),
    query: [{ name: 'status', schema: { ...enumOf(['open', 'done', 'all']), default: 'open' } }, ...pageParams(100)],
  }],
  ['POST /api/desk/left-messages/:id/done', { tag: 'desk', summary: 'Mark a left message handled', roles: DESK, ok: ref('LeftMessage') }],
  ['POST /api/desk/left-messages/:id/reply', { tag: 'desk', summary: 'Answer a left message through the outbox and mark it handled', roles: DESK, body: ref('TextRequest'), ok: ref('LeftMessage') }],
  ['GET /api/desk/ws', {
    tag: 'desk', summary: 'The desk WebSocket (upgrade): pushes DeskEvent frames', roles: 'agent, admin',
    ok: { responses: {
      101: {
        description:
          'Switching Protocols. The server sends DeskEvent frames (JSON text), hello first; the console may send {"type":"ping"} and gets {"type":"pong"}. ' +
          'The server pings every 25 s and drops dead sockets and sockets that fall more than 1 MiB behind. ' +
          'After a (re)connect the console refetches the queue, its chats and GET …/messages?after= for each open chat.',
        'x-websocket-frames': { server: ref('DeskEvent'), client: ref('DeskClientFrame') },
      },
    } },
  }],

  ['GET /auth/wechat', {
    tag: 'auth', browser: true, h5: OPEN, summary: 'WeChat OAuth silent login (snsapi_base): the entry the menu links to',
    query: [{ name: 'to', schema: str(), description: 'The H5 route to land on, e.g. /h5/#/home/profile. Only local /h5/ paths; anything else lands on /h5/.' }],
    ok: { responses: {
      302: redirect(
        "To WeChat's authorize page (…/connect/oauth2/authorize?appid&redirect_uri=…/auth/wechat/callback&response_type=code&scope=snsapi_base&state=…#wechat_redirect), " +
          'setting the httpOnly cookie h5_oauth_state (the state and `to`, 10 minutes). A browser whose session already has an openid goes straight to `to`.',
      ),
    } },
  }],
  ['GET /auth/wechat/bind', {
    tag: 'auth', browser: true, h5: OPEN, summary: 'The short bind link of chat messages: the silent login, ending on 个人中心',
    ok: { responses: { 302: redirect('To /auth/wechat?to=/h5/#/home/profile (URL-encoded).') } },
  }],
  ['GET /auth/wechat/callback', {
    tag: 'auth', browser: true, h5: OPEN, summary: "WeChat's redirect back: checks the state, exchanges the code, starts the H5 session",
    query: [{ name: 'code', schema: str() }, { name: 'state', schema: str() }],
    ok: { responses: {
      302: redirect('To `to` (a local /h5/ path), with a new h5_session cookie (the openid, and its bound account if any).'),
      400: {
        description: 'A friendly Chinese retry page with a button back to /auth/wechat: a bad or missing state, a reused or expired code (40029/40163), or WeChat unreachable.',
        content: { 'text/html': { schema: { type: 'string' } } },
      },
    } },
  }],

  ['GET /api/h5/session', { tag: 'h5', h5: OPEN, summary: 'What the page should show: came through WeChat or not, logged in or not (never 401)', ok: ref('SessionInfo') }],
  ['POST /api/h5/login', {
    tag: 'h5', h5: OPEN, summary: "Log in by user name, mobile or e-mail: a new h5_session cookie; binds the session's openid to the account",
    body: ref('LoginInput'), ok: ref('SessionInfo'), errors: [423, 429],
    errorText: { 400: 'invalid_input, or a wrong account or password (wrong_password)', 429: `Too many failed logins from this IP (${H5_429})` },
  }],
  ['POST /api/h5/codes', {
    tag: 'h5', h5: OPEN, summary: 'Send a registration code (SMS) or a password-reset code (SMS or e-mail), valid 5 minutes',
    body: ref('CodeRequest'), ok: ref('CodeSent'), errors: [409, 429],
    errorText: { 400: 'A wrong mobile or e-mail, or registration by e-mail (invalid_input)', 409: 'Registration: the mobile is already registered (taken)', 429: `Too many codes per IP or per target (${H5_429})` },
  }],
  ['POST /api/h5/register', {
    tag: 'h5', h5: OPEN, summary: 'Register by mobile and SMS code: starts the session and binds the openid',
    body: ref('RegisterInput'), ok: ref('SessionInfo'), errors: [409],
    errorText: { 400: 'invalid_input (mobile, password length, …) | bad_code (wrong or expired SMS code)', 409: 'The mobile is already registered (taken)' },
  }],
  ['POST /api/h5/password/reset', {
    tag: 'h5', h5: OPEN, summary: 'Set a new password by mobile or e-mail code; every session of the account ends and the other WeChat bindings are removed',
    body: ref('ResetInput'), ok: ref('PasswordChanged'),
    errorText: { 400: 'invalid_input | bad_code (wrong or expired code; also for an address without an account)' },
  }],
  ['POST /api/h5/logout', {
    tag: 'h5', h5: OPEN, summary: "End the session and clear the cookie; inside WeChat also unbind this WeChat user, so the next menu tap shows the login form",
    ok: ref('LogoutResult'),
  }],
  ['GET /api/h5/me', { tag: 'h5', h5: USER, summary: '个人中心: my profile', ok: ref('Profile') }],
  ['PUT /api/h5/me', {
    tag: 'h5', h5: USER, summary: 'Edit my display name, e-mail and avatar', body: ref('ProfileInput'), ok: ref('Profile'), errors: [409],
    errorText: { 409: 'The e-mail belongs to another account (taken)' },
  }],
  ['POST /api/h5/me/password', {
    tag: 'h5', h5: USER, summary: 'Change my password (the old one required); every other session of the account ends',
    body: ref('PasswordChange'), ok: ref('PasswordChanged'), errors: [423],
    errorText: { 400: 'invalid_input (new password length) | wrong_password (the old password is wrong)' },
  }],
  ['GET /api/h5/me/wechat', { tag: 'h5', h5: USER, summary: 'The WeChat users bound to my account (masked openids, the current one marked)', ok: ref('WechatBindingList') }],
  ['DELETE /api/h5/me/wechat/:id', { tag: 'h5', h5: USER, summary: '解除绑定: unbind that WeChat user and end its sessions of the account', ok: ref('OkResponse') }],
  ['GET /api/h5/me/points', {
    tag: 'h5', h5: USER, summary: 'My points: the balance and the ledger, newest first', ok: ref('PointsPage'),
    query: [{ name: 'page', schema: { type: 'integer', minimum: 1, maximum: 10_000, default: 1 } }],
  }],
  ['GET /api/h5/points/ranking', { tag: 'h5', h5: USER, summary: 'The points ranking (top 20) and my row', ok: ref('Ranking') }],
  ['GET /api/h5/me/applications', { tag: 'h5', h5: USER, summary: 'My applications, newest first', ok: ref('ApplicationList') }],
  ['POST /api/h5/me/applications', {
    tag: 'h5', h5: USER, summary: 'Apply for VIP + unit administrator, or for internal staff', body: ref('ApplyRequest'), ok: ref('Application'), errors: [409],
    errorText: { 400: 'An unknown kind, or a role the account already holds (invalid_input)', 409: 'An application of this kind is already pending (already_pending)' },
  }],
  ['POST /api/h5/service-code', {
    tag: 'h5', h5: OPEN, summary: "服务编码: a unit's service code by its exact full name (audited)",
    body: ref('ServiceCodeRequest'), ok: ref('ServiceCodeResult'), errors: [429],
    errorText: { 400: 'The name is empty or longer than 100 characters (invalid_input)', 429: `10 lookups an hour per openid and per IP (${H5_429})` },
  }],

  ['GET /api/admin/applications', {
    tag: 'admin', roles: ADMIN, summary: 'Applications to review: pending oldest first, otherwise newest first', ok: ref('AdminApplicationPage'),
    query: [{ name: 'status', schema: enumOf([...APPLICATION_STATUSES, '']), description: 'Absent or empty: every status.' }, ...pageParams(100)],
    errorText: { 403: 'Not an admin (forbidden)' },
  }],
  ['POST /api/admin/applications/:id/approve', {
    tag: 'admin', roles: ADMIN, summary: 'Approve: the account gets the role; the user gets a template message', ok: ref('AdminApplication'), errors: [409],
    errorText: { 403: 'Not an admin (forbidden)', 404: 'No such application (not_found)', 409: DECIDED },
  }],
  ['POST /api/admin/applications/:id/reject', {
    tag: 'admin', roles: ADMIN, summary: 'Reject with a reason; the user gets a template message', body: ref('RejectRequest'), ok: ref('AdminApplication'), errors: [409],
    errorText: { 403: 'Not an admin (forbidden)', 404: 'No such application (not_found)', 409: DECIDED },
  }],
];

// ---- the document -------------------------------------------------------------------------------

let built: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document, built once. */
export function openApiDocument(): Record<string, unknown> {
  return (built ??= buildDocument());
}

function buildDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [route, spec] of ROUTES) {
    const [method, path] = route.split(' ') as [Uppercase<Method>, string];
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const key = path.replace(/:(\w+)/g, '{$1}');
    (paths[key] ??= {})[method.toLowerCase()] = op(spec, method.toLowerCase() as Method, path, params);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '浪潮云ERP服务 智能客服系统 API',
      version: '1',
      description:
        'The JSON API of the staff console and H5 pages. Staff log in with POST /api/staff/session, which sets the httpOnly `staff_session` cookie. ' +
        'H5 users have the httpOnly `h5_session` cookie, set by the WeChat login (GET /auth/wechat) or POST /api/h5/login; ' +
        'state-changing /api/h5 requests from another origin are refused (403 bad_origin). ' +
        'Dates are ISO 8601 strings. Every /api error has the body ApiErrorBody.',
    },
    tags: [
      { name: 'staff', description: 'Staff login and session' },
      { name: 'kb', description: 'The knowledge base' },
      { name: 'desk', description: 'The agent desk' },
      { name: 'h5', description: 'The H5 pages: login, registration, 个人中心, applications, 服务编码' },
      { name: 'admin', description: 'Console review of H5 applications' },
      { name: 'auth', description: 'WeChat OAuth silent login: browser redirects, not JSON' },
      { name: 'meta', description: 'This description' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        staffSession: { type: 'apiKey', in: 'cookie', name: 'staff_session', description: 'Set by POST /api/staff/session; slides for 12 h.' },
        h5Session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'h5_session',
          description: 'httpOnly, SameSite=Lax, Secure behind https; set by GET /auth/wechat/callback, POST /api/h5/login and /register; slides for 7 days.',
        },
      },
    },
  };
}

/** GET /api/openapi.json. Public: it describes the API, it opens nothing. */
export function openApiRoutes(): Router {
  const router = new Router();
  router.get('/api/openapi.json', (ctx) => {
    ctx.set('cache-control', 'no-cache');
    ctx.body = openApiDocument();
  });
  return router;
}
