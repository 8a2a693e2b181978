import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMessagesByOpenid } from '../../server/chat/conversations.repo.js';
import type { Running } from '../../server/runtime.js';
import { launchBrowser } from '../helpers/browser.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/** The phone page of the built-in simulator, driven by a real Chromium against the real server. */
describe('the simulator phone page', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    // localhost, as a person opens it: the menu links and the OAuth cookie use that host.
    await page.goto(`http://localhost:${server.port}/simulator/`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sends a text and shows the reply under it', async () => {
    // With a custom menu the page opens on the menu, as WeChat does; switch to the keyboard.
    await page.locator('#to-input').click();
    await page.fill('#text', '总账月末结账失败怎么办');
    await page.click('#btn-send');
    const mine = page.locator('#chat .msg', { hasText: '总账月末结账失败怎么办' });
    await mine.waitFor();
    // The knowledge base answers it, and invites feedback.
    const reply = page.locator('#chat .msg', { hasText: '这个回答对您有帮助吗' }).last();
    await reply.waitFor();
    // The reply comes after the question, and is what the server stored.
    const texts = await page.locator('#chat .msg').allInnerTexts();
    const qi = texts.findIndex((t) => t.includes('总账月末结账失败怎么办'));
    const ri = texts.findLastIndex((t) => t.includes('这个回答对您有帮助吗'));
    expect(ri).toBeGreaterThan(qi);
    const openid = (await page.textContent('#openid'))!.trim();
    const history = await listMessagesByOpenid(server.database.db, openid);
    const squash = (t: string) => t.replace(/\s+/g, '').replace(/<[^>]+>/g, '');
    expect(squash(await reply.innerText())).toContain(squash(history.at(-1)!.content).slice(0, 40));
  });

  it('shows a message the account sends later through the customer-service API', async () => {
    const openid = (await page.textContent('#openid'))!.trim();
    await server.api.sendText(openid, '这是一条客服消息');
    await page.locator('#chat .msg', { hasText: '这是一条客服消息' }).waitFor();
  });

  it('shows a template message as WeChat does: its title, labelled fields and remark, not raw keys', async () => {
    const openid = (await page.textContent('#openid'))!.trim();
    await server.api.sendTemplate({
      openid,
      templateId: 'application_result',
      data: { first: { value: '您的VIP申请已通过' }, keyword1: { value: 'VIP' }, keyword2: { value: '已通过' }, keyword3: { value: '2026-12-04 10:00' }, remark: { value: '感谢您的支持' } },
    });
    const card = page.locator('[data-testid="template-card"]', { hasText: '您的VIP申请已通过' });
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('审核结果通知');
    expect(text).toMatch(/审核结果\s*已通过/);
    expect(text).toMatch(/申请类型\s*VIP/);
    expect(text).toContain('感谢您的支持');
    expect(text).not.toMatch(/keyword|first|remark/);
  });

  it('shows the custom menu, whose CLICK gets the account’s answer', async () => {
    await page.locator('#to-menu').click();
    await page.locator('#menu-buttons button', { hasText: '我的服务' }).waitFor({ timeout: 10_000 });
    await page.locator('#menu-buttons button', { hasText: '我的服务' }).click();
    await page.locator('#submenu button, #submenu a', { hasText: '微客服' }).click();
    await page.locator('#chat .msg', { hasText: '请直接发送您的问题' }).waitFor();
  });

  it('opens a VIEW item through the simulated OAuth on the H5 page', async () => {
    await page.locator('#menu-buttons button', { hasText: '知识中心' }).click();
    await page.locator('#submenu button, #submenu a', { hasText: '微知识' }).click();
    const frame = page.frameLocator('#webview-frame');
    await frame.locator('text=知识中心').first().waitFor({ timeout: 10_000 });
    const src = await page.locator('#webview-frame').evaluate((f) => (f as unknown as { contentWindow: { location: { href: string } } }).contentWindow.location.href);
    expect(src).toContain('/h5/');
    // It came through /auth/wechat and the simulated OAuth: the page's session knows the WeChat user.
    const session = await page.locator('#webview-frame').evaluate(async (f) => {
      const w = (f as unknown as { contentWindow: { fetch: typeof fetch } }).contentWindow;
      return (await w.fetch('/api/h5/session')).json();
    });
    expect(session).toMatchObject({ wechat: true });
  });
});
