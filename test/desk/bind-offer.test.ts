import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMode } from '../helpers/mode.js';
import { startDeskServer, type DeskServer } from '../helpers/desk.js';

const HOUR = 3600_000;
const LINK = /https?:\/\/\S+\/auth\/wechat\/bind\b/;

describe(`the bind link offered by the human service (${testMode()})`, () => {
  let desk: DeskServer;

  beforeAll(async () => {
    desk = await startDeskServer();
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('is offered to an unbound customer once a day, not on every #人工', async () => {
    const customer = desk.newCustomer();
    const first = await desk.say(customer, '#人工');
    expect(first).toMatch(LINK);
    expect(await desk.say(customer, '#结束')).toContain('已为您取消人工服务');

    const again = await desk.say(customer, '#人工');
    expect(again).toContain('已为您转接人工客服');
    expect(again).not.toMatch(LINK);
    await desk.say(customer, '#结束');

    // Another customer still gets it.
    expect(await desk.say(desk.newCustomer(), '#人工')).toMatch(LINK);

    desk.advance(25 * HOUR);
    expect(await desk.say(customer, '#人工')).toMatch(LINK);
  });

  it('is offered once when two #人工 of one customer are answered at the same time', async () => {
    const customer = desk.newCustomer();
    const replies = await Promise.all([desk.say(customer, '#人工'), desk.say(customer, '#人工')]);
    expect(replies.filter((r) => LINK.test(r))).toHaveLength(1);
  });
});
