import Router from '@koa/router';
import { z } from 'zod';
import * as desk from '../../common/desk-schemas.js';
import * as h5 from '../../common/h5-schemas.js';
import * as kb from '../../common/kb-schemas.js';
import * as staff from '../../common/staff-schemas.js';
import { INT4_MAX } from './validate.js';

/**
 * The OpenAPI 3.1 description of every /api route and of the WeChat login redirects under /auth
 * (DESIGN.md §2: "H5 and the console call a JSON API under /api/, described by an OpenAPI
 * document"). Every shape is generated with z.toJSONSchema from the zod schemas in
 * common/*-schemas.ts, the ones the routers validate with and the clients' types are inferred
 * from, so the document cannot describe something else than what the server checks. What is
 * written here is the route table: tag, summary, roles, which schema is the body, the answer and
 * the query, and the errors. server/http/openapi.test.ts fails when a route listed in the
 * contracts' header comments, or mounted by a router, is missing here.
 */

type Schema = Record<string, unknown>;
type Method = 'get' | 'post' | 'put' | 'delete';

// ---- components ---------------------------------------------------------------------------------

/**
 * Every `…Schema` the contract modules export, but the query schemas and other parts, is a
 * component named without the suffix: LeftMessageSchema is #/components/schemas/LeftMessage.
 */
const MODULES = { ...staff, ...kb, ...desk, ...h5 };
type SchemaName = { [K in keyof typeof MODULES]: K extends `${infer N}Schema` ? (N extends `${string}Query` | 'BindingId' ? never : N) : never }[keyof typeof MODULES];
const NAMED = Object.fromEntries(
  Object.entries(MODULES)
    .filter(([key, value]) => /^\w+Schema$/.test(key) && !/QuerySchema$|^BindingIdSchema$/.test(key) && value instanceof z.ZodType)
    .map(([key, value]) => [key.slice(0, -'Schema'.length), value as z.ZodType]),
) as Record<SchemaName, z.ZodType>;

const ref = (name: SchemaName): Schema => ({ $ref: `#/components/schemas/${name}` });

/**
 * Leaves out what zod adds by itself and no reader needs: the ±2^53 bounds of every integer and
 * the regular expressions behind `format: date-time` and `format: email`.
 */
const tidy = ({ jsonSchema: s }: { jsonSchema: Schema }): void => {
  if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
  if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
  if (s.format === 'date-time' || s.format === 'email') delete s.pattern;
};

/** JSON Schema of the named schemas, referring to each other by $ref; the $schema/$id of standalone documents dropped. */
function components(named: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, Schema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, override: tidy });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest as Schema]));
}

/**
 * Request bodies in input form (what a client may send: a default makes a property optional),
 * everything else in output form (what the server sends). A request body's enums are answers'
 * too, and read the same either way.
 */
function componentSchemas(): Record<string, Schema> {
  const bodies = new Set(ROUTES.map(([, spec]) => spec.body).filter((b) => b !== undefined && b !== 'multipart'));
  const answers = Object.fromEntries(Object.entries(NAMED).filter(([name]) => !bodies.has(name as SchemaName)));
  const inputs = components(NAMED, 'input');
  return { ...components(answers, 'output'), ...Object.fromEntries([...bodies].map((name) => [name, inputs[name]!])) };
}

/** One query parameter per property of a router's query schema, as a client may send it. */
function queryParams(query: z.ZodObject): Param[] {
  return Object.entries(query.shape).map(([name, field]) => {
    const { $schema: _s, description, ...schema } = z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any', override: tidy });
    return { name, schema, ...(typeof description === 'string' && { description }) };
  });
}

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
  /** The router's query schema. */
  query?: z.ZodObject;
  /** A JSON body (a named request schema), or a multipart upload. */
  body?: SchemaName | 'multipart';
  /** 200 with this named schema, or 204 (no body), or the success responses spelled out. */
  ok: SchemaName | 204 | { responses: Record<string, unknown> };
  errors?: ErrorStatus[];
  /** What an error means here, where it differs from ERROR_TEXT. */
  errorText?: Partial<Record<ErrorStatus, string>>;
}

const { $schema: _s, ...IMPORT_FORM } = z.toJSONSchema(
  z.object({
    file: z.string().meta({ contentEncoding: 'binary', description: '.xlsx or .csv' }),
    publish: z.literal('1').optional().describe('Publish the imported entries.'),
  }),
);

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
      : typeof spec.ok === 'string'
        ? { 200: { description: 'OK', content: json(ref(spec.ok)) } }
        : { ...spec.ok.responses };
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
      ...(spec.query ? queryParams(spec.query) : []).map((p) => ({ name: p.name, in: 'query', required: false, schema: p.schema, ...(p.description && { description: p.description }) })),
    ],
    ...(spec.body && {
      requestBody: {
        required: true,
        content:
          spec.body === 'multipart'
            ? {
                'multipart/form-data': {
                  schema: IMPORT_FORM,
                },
              }
            : json(ref(spec.body)),
      },
    }),
    responses,
  };
}

const ANY_STAFF = 'agent, technician, admin';
const ADMIN = 'admin';
const DESK = 'agent, admin (an agent only on chats assigned to them)';

const USER = 'user';
const OPEN = 'optional';
const H5_429 = 'rate_limited: too many requests; the message says when to retry';
const DECIDED = 'The application was decided before (already_decided)';
const redirect = (description: string) => ({
  description,
  headers: { Location: { schema: { type: 'string' }, description: 'Where the browser goes next.' } },
});

/** `METHOD /path/:param` → operation spec, in the order of the contracts. */
const ROUTES: Array<[`${Uppercase<Method>} /api/${string}` | `GET /auth/${string}`, OpSpec]> = [
  ['GET /api/openapi.json', { tag: 'meta', summary: 'This document', ok: { responses: { 200: { description: 'The OpenAPI 3.1 document', content: json({ type: 'object' }) } } } }],

  ['POST /api/staff/session', { tag: 'staff', summary: 'Log in: sets the staff_session cookie', body: 'LoginRequest', ok: 'StaffMe', errors: [401, 429],
    errorText: { 400: 'Username or password missing (invalid_login)', 401: 'Wrong username or password (bad_credentials)' },
  }],
  ['DELETE /api/staff/session', { tag: 'staff', summary: 'Log out: ends the session and clears the cookie', ok: 204 }],
  ['GET /api/staff/me', { tag: 'staff', summary: 'The logged-in staff member', roles: ANY_STAFF, ok: 'StaffMe' }],

  ['GET /api/kb/entries', {
    tag: 'kb', summary: 'Knowledge-base entries', roles: ANY_STAFF, ok: 'EntryPage',
    query: kb.EntryQuerySchema,
  }],
  ['GET /api/kb/entries/:id', { tag: 'kb', summary: 'One entry', roles: ANY_STAFF, ok: 'Entry' }],
  ['POST /api/kb/entries', { tag: 'kb', summary: 'Create an entry', roles: ADMIN, body: 'EntryInput', ok: 'Entry' }],
  ['PUT /api/kb/entries/:id', { tag: 'kb', summary: 'Update an entry', roles: ADMIN, body: 'EntryInput', ok: 'Entry' }],
  ['POST /api/kb/entries/:id/publish', { tag: 'kb', summary: 'Publish an entry', roles: ADMIN, ok: 'Entry' }],
  ['POST /api/kb/entries/:id/unpublish', { tag: 'kb', summary: 'Unpublish an entry (back to draft)', roles: ADMIN, ok: 'Entry' }],
  ['DELETE /api/kb/entries/:id', { tag: 'kb', summary: 'Delete an entry', roles: ADMIN, ok: 204 }],
  ['GET /api/kb/unanswered', { tag: 'kb', summary: 'Questions the bot could not answer, clustered', roles: ADMIN, query: kb.PageQuerySchema, ok: 'UnansweredPage' }],
  ['POST /api/kb/unanswered/:id/attach', { tag: 'kb', summary: 'Attach a cluster to an entry as similar questions', roles: ADMIN, body: 'AttachRequest', ok: 204 }],
  ['POST /api/kb/unanswered/:id/create', { tag: 'kb', summary: 'Create an entry from a cluster', roles: ADMIN, body: 'EntryInput', ok: 'Entry' }],
  ['POST /api/kb/unanswered/:id/dismiss', { tag: 'kb', summary: 'Dismiss a cluster', roles: ADMIN, ok: 204 }],
  ['GET /api/kb/candidates', { tag: 'kb', summary: 'Entries proposed from human-served chats', roles: ADMIN, ok: 'CandidateList' }],
  ['POST /api/kb/candidates/:id/accept', { tag: 'kb', summary: 'Accept a candidate as an entry', roles: ADMIN, body: 'EntryInput', ok: 'Entry' }],
  ['POST /api/kb/candidates/:id/dismiss', { tag: 'kb', summary: 'Dismiss a candidate', roles: ADMIN, ok: 204 }],
  ['GET /api/kb/stats', {
    tag: 'kb', summary: 'Bot analytics: hit, unanswered and suggest rates, top questions, thumbs', roles: ADMIN, ok: 'KbStats',
    query: kb.StatsQuerySchema,
  }],
  ['POST /api/kb/import', { tag: 'kb', summary: 'Import entries from .xlsx or .csv', roles: ADMIN, body: 'multipart', ok: 'ImportReport', errors: [413] }],
  ['GET /api/kb/export', {
    tag: 'kb', summary: 'Export every entry as .xlsx', roles: ADMIN,
    ok: { responses: { 200: { description: 'The workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', contentEncoding: 'binary' } } } } } },
  }],

  ['GET /api/desk/queue', { tag: 'desk', summary: 'Queued conversations, in serving order', roles: DESK, ok: 'QueueList' }],
  ['GET /api/desk/conversations', {
    tag: 'desk', summary: 'My open chats (mine=1), or a search of past chats', roles: DESK, ok: 'ConversationSummaryPage',
    query: desk.ConversationsQuerySchema,
  }],
  ['GET /api/desk/conversations/:id', { tag: 'desk', summary: 'A chat with the customer panel and the WeChat window/quota', roles: DESK, ok: 'ConversationDetail' }],
  ['GET /api/desk/conversations/:id/messages', {
    tag: 'desk', summary: "A chat's history, the bot's part included", roles: DESK, ok: 'DeskMessageList',
    query: desk.MessagesAfterQuerySchema,
  }],
  ['POST /api/desk/conversations/:id/accept', { tag: 'desk', summary: 'Accept a queued chat', roles: DESK, ok: 'ConversationSummary', errors: [409] }],
  ['POST /api/desk/conversations/:id/messages', { tag: 'desk', summary: 'Send a message to the customer (through the outbox)', roles: DESK, body: 'TextRequest', ok: 'DeskMessage', errors: [409] }],
  ['POST /api/desk/conversations/:id/transfer', { tag: 'desk', summary: 'Transfer a chat to another agent, with a note', roles: DESK, body: 'TransferRequest', ok: 'ConversationSummary', errors: [409, 422] }],
  ['POST /api/desk/conversations/:id/messages/:messageId/resend', {
    tag: 'desk',
    summary: 'Send a failed message again (重发): it goes back into the outbox with fresh retries',
    roles: DESK,
    ok: 'DeskMessage',
    errors: [409],
    errorText: { 409: 'not_failed (only a message whose delivery failed can be resent) | not_open (closed chat)' },
  }],
  ['POST /api/desk/conversations/:id/close', { tag: 'desk', summary: 'Close a chat (the customer is asked for a rating)', roles: DESK, ok: 'ConversationSummary', errors: [409] }],
  ['POST /api/desk/conversations/:id/notes', { tag: 'desk', summary: 'A private note, never sent to the customer', roles: DESK, body: 'TextRequest', ok: 'DeskMessage' }],
  ['POST /api/desk/conversations/:id/typing', { tag: 'desk', summary: "Forward the agent's typing to WeChat (within its 30 s rule)", roles: DESK, body: 'TypingRequest', ok: 204, errors: [409] }],
  ['GET /api/desk/agents', { tag: 'desk', summary: 'Agents with their status and load (transfer targets)', roles: DESK, ok: 'AgentList' }],
  ['PUT /api/desk/me/status', { tag: 'desk', summary: 'Set my status: online, away or offline', roles: DESK, body: 'StatusRequest', ok: 'AgentInfo' }],
  ['GET /api/desk/canned', { tag: 'desk', summary: 'Canned replies', roles: DESK, ok: 'CannedReplyList' }],
  ['POST /api/desk/canned', { tag: 'desk', summary: 'Create a canned reply', roles: ADMIN, body: 'CannedReplyInput', ok: 'CannedReply', errors: [409] }],
  ['PUT /api/desk/canned/:id', { tag: 'desk', summary: 'Update a canned reply', roles: ADMIN, body: 'CannedReplyInput', ok: 'CannedReply', errors: [409] }],
  ['DELETE /api/desk/canned/:id', { tag: 'desk', summary: 'Delete a canned reply', roles: ADMIN, ok: 204 }],
  ['GET /api/desk/left-messages', {
    tag: 'desk', summary: 'Messages left out of hours or after a queue timeout', roles: DESK, ok: 'LeftMessagePage',
    query: desk.LeftMessagesQuerySchema,
  }],
  ['POST /api/desk/left-messages/:id/done', { tag: 'desk', summary: 'Mark a left message handled', roles: DESK, ok: 'LeftMessage' }],
  ['POST /api/desk/left-messages/:id/reply', { tag: 'desk', summary: 'Answer a left message through the outbox and mark it handled', roles: DESK, body: 'TextRequest', ok: 'LeftMessage' }],
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
    query: z.object({ to: z.string().describe('The H5 route to land on, e.g. /h5/#/home/profile. Only local /h5/ paths; anything else lands on /h5/.') }),
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
    query: z.object({ code: z.string(), state: z.string() }),
    ok: { responses: {
      302: redirect('To `to` (a local /h5/ path), with a new h5_session cookie (the openid, and its bound account if any).'),
      400: {
        description: 'A friendly Chinese retry page with a button back to /auth/wechat: a bad or missing state, a reused or expired code (40029/40163), or WeChat unreachable.',
        content: { 'text/html': { schema: { type: 'string' } } },
      },
    } },
  }],

  ['GET /api/h5/session', { tag: 'h5', h5: OPEN, summary: 'What the page should show: came through WeChat or not, logged in or not (never 401)', ok: 'SessionInfo' }],
  ['POST /api/h5/login', {
    tag: 'h5', h5: OPEN, summary: "Log in by user name, mobile or e-mail: a new h5_session cookie; binds the session's openid to the account",
    body: 'LoginInput', ok: 'SessionInfo', errors: [423, 429],
    errorText: { 400: 'invalid_input, or a wrong account or password (wrong_password)', 429: `Too many failed logins from this IP (${H5_429})` },
  }],
  ['POST /api/h5/codes', {
    tag: 'h5', h5: OPEN, summary: 'Send a registration code (SMS) or a password-reset code (SMS or e-mail), valid 5 minutes',
    body: 'CodeRequest', ok: 'CodeSent', errors: [409, 429],
    errorText: { 400: 'A wrong mobile or e-mail, or registration by e-mail (invalid_input)', 409: 'Registration: the mobile is already registered (taken)', 429: `Too many codes per IP or per target (${H5_429})` },
  }],
  ['POST /api/h5/register', {
    tag: 'h5', h5: OPEN, summary: 'Register by mobile and SMS code: starts the session and binds the openid',
    body: 'RegisterInput', ok: 'SessionInfo', errors: [409],
    errorText: { 400: 'invalid_input (mobile, password length, …) | bad_code (wrong or expired SMS code)', 409: 'The mobile is already registered (taken)' },
  }],
  ['POST /api/h5/password/reset', {
    tag: 'h5', h5: OPEN, summary: 'Set a new password by mobile or e-mail code; every session of the account ends and the other WeChat bindings are removed',
    body: 'ResetInput', ok: 'PasswordChanged',
    errorText: { 400: 'invalid_input | bad_code (wrong or expired code; also for an address without an account)' },
  }],
  ['POST /api/h5/logout', {
    tag: 'h5', h5: OPEN, summary: "End the session and clear the cookie; inside WeChat also unbind this WeChat user, so the next menu tap shows the login form",
    ok: 'LogoutResult',
  }],
  ['GET /api/h5/me', { tag: 'h5', h5: USER, summary: '个人中心: my profile', ok: 'Profile' }],
  ['PUT /api/h5/me', {
    tag: 'h5', h5: USER, summary: 'Edit my display name, e-mail and avatar', body: 'ProfileInput', ok: 'Profile', errors: [409],
    errorText: { 409: 'The e-mail belongs to another account (taken)' },
  }],
  ['POST /api/h5/me/password', {
    tag: 'h5', h5: USER, summary: 'Change my password (the old one required); every other session of the account ends',
    body: 'PasswordChange', ok: 'PasswordChanged', errors: [423],
    errorText: { 400: 'invalid_input (new password length) | wrong_password (the old password is wrong)' },
  }],
  ['GET /api/h5/me/wechat', { tag: 'h5', h5: USER, summary: 'The WeChat users bound to my account (masked openids, the current one marked)', ok: 'WechatBindingList' }],
  ['DELETE /api/h5/me/wechat/:id', { tag: 'h5', h5: USER, summary: '解除绑定: unbind that WeChat user and end its sessions of the account', ok: 'OkResponse' }],
  ['GET /api/h5/me/points', {
    tag: 'h5', h5: USER, summary: 'My points: the balance and the ledger, newest first', ok: 'PointsPage',
    query: h5.PointsQuerySchema,
  }],
  ['GET /api/h5/points/ranking', { tag: 'h5', h5: USER, summary: 'The points ranking (top 20) and my row', ok: 'Ranking' }],
  ['GET /api/h5/me/applications', { tag: 'h5', h5: USER, summary: 'My applications, newest first', ok: 'ApplicationList' }],
  ['POST /api/h5/me/applications', {
    tag: 'h5', h5: USER, summary: 'Apply for VIP + unit administrator, or for internal staff', body: 'ApplyRequest', ok: 'Application', errors: [409],
    errorText: { 400: 'An unknown kind, or a role the account already holds (invalid_input)', 409: 'An application of this kind is already pending (already_pending)' },
  }],
  ['POST /api/h5/service-code', {
    tag: 'h5', h5: OPEN, summary: "服务编码: a unit's service code by its exact full name (audited)",
    body: 'ServiceCodeRequest', ok: 'ServiceCodeResult', errors: [429],
    errorText: { 400: 'The name is empty or longer than 100 characters (invalid_input)', 429: `10 lookups an hour per openid and per IP (${H5_429})` },
  }],

  ['GET /api/admin/applications', {
    tag: 'admin', roles: ADMIN, summary: 'Applications to review: pending oldest first, otherwise newest first', ok: 'AdminApplicationPage',
    query: h5.AdminApplicationsQuerySchema,
    errorText: { 403: 'Not an admin (forbidden)' },
  }],
  ['POST /api/admin/applications/:id/approve', {
    tag: 'admin', roles: ADMIN, summary: 'Approve: the account gets the role; the user gets a template message', ok: 'AdminApplication', errors: [409],
    errorText: { 403: 'Not an admin (forbidden)', 404: 'No such application (not_found)', 409: DECIDED },
  }],
  ['POST /api/admin/applications/:id/reject', {
    tag: 'admin', roles: ADMIN, summary: 'Reject with a reason; the user gets a template message', body: 'RejectRequest', ok: 'AdminApplication', errors: [409],
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
      schemas: componentSchemas(),
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
