import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { kbAdminRoutes } from '../../server/kb/kb-admin.routes.js';
import { staffSessions } from '../../server/staff/schema.js';
import { fromRoot } from '../../server/platform/paths.js';
import { launchBrowser } from '../helpers/browser.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { TWO_ENTRIES, stubKb } from '../staff/kb-stub.js';
import { startStaffApp, type StaffTestApp } from '../staff/staff-app.js';

/** The built staff console (console/dist) against the real staff routes and a stub of the KB services. */
describe('the staff console', () => {
  let app: StaffTestApp;
  let browser: Browser;
  let page: Page;
  const kb = stubKb(TWO_ENTRIES);

  beforeAll(async () => {
    if (!existsSync(fromRoot('console', 'dist', 'index.html'))) throw new Error('console/dist is missing: run node scripts/build-if-stale.mjs');
    app = await startStaffApp(await freshStorageTarget(), [kbAdminRoutes(kb)], { console: true });
    await app.accounts.createStaff({ username: 'kbadmin', password: 'kb-admin-pass', role: 'admin', displayName: '知识库管理员' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('sends a visitor without a session to the login page', async () => {
    await page.goto(`${app.url}/console/kb/entries`);
    await page.locator('input[name="username"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/kb/entries');
  });

  it('shows the server’s message for a wrong password', async () => {
    await page.fill('input[name="username"]', 'kbadmin');
    await page.fill('input[name="password"]', 'not-the-password');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('[data-testid="login-error"]').innerText()).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });

  it('sends one login per Enter, so the lockout counts each try once', async () => {
    const posts: string[] = [];
    const count = (req: { method(): string; url(): string }) => {
      if (req.method() === 'POST' && req.url().endsWith('/api/staff/session')) posts.push(req.url());
    };
    page.on('request', count);
    try {
      await page.fill('input[name="username"]', 'kbadmin');
      await page.fill('input[name="password"]', 'wrong-again');
      await page.press('input[name="password"]', 'Enter');
      await expect.poll(() => page.locator('[data-testid="login-error"]').innerText()).toContain('用户名或密码错误');
      await page.waitForTimeout(300);
      expect(posts).toHaveLength(1);
    } finally {
      page.off('request', count);
    }
  });

  it('logs in, returns to the page asked for, and shows the entries table with the user', async () => {
    await page.fill('input[name="username"]', 'kbadmin');
    await page.fill('input[name="password"]', 'kb-admin-pass');
    await page.click('button[type="submit"]');
    const table = page.locator('[data-testid="entries-table"]');
    await table.locator('text=总账月末结账失败怎么办').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/kb/entries');
    const text = await table.innerText();
    expect(text).toContain('如何重置登录密码');
    expect(text).toContain('已发布');
    expect(text).toContain('草稿');
    expect(text).toContain('9 / 1');
    // The 👍/👎 header is drawn, not an emoji that a desktop without an emoji font shows as boxes.
    expect(await page.locator('.el-table__header [data-testid="thumb-up"] svg').count()).toBe(1);
    expect(await page.locator('.el-table__header [data-testid="thumb-down"] svg').count()).toBe(1);
    expect(await page.locator('.el-table__header').innerText()).not.toMatch(/\u{1F44D}|\u{1F44E}/u);
    expect(await page.locator('[data-testid="current-user"]').innerText()).toContain('知识库管理员');
    expect(await page.locator('[data-testid="current-user"]').innerText()).toContain('管理员');
    // The admin sees the admin pages in the menu.
    for (const label of ['知识库', '未解答问题', 'FAQ候选', '统计']) await page.locator('.el-menu-item', { hasText: label }).waitFor();
  });

  it('searches through the API with the words typed', async () => {
    await page.fill('input[data-testid="entries-search"], [data-testid="entries-search"] input', '密码');
    await page.press('input[data-testid="entries-search"], [data-testid="entries-search"] input', 'Enter');
    const table = page.locator('[data-testid="entries-table"]');
    await expect.poll(() => table.innerText()).not.toContain('总账月末结账失败怎么办');
    expect(await table.innerText()).toContain('如何重置登录密码');
    const last = kb.calls.filter((c) => c.method === 'listEntries').at(-1)!;
    expect(last.args[0]).toMatchObject({ q: '密码', page: 1, pageSize: 20 });
  });

  it('goes back to the login page when the session ends', async () => {
    await app.database.db.delete(staffSessions); // every session ends, as at expiry
    await page.locator('.el-menu-item', { hasText: '知识库' }).click();
    await page.locator('button', { hasText: '搜索' }).click();
    await page.locator('input[name="username"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });

  it('logs out from the header', async () => {
    await page.fill('input[name="username"]', 'kbadmin');
    await page.fill('input[name="password"]', 'kb-admin-pass');
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="entries-table"]').waitFor();
    await page.locator('button', { hasText: '退出登录' }).click();
    await page.locator('input[name="username"]').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/staff/me')).status);
    expect(me).toBe(401);
  });
});
