import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, LeftMessage, Page } from '../../common/desk-api.js';
import { testMode } from '../helpers/mode.js';
import { conversationOf, startDeskServer, type DeskServer, type StaffClient } from '../helpers/desk.js';
import { until } from '../helpers/until.js';

const S = 1000;

describe(`the desk's timeouts and business hours (${testMode()})`, () => {
  let desk: DeskServer;
  let wang: StaffClient;
  let lili: StaffClient;

  beforeAll(async () => {
    desk = await startDeskServer({ env: { DESK_QUEUE_TIMEOUT_S: '60', DESK_ANSWER_TIMEOUT_S: '30', DESK_IDLE_TIMEOUT_S: '120' } });
    wang = await desk.addStaff('wang', 'agent', '小王');
    lili = await desk.addStaff('lili', 'agent', '小李');
  });
  afterAll(async () => {
    await desk?.close();
  });

  const sweep = () => desk.server.desk.sweeper.sweep();
  const summary = async (id: number) => (await wang.get<ConversationSummary>(`/api/desk/conversations/${id}`)).body;

  it('offers to keep waiting or leave a message after the queue timeout, once, and keeps the left message', async () => {
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    await sweep();
    expect(desk.customTexts(openid)).toEqual([]); // not yet
    desk.advance(61 * S);
    expect(await sweep()).toBe(true);
    await sweep();
    await until(() => desk.customTexts(openid).length === 1);
    expect(desk.customTexts(openid)[0]).toContain('回复 1 继续等待；回复 2 留言');
    expect(await desk.say(openid, '1')).toContain('继续为您排队');
    expect(await desk.say(openid, '2')).toContain('请直接发送您的留言');
    expect(await desk.say(openid, '请回电 13800000000，关于发票')).toContain('您的留言已收到');
    // A second line within the follow-up window joins the message instead of reaching the bot.
    expect(await desk.say(openid, '抬头是示例集团')).toBe('已补充到您的留言中。');
    const c = await conversationOf(desk.server, openid);
    expect(c.status).toBe('message');
    desk.advance(601 * S);
    await sweep();
    expect((await summary(c.id)).closeReason).toBe('left_message');
    expect(desk.customTexts(openid)).toHaveLength(1); // closed silently: no "inactivity" notice
    const open = (await wang.get<Page<LeftMessage>>('/api/desk/left-messages?status=open')).body;
    const left = open.items.find((l) => l.conversationId === c.id)!;
    expect(left.content).toBe('请回电 13800000000，关于发票\n抬头是示例集团');
    const done = await wang.post<LeftMessage>(`/api/desk/left-messages/${left.id}/done`);
    expect(done.body).toMatchObject({ status: 'done', handledBy: '小王' });
    expect((await wang.get<Page<LeftMessage>>('/api/desk/left-messages')).body.items.some((l) => l.id === left.id)).toBe(false);
  });

  it('gives the chat to another agent when the assigned one does not answer, and back to the queue when nobody else can', async () => {
    await wang.setStatus('online');
    const openid = desk.newCustomer();
    expect(await desk.say(openid, '#人工')).toContain('小王');
    const c = await conversationOf(desk.server, openid);
    await lili.setStatus('online');
    desk.advance(31 * S);
    await sweep();
    expect((await summary(c.id)).assignee).toEqual({ id: lili.id, displayName: '小李' });
    await until(() => desk.customTexts(openid).some((t) => t.includes('已为您转接至客服 小李')));

    await wang.setStatus('offline');
    desk.advance(31 * S);
    await sweep();
    const back = await summary(c.id);
    expect(back.status).toBe('queued');
    const queue = (await wang.get<{ items: Array<{ conversationId: number; lane: number }> }>('/api/desk/queue')).body.items;
    expect(queue[0]).toMatchObject({ conversationId: c.id, lane: 0 }); // the front of the queue
    expect(await desk.say(openid, '#结束')).toContain('已为您取消人工服务');
    await lili.setStatus('offline');
  });

  it('closes a chat after the inactivity timeout with a message and the rating request', async () => {
    await wang.setStatus('online');
    const openid = desk.newCustomer();
    await desk.say(openid, '#人工');
    const c = await conversationOf(desk.server, openid);
    expect((await wang.post(`/api/desk/conversations/${c.id}/messages`, { text: '您好，请讲' })).status).toBe(200);
    desk.advance(60 * S);
    await sweep();
    expect((await summary(c.id)).status).toBe('assigned'); // not idle long enough
    desk.advance(61 * S);
    await sweep();
    expect(await summary(c.id)).toMatchObject({ status: 'closed', closeReason: 'inactivity' });
    const last = await until(() => desk.customTexts(openid).find((t) => t.includes('自动结束')));
    expect(last).toContain('请为本次服务评分：回复 1-5');
    expect(await desk.say(openid, '3分，一般')).toContain('感谢您的评价');
    expect((await summary(c.id)).rating).toEqual({ score: 3, comment: '一般' });
    await wang.setStatus('offline');
  });
});

describe(`out of business hours (${testMode()})`, () => {
  let desk: DeskServer;
  // Open only on a day that is not today (in the desk's time zone), so it is closed now.
  const today = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short' }).format(new Date()).toLowerCase();
  const other = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].find((d) => d !== today && d !== dayAfter(today))!;

  beforeAll(async () => {
    desk = await startDeskServer({ env: { DESK_HOURS: `${other} 08:30-17:30`, DESK_TIMEZONE: 'Asia/Shanghai' } });
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('says when service resumes, and keeps the next message as a left message', async () => {
    const openid = desk.newCustomer();
    const names: Record<string, string> = { sun: '周日', mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六' };
    const reply = await desk.say(openid, '#人工');
    expect(reply).toContain(`人工客服将于 ${names[other]} 08:30 恢复服务`);
    expect((await conversationOf(desk.server, openid)).status).toBe('message');
    expect(await desk.say(openid, '想咨询年度服务续费')).toContain('您的留言已收到');
    expect(await desk.say(openid, '我们是 V8 的用户')).toBe('已补充到您的留言中。');
    const admin = await desk.addStaff('boss', 'admin', '管理员');
    const items = (await admin.get<Page<LeftMessage>>('/api/desk/left-messages')).body.items;
    expect(items.map((l) => l.content)).toEqual(['想咨询年度服务续费\n我们是 V8 的用户']);
    // After the follow-up window the chat is back with the bot.
    desk.advance(601_000);
    await desk.server.desk.sweeper.sweep();
    expect(await desk.say(openid, '谢谢')).toBe('机器人答：谢谢');

    // The left message is answered from the 留言 list: to the customer through the outbox, and done.
    const replied = await admin.post<LeftMessage>(`/api/desk/left-messages/${items[0]!.id}/reply`, { text: '您好，续费请联系 400-658-6000' });
    expect(replied.status).toBe(200);
    expect(replied.body).toMatchObject({ status: 'done', handledBy: '管理员', lastReply: { content: '您好，续费请联系 400-658-6000', by: '管理员' } });
    await until(() => desk.customTexts(openid).includes('您好，续费请联系 400-658-6000'), () => desk.customTexts(openid));
    const after = await until(async () => {
      const [row] = (await admin.get<Page<LeftMessage>>('/api/desk/left-messages?status=done')).body.items;
      return row?.lastReply?.delivery === 'sent' ? row : undefined;
    });
    expect(after.id).toBe(items[0]!.id);
    expect((await admin.post(`/api/desk/left-messages/999999/reply`, { text: 'x' })).status).toBe(404);
    expect((await admin.post(`/api/desk/left-messages/${items[0]!.id}/reply`, { text: '' })).status).toBe(400);
  });
});

function dayAfter(day: string): string {
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  return days[(days.indexOf(day) + 1) % 7]!;
}
