import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationSummary, DeskMessage, QueueItem } from '../../common/desk-api.js';
import { testMode } from '../helpers/mode.js';
import { conversationOf, startDeskServer, type DeskServer, type StaffClient } from '../helpers/desk.js';
import { until } from '../helpers/until.js';

describe(`the human service end to end (${testMode()})`, () => {
  let desk: DeskServer;
  let wang: StaffClient;
  let li: StaffClient;

  beforeAll(async () => {
    desk = await startDeskServer();
    wang = await desk.addStaff('wang', 'agent', '小王');
    li = await desk.addStaff('lili', 'agent', '小李');
  });
  afterAll(async () => {
    await desk?.close();
  });

  const messages = async (agent: StaffClient, id: number) => (await agent.get<{ items: DeskMessage[] }>(`/api/desk/conversations/${id}/messages`)).body.items;

  it('queues #人工 with the position, lets an agent accept, and carries the chat both ways until #结束 and the rating', async () => {
    const first = desk.newCustomer();
    const second = desk.newCustomer();
    expect(await desk.say(first, '发票怎么开')).toBe('机器人答：发票怎么开');
    const r1 = await desk.say(first, '#人工');
    expect(r1).toContain('已为您转接人工客服');
    expect(r1).toContain('暂无空闲客服');
    // Not bound: a short bind link is offered, which goes through the silent login to 个人中心.
    const link = /https?:\/\/\S+\/auth\/wechat\/bind\b/.exec(r1)?.[0];
    expect(link, r1).toBeDefined();
    expect(r1).not.toContain('%2F');
    const hop = await fetch(link!, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    expect(hop.headers.get('location')).toBe(`/auth/wechat?to=${encodeURIComponent('/h5/#/home/profile')}`);
    const r2 = await desk.say(second, '转人工'); // the bot's handoff intent
    expect(r2).toContain('您前面还有 1 位');

    const queue = (await wang.get<{ items: QueueItem[] }>('/api/desk/queue')).body.items;
    const c1 = await conversationOf(desk.server, first);
    expect(queue.map((q) => q.conversationId)).toEqual([c1.id, (await conversationOf(desk.server, second)).id]);
    expect(queue[0]).toMatchObject({ position: 1, lane: 1, lastMessage: '#人工', customer: { bound: false, vip: false } });

    // While queued, messages stay with the human side: the bot does not answer.
    expect(await desk.say(first, '我的发票打不出来')).toBe('');

    const accepted = await wang.post<ConversationSummary>(`/api/desk/conversations/${c1.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ id: c1.id, status: 'assigned', assignee: { id: wang.id, displayName: '小王' } });
    await until(() => desk.customTexts(first).find((t) => t.includes('已为您接通客服 小王')), () => desk.customTexts(first));

    // The agent sees the whole history, the bot's part included.
    const history = await messages(wang, c1.id);
    expect(history.map((m) => m.content)).toEqual(expect.arrayContaining(['发票怎么开', '机器人答：发票怎么开', '#人工', '我的发票打不出来']));

    const sent = await wang.post<DeskMessage>(`/api/desk/conversations/${c1.id}/messages`, { text: '您好，请问是哪个版本？' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ direction: 'out', sender: 'agent', staff: { id: wang.id }, delivery: 'pending' });
    await until(() => desk.customTexts(first).includes('您好，请问是哪个版本？'), () => desk.customTexts(first));
    const delivered = await until(async () => (await messages(wang, c1.id)).find((m) => m.id === sent.body.id && m.delivery === 'sent'));
    expect(delivered.deliveryNote).toBeNull();

    expect(await desk.say(first, 'V8.0 版本')).toBe(''); // to the agent, not the bot
    const afterReply = await messages(wang, c1.id);
    expect(afterReply.at(-1)).toMatchObject({ direction: 'in', sender: 'customer', content: 'V8.0 版本' });
    const mine = (await wang.get<{ items: ConversationSummary[] }>('/api/desk/conversations?mine=1')).body.items;
    expect(mine.map((c) => [c.id, c.unread])).toEqual([[c1.id, 1]]);

    const ended = await desk.say(first, '#结束');
    expect(ended).toContain('本次人工服务已结束');
    expect(ended).toContain('请为本次服务评分：回复 1-5');
    expect((await conversationOf(desk.server, first)).status).toBe('closed');

    expect(await desk.say(first, '4 回复很快')).toContain('感谢您的评价');
    const detail = (await wang.get<ConversationDetail>(`/api/desk/conversations/${c1.id}`)).body;
    expect(detail.rating).toEqual({ score: 4, comment: '回复很快' });
    expect(detail.closeReason).toBe('customer');
    // A later digit is an ordinary question again.
    expect(await desk.say(first, '5')).toBe('机器人答：5');
    // Leaving the queue: no rating is asked for a chat nobody served.
    expect(await desk.say(second, '#结束')).toContain('已为您取消人工服务');
  });

  it('assigns at once to the online agent with the most free capacity, ties to whoever waited longest', async () => {
    await li.setStatus('online');
    const [a, b, c] = [desk.newCustomer(), desk.newCustomer(), desk.newCustomer()];
    expect(await desk.say(a, '#人工')).toContain('已为您接通客服 小李');
    await wang.setStatus('online');
    expect(await desk.say(b, '#人工')).toContain('已为您接通客服 小王'); // 5 free against 4
    expect(await desk.say(c, '#人工')).toContain('已为您接通客服 小李'); // 4 and 4: 小李 waited longer
    for (const o of [a, b, c]) await desk.say(o, '#结束');
    await wang.setStatus('offline');
    await li.setStatus('offline');
  });

  it('serves VIP and service-level customers first, first come first served within a lane', async () => {
    const db = desk.server.database.db;
    const [plain1, vip, plain2, unitCustomer] = [desk.newCustomer(), desk.newCustomer(), desk.newCustomer(), desk.newCustomer()];
    for (const o of [plain1, vip, plain2, unitCustomer]) await desk.say(o, '你好');
    await db.execute(sql`INSERT INTO units (full_name, service_code, service_level, service_valid_until) VALUES ('测试单位甲', 'SC-001', '金牌服务', current_date + 30)`);
    await db.execute(sql`INSERT INTO accounts (username, password_hash, display_name, vip) VALUES ('vipuser', 'x', '贵宾张三', true)`);
    await db.execute(sql`INSERT INTO accounts (username, password_hash, display_name, unit_id) SELECT 'unituser', 'x', '单位李四', id FROM units WHERE service_code = 'SC-001'`);
    await db.execute(sql`UPDATE customers SET account_id = (SELECT id FROM accounts WHERE username = 'vipuser') WHERE openid = ${vip}`);
    await db.execute(sql`UPDATE customers SET account_id = (SELECT id FROM accounts WHERE username = 'unituser') WHERE openid = ${unitCustomer}`);
    for (const o of [plain1, vip, plain2, unitCustomer]) await desk.say(o, '#人工');
    const queue = (await wang.get<{ items: QueueItem[] }>('/api/desk/queue')).body.items;
    const ids = await Promise.all([vip, unitCustomer, plain1, plain2].map(async (o) => (await conversationOf(desk.server, o)).id));
    expect(queue.map((q) => q.conversationId)).toEqual(ids);
    expect(queue.map((q) => q.lane)).toEqual([0, 0, 1, 1]);
    expect(queue[0]!.customer).toMatchObject({ name: '贵宾张三', bound: true, vip: true });
    const detail = (await wang.get<ConversationDetail>(`/api/desk/conversations/${ids[1]}`)).body;
    expect(detail.panel.unit).toMatchObject({ name: '测试单位甲', serviceCode: 'SC-001', serviceLevel: '金牌服务' });
    expect(detail.panel.bindUrl).toBeNull();
    expect(detail.window.quotaTotal).toBe(5);
    expect(detail.window.secondsLeft).toBeGreaterThan(47 * 3600);
    for (const o of [plain1, vip, plain2, unitCustomer]) await desk.say(o, '#结束');
  });

  it('transfers a chat to another agent with a note the new agent sees', async () => {
    await li.setStatus('online');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    const c = await conversationOf(desk.server, openid);
    const refused = await wang.post(`/api/desk/conversations/${c.id}/transfer`, { agent: 'wang' });
    expect(refused.status).toBe(403); // not wang's chat
    const unavailable = await li.post(`/api/desk/conversations/${c.id}/transfer`, { agent: 'wang', note: '客户问的是报表' });
    expect(unavailable.status).toBe(422); // wang is offline
    await wang.setStatus('online');
    const moved = await li.post<ConversationSummary>(`/api/desk/conversations/${c.id}/transfer`, { agent: 'wang', note: '客户问的是报表' });
    expect(moved.status).toBe(200);
    expect(moved.body.assignee).toEqual({ id: wang.id, displayName: '小王' });
    const notes = (await messages(wang, c.id)).filter((m) => m.direction === 'note');
    expect(notes.at(-1)?.content).toBe('小李 转接给 小王：客户问的是报表');
    await until(() => desk.customTexts(openid).some((t) => t.includes('已为您转接至客服 小王')));
    const closed = await wang.post<ConversationSummary>(`/api/desk/conversations/${c.id}/close`);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'agent' });
    await until(() => desk.customTexts(openid).some((t) => t.includes('客服已结束本次服务') && t.includes('请为本次服务评分')));
    await wang.setStatus('offline');
    await li.setStatus('offline');
  });
});
