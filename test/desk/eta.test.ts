import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMode } from '../helpers/mode.js';
import { conversationOf, startDeskServer, type DeskServer, type StaffClient } from '../helpers/desk.js';
import { until } from '../helpers/until.js';

const MIN = 60_000;

describe(`the estimated wait told to a queued customer (${testMode()})`, () => {
  let desk: DeskServer;
  let wang: StaffClient;

  beforeAll(async () => {
    desk = await startDeskServer();
    wang = await desk.addStaff('wang', 'agent', '小王', 1);
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('tells the wait from the busy agents’ capacity, and with no agent online how long recent customers waited', async () => {
    await wang.setStatus('online');
    const first = desk.newCustomer();
    expect(await desk.say(first, '#人工')).toContain('已为您接通客服 小王');

    // 小王 can take one chat at a time: the next customer waits one average handling time.
    const second = desk.newCustomer();
    const queued = await desk.say(second, '#人工');
    expect(queued).toContain('您是下一位，预计等待约 5 分钟');
    expect(queued).not.toContain('暂无空闲客服');

    // Four minutes later 小王 closes the first chat and takes the second: it waited 4 minutes.
    desk.advance(4 * MIN);
    const c1 = await conversationOf(desk.server, first);
    expect((await wang.post(`/api/desk/conversations/${c1.id}/close`)).status).toBe(200);
    await until(async () => (await conversationOf(desk.server, second)).status === 'assigned');

    // With nobody online there is no capacity to estimate from; the recent wait is what is known:
    // the first customer waited 0 and the second 4 minutes.
    await wang.setStatus('offline');
    const third = desk.newCustomer();
    const alone = await desk.say(third, '#人工');
    expect(alone).toContain('暂无空闲客服');
    expect(alone).toContain('近期客户平均等待约 2 分钟');
    expect(alone).not.toContain('预计等待');
  });
});
