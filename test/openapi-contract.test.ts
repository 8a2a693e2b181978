import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AgentListSchema,
  CannedReplyListSchema,
  CannedReplySchema,
  ConversationDetailSchema,
  ConversationSummaryPageSchema,
  DeskEventSchema,
  DeskMessageListSchema,
  LeftMessagePageSchema,
  LeftMessageSchema,
} from '../common/desk-schemas.js';
import {
  CodeSentSchema,
  PointsPageSchema,
  ProfileSchema,
  SessionInfoSchema,
  WechatBindingListSchema,
} from '../common/h5-schemas.js';
import { ApiErrorBodySchema, StaffMeSchema } from '../common/staff-schemas.js';
import { H5Client } from './auth/h5-client.js';
import { connectDesk } from './desk/desk-hub-fixture.js';
import { startDeskServer, type DeskServer, type StaffClient } from './helpers/desk.js';
import { testMode } from './helpers/mode.js';

/**
 * The documented answer schemas (common/*-schemas.ts, the ones GET /api/openapi.json is generated
 * from) against what the real server sends. Parsing strips what a schema does not name, so
 * "parses, and the parsed value equals the body" means the body has exactly the documented
 * properties, at every depth: a field the server adds or drops fails here, not in a client.
 */
function exact<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues, JSON.stringify(body)).toBeUndefined();
  expect(parsed.data).toEqual(body);
  return parsed.data!;
}

describe(`the documented schemas match the server's answers (${testMode()})`, () => {
  let desk: DeskServer;
  let admin: StaffClient;
  // Closed now (open only on a day that is neither today nor tomorrow), so a chat becomes a left message at once.
  const today = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short' }).format(new Date()).toLowerCase();
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const other = days[(days.indexOf(today) + 3) % 7]!;

  beforeAll(async () => {
    desk = await startDeskServer({ env: { DESK_HOURS: `${other} 08:30-17:30`, DESK_TIMEZONE: 'Asia/Shanghai' } });
    admin = await desk.addStaff('boss', 'admin', '管理员');
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('staff: GET /api/staff/me is exactly StaffMe, and a refusal exactly ApiErrorBody', async () => {
    const me = await admin.get('/api/staff/me');
    expect(me.status).toBe(200);
    expect(exact(StaffMeSchema.strict(), me.body)).toMatchObject({ username: 'boss', role: 'admin' });
    const refused = await admin.get('/api/desk/conversations/0');
    expect(refused.status).toBe(400);
    exact(ApiErrorBodySchema.strict(), refused.body);
  });

  it('desk: the socket frames, a page of left messages, one left message, its conversation, its messages and the search are exactly their schemas', async () => {
    const socket = await connectDesk(`${desk.server.url.replace(/^http/, 'ws')}/api/desk/ws`, admin.cookie!);
    await socket.next('hello');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    expect(await desk.say(openid, '想咨询年度服务续费')).toContain('您的留言已收到');

    const page = await admin.get('/api/desk/left-messages');
    expect(page.status).toBe(200);
    const [left] = exact(LeftMessagePageSchema.strict(), page.body).items;
    expect(left).toMatchObject({ content: '想咨询年度服务续费', status: 'open', lastReply: null });

    const replied = await admin.post(`/api/desk/left-messages/${left!.id}/reply`, { text: '您好，稍后回电' });
    expect(replied.status).toBe(200);
    expect(exact(LeftMessageSchema.strict(), replied.body)).toMatchObject({ status: 'done', handledBy: '管理员', lastReply: { content: '您好，稍后回电' } });

    const detail = await admin.get(`/api/desk/conversations/${left!.conversationId}`);
    expect(detail.status).toBe(200);
    exact(ConversationDetailSchema.strict(), detail.body);

    const messages = await admin.get(`/api/desk/conversations/${left!.conversationId}/messages`);
    expect(messages.status).toBe(200);
    expect(exact(DeskMessageListSchema.strict(), messages.body).items.map((m) => m.direction)).toContain('out');

    const search = await admin.get('/api/desk/conversations?page=1&pageSize=5');
    expect(search.status).toBe(200);
    expect(exact(ConversationSummaryPageSchema.strict(), search.body).total).toBeGreaterThan(0);

    await socket.close();
    expect(socket.frames.length).toBeGreaterThan(0);
    for (const frame of socket.frames) exact(DeskEventSchema, frame);
  });

  it('desk: the agents and a created canned reply are exactly their schemas', async () => {
    const agents = await admin.get('/api/desk/agents');
    expect(agents.status).toBe(200);
    expect(exact(AgentListSchema.strict(), agents.body).items.map((a) => a.username)).toContain('boss');
    const canned = await admin.post('/api/desk/canned', { shortcut: 'contract_check', title: '问候', content: '您好' });
    expect(canned.status).toBe(200);
    exact(CannedReplySchema.strict(), canned.body);
    const list = await admin.get('/api/desk/canned');
    expect(exact(CannedReplyListSchema.strict(), list.body).items.map((r) => r.shortcut)).toContain('contract_check');
  });

  it('H5: the session before and after registering, the code, the profile, the points and the bindings are exactly their schemas', async () => {
    const c = new H5Client(desk.server.url);
    const anonymous = await c.get('/api/h5/session');
    expect(anonymous.status).toBe(200);
    expect(exact(SessionInfoSchema.strict(), anonymous.json)).toEqual({ wechat: false, user: null });

    const mobile = '13900000123';
    const sent = await c.post('/api/h5/codes', { purpose: 'register', channel: 'sms', to: mobile });
    expect(sent.status).toBe(200);
    exact(CodeSentSchema.strict(), sent.json);
    const notice = [...desk.server.simulator!.platform.notices()].reverse().find((x) => x.text.includes(mobile));
    const code = /验证码 (\d{6})/.exec(notice?.text ?? '')?.[1] ?? '';
    const registered = await c.post('/api/h5/register', { mobile, code, password: 'good-password-1', displayName: '李四' });
    expect(registered.status).toBe(200);
    expect(exact(SessionInfoSchema.strict(), registered.json).user).toMatchObject({ username: mobile, displayName: '李四' });
    exact(SessionInfoSchema.strict(), (await c.get('/api/h5/session')).json);

    const profile = await c.get('/api/h5/me');
    expect(profile.status).toBe(200);
    exact(ProfileSchema.strict(), profile.json);
    const points = await c.get('/api/h5/me/points');
    expect(points.status).toBe(200);
    expect(exact(PointsPageSchema.strict(), points.json).items.length).toBeGreaterThan(0);
    const bindings = await c.get('/api/h5/me/wechat');
    expect(bindings.status).toBe(200);
    exact(WechatBindingListSchema.strict(), bindings.json);
  });
});
