import type { Browser, BrowserContext, Frame, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import type { SessionInfo } from '../../common/h5-api.js';
import { POINT_RULES } from '../../server/accounts/points.js';
import { DEMO_UNITS } from '../../server/accounts/seed.js';
import { serviceCodeTexts } from '../../server/accounts/service-code.js';
import { WRONG_PASSWORD } from '../../server/auth/login.service.js';
import { fromRoot } from '../../server/platform/paths.js';
import type { Running } from '../../server/runtime.js';
import { launchBrowser } from '../helpers/browser.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/**
 * The H5 pages as a WeChat user meets them: from the built-in simulator's phone page, whose custom
 * menu opens them in its web view through /auth/wechat and the simulated OAuth. The codes are read
 * where a person reads them in embedded mode: the 【模拟短信】 notice on the phone page.
 */
describe('the H5 pages from the simulator’s phone page', () => {
  let server: Running;
  let browser: Browser;
  const phones: BrowserContext[] = [];
  let page: Page;
  const artifacts = fromRoot('test', 'artifacts');
  const mobile = '13900002222';
  const password = 'Good-pass-2024';
  const displayName = '王小红';
  const unit = DEMO_UNITS[1];

  /** A phone: its own cookies (WeChat's web view keeps them per phone), on the simulator's page. */
  const openPhone = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    phones.push(context);
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    // localhost, as a person opens it: the menu links and the OAuth cookies use that host.
    await p.goto(`http://localhost:${server.port}/simulator/`);
    await p.locator('#menu-buttons button', { hasText: '服务家园' }).waitFor();
    return p;
  };
  const shot = (p: Page, name: string) => p.screenshot({ path: `${artifacts}/phone-${name}.png` });
  const webview = (p: Page) => p.frameLocator('#webview-frame');
  const webviewFrame = async (p: Page): Promise<Frame> => (await p.locator('#webview-frame').elementHandle())!.contentFrame().then((f) => f!);
  const hashOf = async (p: Page) => new URL((await webviewFrame(p)).url()).hash;
  const sessionOf = async (p: Page) => (await webviewFrame(p)).evaluate(async () => (await fetch('/api/h5/session')).json()) as Promise<SessionInfo>;

  /** Every document the web view loaded after `tap`, with its status: the OAuth round trip made visible. */
  const navigationsDuring = async (p: Page, tap: () => Promise<void>, until: () => Promise<unknown>) => {
    const seen: Array<{ path: string; status: number }> = [];
    const onResponse = (res: Response) => {
      const req = res.request();
      if (req.isNavigationRequest() && req.frame() !== p.mainFrame()) seen.push({ path: new URL(res.url()).pathname, status: res.status() });
    };
    p.on('response', onResponse);
    try {
      await tap();
      await until();
    } finally {
      p.off('response', onResponse);
    }
    return seen;
  };

  /** Taps a group of the custom menu, then one of its items; the web view opens on the item's page. */
  const tapMenu = async (p: Page, group: string, item: string) => {
    if (await p.locator('#webview').isVisible()) await p.locator('#webview-close').click();
    await p.locator('#menu-buttons button', { hasText: group }).click();
    await p.locator('#submenu button', { hasText: item }).click();
    await p.locator('#webview').waitFor({ state: 'visible' });
  };

  beforeAll(async () => {
    if (!existsSync(fromRoot('h5', 'dist', 'index.html'))) throw new Error('h5/dist is missing: run node scripts/build-if-stale.mjs');
    mkdirSync(artifacts, { recursive: true });
    server = await startTestServer(await freshStorageTarget());
    browser = await launchBrowser();
    page = await openPhone();
  });
  afterAll(async () => {
    for (const context of phones) await context.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  it('taps 服务家园 → 个人中心: a silent OAuth login, no WeChat form, then the bind page for a user without an account', async () => {
    const loaded = await navigationsDuring(
      page,
      () => tapMenu(page, '服务家园', '个人中心'),
      () => webview(page).locator('[data-testid="page-login"]').waitFor(),
    );
    const paths = loaded.map((n) => n.path);
    // /auth/wechat → the simulated authorize page → our callback → the H5 app, each hop a redirect:
    // no page of WeChat's (no user picker, no consent form) was shown on the way.
    const at = (path: string) => paths.indexOf(path);
    expect(at('/auth/wechat')).toBeGreaterThanOrEqual(0);
    expect(at('/simulator/connect/oauth2/authorize')).toBeGreaterThan(at('/auth/wechat'));
    expect(at('/auth/wechat/callback')).toBeGreaterThan(at('/simulator/connect/oauth2/authorize'));
    expect(at('/h5/')).toBeGreaterThan(at('/auth/wechat/callback'));
    for (const hop of loaded.filter((n) => n.path !== '/h5/')) expect(hop.status, hop.path).toBe(302);
    expect(await hashOf(page)).toBe('#/login?redirect=/home/profile');
    // Identified by WeChat, but no account yet: the page offers to log in or register, once.
    expect(await sessionOf(page)).toEqual({ wechat: true, user: null });
    expect(await webview(page).locator('[data-testid="page-login"]').innerText()).toContain('登录一次后系统会自动记住您的微信');
    await shot(page, 'bind');
  });

  it('registers by mobile with the code from the phone page’s 【模拟短信】 notice; 个人中心 then shows the new account', async () => {
    const frame = webview(page);
    await frame.locator('a', { hasText: '快速注册' }).click();
    await frame.locator('[data-testid="page-register"]').waitFor();
    await frame.locator('input[name="mobile"]').fill(mobile);
    await frame.locator('[data-testid="get-code"]').click();
    await expect.poll(() => frame.locator('[data-testid="get-code"]').innerText()).toMatch(/^\d+秒后重发$/);
    // The simulated SMS arrives in the phone page's notice bar, above the chat (which the open
    // web view covers on screen: the text is read from the page, as a reviewer would after closing it).
    const notice = page.locator('#notice-latest', { hasText: mobile });
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toContain('【模拟短信】');
    const code = /验证码 (\d{6})/.exec(text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    // Over the open page it shows as a strip under the page's bar: the H5 title bar stays uncovered.
    const banner = page.locator('#sms-banner');
    await banner.locator('#sms-banner-text', { hasText: code! }).waitFor();
    const [bar, strip, frameBox] = await Promise.all([
      page.locator('.webview-bar').boundingBox(),
      banner.boundingBox(),
      page.locator('#webview-frame').boundingBox(),
    ]);
    expect(strip!.y).toBeGreaterThanOrEqual(bar!.y + bar!.height - 1);
    expect(frameBox!.y).toBeGreaterThanOrEqual(strip!.y + strip!.height - 1);
    await shot(page, 'code-sent');
    await page.locator('#sms-banner-close').click();
    expect(await banner.isHidden()).toBe(true);
    await frame.locator('input[name="code"]').fill(code!);
    await frame.locator('input[name="password"]').fill(password);
    await frame.locator('input[name="displayName"]').fill(displayName);
    await frame.locator('[name="unitFullName"]').fill(unit.fullName);
    await shot(page, 'register');
    await frame.locator('button[type="submit"]').click();
    await frame.locator('[data-testid="profile-name"]').waitFor();
    expect(await hashOf(page)).toBe('#/home/profile');
    expect(await frame.locator('[data-testid="profile-name"]').innerText()).toBe(displayName);
    const profile = await frame.locator('[data-testid="page-profile"]').innerText();
    expect(profile).toContain(unit.fullName);
    expect(profile).toContain(unit.serviceCode);
    // Registering earns its points: 我的积分 is not empty.
    expect(await frame.locator('[data-testid="profile-points"]').innerText()).toContain(`${POINT_RULES.register.points} 分`);
    expect((await sessionOf(page)).user?.displayName).toBe(displayName);
    await shot(page, 'profile');
  });

  it('logs out after a confirmation that says this WeChat user is unbound; tapping 个人中心 again shows the login form, and logging in binds it again', async () => {
    const frame = webview(page);
    await frame.locator('[data-testid="logout"]').click();
    expect(await frame.locator('.van-dialog__message').innerText()).toContain('解除绑定');
    await frame.locator('.van-dialog__confirm').click();
    await frame.locator('[data-testid="group-home"]').waitFor();
    expect((await sessionOf(page)).user).toBeNull();
    await shot(page, 'logged-out');

    // The next tap goes through WeChat's silent login again, which no longer finds an account.
    const loaded = await navigationsDuring(
      page,
      () => tapMenu(page, '服务家园', '个人中心'),
      () => frame.locator('[data-testid="page-login"]').waitFor(),
    );
    expect(loaded.map((n) => n.path)).toContain('/auth/wechat/callback');
    expect(await sessionOf(page)).toEqual({ wechat: true, user: null });

    await frame.locator('input[name="account"]').fill(mobile);
    await frame.locator('input[name="password"]').fill(password);
    await frame.locator('button[type="submit"]').click();
    await frame.locator('[data-testid="profile-name"]').waitFor();
    expect(await frame.locator('[data-testid="profile-name"]').innerText()).toBe(displayName);
    await shot(page, 'profile-again');
  });

  it('shows the server’s message when another WeChat user logs in with a wrong password', async () => {
    // Another person: their own phone, and a WeChat user added on its phone page.
    const other = await openPhone();
    const firstOpenid = (await page.textContent('#openid'))!.trim();
    const before = await other.locator('#user-select option').count();
    await other.locator('#btn-add-user').click();
    await expect.poll(() => other.locator('#user-select option').count()).toBe(before + 1);
    const openid = (await other.locator('#user-select').inputValue()).trim();
    expect(openid).not.toBe(firstOpenid);
    await expect.poll(async () => (await other.textContent('#openid'))!.trim()).toBe(openid);

    // The first user's SMS is on the first user's phone only.
    expect(await other.locator('#notice-list').innerText()).not.toContain(mobile);
    expect(await other.locator('#notices').isHidden()).toBe(true);

    await tapMenu(other, '服务家园', '个人中心');
    const frame = webview(other);
    expect(await other.locator('#sms-banner').isHidden()).toBe(true);
    await frame.locator('[data-testid="page-login"]').waitFor();
    expect(await sessionOf(other)).toEqual({ wechat: true, user: null });
    await frame.locator('input[name="account"]').fill(mobile);
    await frame.locator('input[name="password"]').fill('not-the-password');
    await frame.locator('button[type="submit"]').click();
    await expect.poll(() => frame.locator('[data-testid="login-error"]').innerText()).toBe(WRONG_PASSWORD);
    expect(await hashOf(other)).toContain('#/login');
    expect((await sessionOf(other)).user).toBeNull();
    await shot(other, 'login-error');
  });

  it('服务编码 from the menu: the exact full name of a unit gives its code, a shortened name says it is not found', async () => {
    await tapMenu(page, '服务家园', '服务编码');
    const frame = webview(page);
    await frame.locator('[data-testid="page-service-code"]').waitFor();
    expect(await hashOf(page)).toBe('#/home/service-code');
    await frame.locator('textarea[name="fullName"]').fill(unit.fullName);
    await frame.locator('button[type="submit"]').click();
    await expect.poll(() => frame.locator('[data-testid="service-code-value"]').innerText()).toBe(unit.serviceCode);
    await shot(page, 'service-code-hit');

    const shortened = unit.fullName.slice(0, 6);
    expect(shortened).not.toBe(unit.fullName);
    await frame.locator('textarea[name="fullName"]').fill(shortened);
    await frame.locator('button[type="submit"]').click();
    const miss = frame.locator('[data-testid="service-code-miss"]');
    await miss.waitFor();
    expect(await miss.innerText()).toBe(serviceCodeTexts.miss(shortened));
    expect(await frame.locator('[data-testid="service-code-value"]').count()).toBe(0);
    await shot(page, 'service-code-miss');
  });
});
