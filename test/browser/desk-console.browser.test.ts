import type { Browser, Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../server/platform/paths.js';
import { launchBrowser } from '../helpers/browser.js';
import { conversationOf, startDeskServer, type DeskServer } from '../helpers/desk.js';
import { until } from '../helpers/until.js';
import { sql } from 'drizzle-orm';
import { MAX_ATTEMPTS } from '../../server/outbox/backoff.js';

/**
 * The agent desk in the built console (console/dist) against the whole server and the simulator
 *: log in, accept, reply, and see the customer's answer arrive live.
 */
describe('the agent desk in the console', () => {
  let desk: DeskServer;
  let browser: Browser;
  let page: Page;
  let customer: string;

  beforeAll(async () => {
    if (!existsSync(fromRoot('console', 'dist', 'index.html'))) throw new Error('console/dist is missing: run node scripts/build-if-stale.mjs');
    desk = await startDeskServer();
    await desk.addStaff('wang', 'agent', '小王');
    customer = desk.newCustomer();
    expect(await desk.say(customer, '发票怎么开')).toBe('机器人答：发票怎么开');
    expect(await desk.say(customer, '#人工')).toContain('已为您转接人工客服');
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await desk?.close();
  });

  const chat = () => page.locator('[data-testid="chat-panel"]');

  it('lands an agent on the desk after login, with the waiting customer in the queue', async () => {
    await page.goto(`${desk.server.url}/console/`);
    await page.fill('input[name="username"]', 'wang');
    await page.fill('input[name="password"]', 'wang-password');
    await page.click('button[type="submit"]');
    const item = page.locator('[data-testid="queue-item"]', { hasText: '#人工' });
    await item.waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/desk');
    expect(await item.innerText()).toContain('接入');
    expect(await page.locator('.el-menu-item', { hasText: '工作台' }).count()).toBe(1);
  });

  it('accepts the customer and shows the whole history, the bot’s part included, beside the customer panel', async () => {
    await page.locator('[data-testid="queue-item"]', { hasText: '#人工' }).locator('[data-testid="accept"]').click();
    await chat().locator('[data-testid="msg-bot"]', { hasText: '机器人答：发票怎么开' }).waitFor();
    expect(await chat().locator('[data-testid="msg-customer"]', { hasText: '发票怎么开' }).count()).toBeGreaterThan(0);
    expect((await conversationOf(desk.server, customer)).status).toBe('assigned');
    await page.locator('[data-testid="customer-panel"] [data-testid="bound-state"]', { hasText: '未绑定' }).waitFor();
    expect(await page.locator('[data-testid="window-bar"]').innerText()).toMatch(/会话窗口剩余 \d+小时\d+分/);
    expect(await page.locator('[data-testid="quota-left"]').innerText()).toMatch(/还可发送 \d 条/);
    await until(async () => (await desk.customTexts(customer)).some((t) => t.includes('小王')), () => desk.customTexts(customer));
  });

  it('sends a reply with Enter that reaches the customer’s WeChat', async () => {
    await page.locator('[data-testid="reply-input"]').fill('您好，请问是哪个版本？');
    await page.locator('[data-testid="reply-input"]').press('Enter');
    await until(() => desk.customTexts(customer).includes('您好，请问是哪个版本？'), () => desk.customTexts(customer));
    expect(await page.inputValue('[data-testid="reply-input"]')).toBe('');
    await chat().locator('[data-testid="msg-agent"]', { hasText: '您好，请问是哪个版本？' }).waitFor();
  });

  it('shows the customer’s answer live, and the reply as delivered, over the socket', async () => {
    await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await desk.say(customer, 'V8.0 版本')).toBe('');
    await chat().locator('[data-testid="msg-customer"]', { hasText: 'V8.0 版本' }).waitFor({ timeout: 10_000 });
    await chat()
      .locator('[data-testid="msg-agent"]', { hasText: '您好，请问是哪个版本？' })
      .locator('[data-testid="delivery"]', { hasText: '已送达' })
      .waitFor({ timeout: 10_000 });
    // For reviewers: the desk as the agent sees it (test/artifacts/ is gitignored).
    mkdirSync(fromRoot('test', 'artifacts'), { recursive: true });
    await page.screenshot({ path: fromRoot('test', 'artifacts', 'console-desk.png') });
  });
  /** Makes the pending retries of the message with this text due now, and runs the worker. */
  const hurry = async (text: string) => {
    await desk.server.database.db.execute(sql`
      UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending' AND message_id IN (SELECT id FROM messages WHERE content = ${text})`);
    desk.server.outbox.kick();
  };

  it('shows a message WeChat kept refusing (系统繁忙) as 发送失败 with 重发, which sends it again, live', async () => {
    const text = '稍后为您核实开票信息';
    for (let i = 0; i < MAX_ATTEMPTS; i++) desk.server.simulator!.platform.failNext('/cgi-bin/message/custom/send', -1);
    await page.locator('[data-testid="reply-input"]').fill(text);
    await page.locator('[data-testid="reply-input"]').press('Enter');
    const bubble = chat().locator('[data-testid="msg-agent"]', { hasText: text });
    await until(async () => {
      await hurry(text);
      return (await bubble.locator('[data-testid="delivery"]', { hasText: '发送失败' }).count()) > 0;
    });
    expect(desk.customTexts(customer)).not.toContain(text);
    await bubble.locator('[data-testid="resend"]', { hasText: '重发' }).click();
    await bubble.locator('[data-testid="delivery"]', { hasText: '已送达' }).waitFor({ timeout: 10_000 });
    expect(await bubble.locator('[data-testid="resend"]').count()).toBe(0);
    expect(desk.customTexts(customer).filter((t) => t === text)).toHaveLength(1);
  });

  it('marks a message sent again after its worker died mid-send as 可能重复发送', async () => {
    const text = '这条发送时进程被杀';
    await desk.server.outbox.stop();
    await page.locator('[data-testid="reply-input"]').fill(text);
    await page.locator('[data-testid="reply-input"]').press('Enter');
    const bubble = chat().locator('[data-testid="msg-agent"]', { hasText: text });
    await bubble.waitFor();
    await desk.server.database.db.execute(sql`
      UPDATE outbox SET status = 'sending', attempts = 1, next_attempt_at = now() - interval '1 second'
      WHERE message_id IN (SELECT id FROM messages WHERE content = ${text})`);
    desk.server.outbox.start();
    await bubble.locator('[data-testid="delivery"]', { hasText: '已送达' }).waitFor({ timeout: 10_000 });
    await bubble.locator('[data-testid="possible-duplicate"]', { hasText: '可能重复发送' }).waitFor({ timeout: 10_000 });
  });

  it('counts a handled left message under 全部 as well as under 已处理', async () => {
    const c = await conversationOf(desk.server, customer);
    await desk.server.database.db.execute(sql`
      INSERT INTO left_messages (conversation_id, customer_id, content, status, handled_at)
      VALUES (${c.id}, (SELECT customer_id FROM conversations WHERE id = ${c.id}), '已处理的一条留言', 'done', now())`);
    await page.goto(`${desk.server.url}/console/desk/left-messages`);
    const table = page.locator('[data-testid="left-table"]');
    const status = page.locator('[data-testid="left-status"]');
    const total = page.locator('.el-pagination__total');
    await status.locator('label', { hasText: '已处理' }).click();
    await table.locator('tr', { hasText: '已处理的一条留言' }).waitFor();
    expect(await total.innerText()).toContain('共 1 条');
    await status.locator('label', { hasText: '全部' }).click();
    await table.locator('tr', { hasText: '已处理的一条留言' }).waitFor({ timeout: 5_000 });
    expect(await total.innerText()).toContain('共 1 条');
  });

  it('answers a left message from the list and opens the chat it was left in', async () => {
    const other = desk.newCustomer();
    expect(await desk.say(other, '你好')).toBe('机器人答：你好');
    const c = await conversationOf(desk.server, other);
    await desk.server.database.db.execute(sql`
      INSERT INTO left_messages (conversation_id, customer_id, content)
      VALUES (${c.id}, (SELECT customer_id FROM conversations WHERE id = ${c.id}), '请明天上午回电')`);
    await page.goto(`${desk.server.url}/console/desk/left-messages`);
    const row = page.locator('[data-testid="left-table"] tr', { hasText: '请明天上午回电' });
    await row.locator('[data-testid="left-reply-open"]').click({ timeout: 5_000 });
    const dialog = page.locator('[data-testid="left-reply-dialog"]');
    await dialog.getByText('请明天上午回电').waitFor({ timeout: 5_000 });
    expect(await dialog.locator('[data-testid="left-reply-send"]').isDisabled()).toBe(true);
    await dialog.locator('[data-testid="left-reply-text"]').fill('好的，明天上午十点给您回电', { timeout: 5_000 });
    await dialog.locator('[data-testid="left-reply-send"]').click();
    await until(() => desk.customTexts(other).includes('好的，明天上午十点给您回电'), () => desk.customTexts(other));

    // Handled now: under 已处理 with the reply beside the message.
    await page.locator('[data-testid="left-status"] label', { hasText: '已处理' }).click();
    const handled = page.locator('[data-testid="left-table"] tr', { hasText: '请明天上午回电' });
    await handled.locator('[data-testid="left-reply"]', { hasText: '小王 回复：好的，明天上午十点给您回电' }).waitFor();

    await handled.locator('[data-testid="left-view"]').click();
    const drawer = page.locator('[data-testid="history-drawer"]');
    await drawer.getByText('好的，明天上午十点给您回电').waitFor();
    expect(await drawer.innerText()).toContain('你好');
  });
});
