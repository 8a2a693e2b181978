import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import type { SessionInfo } from '../../common/h5-api.js';
import { units } from '../../server/accounts/schema.js';
import type { CodeSender } from '../../server/auth/codes.js';
import { WRONG_PASSWORD } from '../../server/auth/login.service.js';
import { fromRoot } from '../../server/platform/paths.js';
import type { Running } from '../../server/runtime.js';
import { launchBrowser } from '../helpers/browser.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/** The built H5 app (h5/dist) served by the real server at /h5/, on a phone-sized Chromium page. */
describe('the H5 app', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;
  /** The SMS / e-mail codes the server sends, as a real gateway would receive them. */
  const sent: Array<{ to: string; text: string }> = [];
  const sender: CodeSender = { simulated: true, send: async (to, text) => void sent.push({ to, text }) };
  const unit = { fullName: '济南示例软件股份有限公司', serviceCode: 'SC-H5-0001' };
  const artifacts = fromRoot('test', 'artifacts');
  const shot = (name: string) => page.screenshot({ path: `${artifacts}/h5-${name}.png`, fullPage: true });

  beforeAll(async () => {
    if (!existsSync(fromRoot('h5', 'dist', 'index.html'))) throw new Error('h5/dist is missing: run node scripts/build-if-stale.mjs');
    mkdirSync(artifacts, { recursive: true });
    server = await startTestServer(await freshStorageTarget(), { overrides: { h5: { senders: { sms: sender, email: sender } } } });
    await server.database.db.insert(units).values({ ...unit, serviceLevel: '金牌服务', serviceValidUntil: '2099-12-31' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const url = (hash: string) => `http://localhost:${server.port}/h5/${hash}`;
  const itemTitles = (group: string) => page.locator(`[data-testid="group-${group}"] [data-item] .van-cell__title > span`).allInnerTexts();

  it('opens on 我的服务 with the tab bar and the group’s seven items, as in the manual', async () => {
    await page.goto(url(''));
    await page.locator('[data-testid="group-service"]').waitFor();
    expect(await page.locator('[data-testid="tabbar"] .van-tabbar-item').allInnerTexts()).toEqual(['我的服务', '知识中心', '服务家园']);
    expect(await itemTitles('service')).toEqual(['微客服', '我要提问', '提问反馈', '服务预约', '预约跟踪', '内部咨询', '咨询反馈']);
    expect(await page.locator('.van-nav-bar__title').innerText()).toBe('我的服务');
    expect(await page.title()).toBe('我的服务');
    expect(new URL(page.url()).hash).toBe('#/service');
    await shot('service');
  });

  it('switches groups from the tab bar: 知识中心 and 服务家园 list their items', async () => {
    await page.locator('[data-testid="tabbar"] [data-group="knowledge"]').click();
    await page.locator('[data-testid="group-knowledge"]').waitFor();
    expect(await itemTitles('knowledge')).toEqual(['微知识', '微分享', '服务产品']);
    expect(await page.title()).toBe('知识中心');
    await page.locator('[data-testid="tabbar"] [data-group="home"]').click();
    await page.locator('[data-testid="group-home"]').waitFor();
    expect(await itemTitles('home')).toEqual(['活动专区', '服务网点', '联系我们', '吐槽建议', '调查问卷', '服务编码', '个人中心']);
    expect(new URL(page.url()).hash).toBe('#/home');
    await shot('home');
  });

  it('opens an item a later issue builds on a 即将上线 page whose back button returns to the group', async () => {
    await page.goto(url('#/service'));
    await page.locator('[data-testid="group-service"] [data-item="ask"]').click();
    await page.locator('[data-testid="page-soon"]').waitFor();
    expect(await page.locator('[data-testid="page-soon"]').innerText()).toContain('「我要提问」即将上线');
    expect(await page.title()).toBe('我要提问');
    await shot('soon');
    await page.locator('.van-nav-bar__left').click();
    await page.locator('[data-testid="group-service"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#/service');
  });

  it('accepts the WeChat menu’s links without the slash (#home/service-code)', async () => {
    await page.goto(url('#home/service-code'));
    await page.locator('[data-testid="page-service-code"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#/home/service-code');
    expect(await page.locator('.van-nav-bar__title').innerText()).toBe('服务编码');
    expect(await page.locator('[data-testid="page-service-code"]').innerText()).toContain('完全一致');
    await shot('service-code');
  });

  it('fits a 320 px wide phone without sideways scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 568 });
    for (const hash of ['#/service', '#/home', '#/home/service-code']) {
      await page.goto(url(hash));
      await page.locator('.van-nav-bar__title').waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
    }
    await page.setViewportSize({ width: 375, height: 667 });
  });

  it('asks a visitor without an account to log in or register before 个人中心', async () => {
    await page.goto(url('#/home'));
    await page.locator('[data-testid="group-home"] [data-item="profile"]').click();
    await page.locator('[data-testid="page-login"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#/login?redirect=/home/profile');
    await shot('login');
  });

  it('registers by mobile with the SMS code and returns to 个人中心, logged in', async () => {
    await page.locator('a', { hasText: '快速注册' }).click();
    await page.locator('[data-testid="page-register"]').waitFor();
    await page.fill('input[name="mobile"]', '13900001111');
    await page.locator('[data-testid="get-code"]').click();
    await expect.poll(() => page.locator('[data-testid="get-code"]').innerText()).toMatch(/^\d+秒后重发$/);
    const code = /\d{6}/.exec(sent.find((s) => s.to === '13900001111')?.text ?? '')?.[0];
    expect(code).toBeDefined();
    await page.fill('input[name="code"]', code!);
    await page.fill('input[name="password"]', 'Good-pass-2024');
    await page.fill('input[name="displayName"]', '张小明');
    await page.fill('textarea[name="unitFullName"], input[name="unitFullName"]', unit.fullName);
    await shot('register');
    await page.locator('button[type="submit"]').click();
    // Registering hashes the password with scrypt (N = 2^17): under the whole suite on two cores that takes over the 1 s default.
    await expect.poll(() => new URL(page.url()).hash, { timeout: 10_000 }).toBe('#/home/profile');
    const session = (await page.evaluate(async () => (await fetch('/api/h5/session')).json())) as SessionInfo;
    expect(session.user?.displayName).toBe('张小明');
  });

  it('shows the profile: name, initials for the missing avatar, the unit and its service code', async () => {
    await page.locator('[data-testid="page-profile"] [data-testid="profile-name"]').waitFor();
    expect(await page.locator('[data-testid="profile-name"]').innerText()).toBe('张小明');
    const text = await page.locator('[data-testid="page-profile"]').innerText();
    expect(text).toContain(unit.fullName);
    expect(text).toContain(unit.serviceCode);
    expect(await page.locator('[data-testid="avatar-initials"]').innerText()).toBe('小明');
    await shot('profile');
  });

  it('shows the points page and the application page for the new account', async () => {
    await page.locator('[data-testid="profile-points"]').click();
    await page.locator('[data-testid="points-ledger"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="points-balance"]').innerText()).toMatch(/^\d+$/);
    await shot('points');
    await page.goto(url('#/home/profile/applications'));
    const vip = page.locator('[data-kind="vip_admin"]');
    await vip.locator('button', { hasText: '提交申请' }).click();
    await page.locator('.van-dialog__confirm').click();
    await expect.poll(() => vip.locator('[data-testid="application-status"]').innerText()).toBe('待审核');
    await shot('applications');
  });

  it('shows the server’s message for a wrong password and stays on the login page', async () => {
    await page.goto(url('#/login?redirect=/home/profile'));
    await page.fill('input[name="account"]', '13900001111');
    await page.fill('input[name="password"]', 'not-the-password');
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-testid="login-error"]').innerText()).toContain(WRONG_PASSWORD);
    expect(new URL(page.url()).hash).toContain('#/login');
    await shot('login-error');
  });

  it('logs out after confirming; 个人中心 then asks to log in again', async () => {
    await page.goto(url('#/home/profile'));
    await page.locator('[data-testid="logout"]').click();
    await page.locator('.van-dialog__confirm').click();
    await page.locator('[data-testid="group-home"]').waitFor();
    await page.locator('[data-testid="group-home"] [data-item="profile"]').click();
    await page.locator('[data-testid="page-login"]').waitFor();
  });

  it('logs in by mobile and returns to the page asked for', async () => {
    await page.goto(url('#/login?redirect=/home/profile/password'));
    await page.fill('input[name="account"]', '13900001111');
    await page.fill('input[name="password"]', 'Good-pass-2024');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="page-password"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#/home/profile/password');
    await page.fill('input[name="newPassword"]', 'Longer-Pass-2024!');
    expect(await page.locator('[data-testid="password-strength"]').innerText()).toBe('强');
    await shot('password');
  });

  it('finds the service code by the exact full name, and not by a shortened one', async () => {
    await page.goto(url('#/home/service-code'));
    await page.fill('textarea[name="fullName"]', unit.fullName);
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-testid="service-code-value"]').innerText()).toBe(unit.serviceCode);
    await shot('service-code-hit');
    await page.fill('textarea[name="fullName"]', '济南示例软件');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="service-code-miss"]').waitFor();
    expect(await page.locator('[data-testid="service-code-value"]').count()).toBe(0);
    await shot('service-code-miss');
  });
});
