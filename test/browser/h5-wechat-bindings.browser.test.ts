import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { accountOfOpenid, bindOpenid, createAccount } from '../../server/accounts/accounts.repo.js';
import { fromRoot } from '../../server/platform/paths.js';
import type { Running } from '../../server/runtime.js';
import { launchBrowser } from '../helpers/browser.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/** 个人中心 lists the account's WeChat bindings and removes one after a confirmation. */
describe('the H5 WeChat bindings', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;
  let mine: string;
  let other: string;

  beforeAll(async () => {
    if (!existsSync(fromRoot('h5', 'dist', 'index.html'))) throw new Error('h5/dist is missing: run node scripts/build-if-stale.mjs');
    server = await startTestServer(await freshStorageTarget());
    const account = await createAccount(server.database.db, { username: 'bindings-ui', passwordHash: 'scrypt$unused', displayName: '绑定测试' });
    mine = server.simulator!.platform.addUser().openid;
    other = server.simulator!.platform.addUser().openid;
    await bindOpenid(server.database.db, other, account.id);
    await bindOpenid(server.database.db, mine, account.id);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    page.setDefaultTimeout(10_000);
    // The simulator's OAuth page knows the WeChat user by this cookie.
    await page.context().addCookies([{ name: 'sim_openid', value: mine, url: `http://localhost:${server.port}` }]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows both bindings (masked, the current one marked) and removes the other after 确认', async () => {
    await page.goto(`http://localhost:${server.port}/auth/wechat?to=${encodeURIComponent('/h5/#/home/profile')}`);
    const rows = page.locator('[data-testid="wechat-binding"]');
    await expect.poll(() => rows.count()).toBe(2);
    const masked = (id: string) => `${id.slice(0, 4)}****${id.slice(-4)}`;
    const current = rows.filter({ has: page.locator('[data-testid="wechat-current"]') });
    expect(await current.locator('[data-testid="wechat-openid"]').innerText()).toBe(masked(mine));
    expect(await page.locator('[data-testid="wechat-bindings"]').innerText()).not.toContain(other);
    expect(await rows.first().innerText()).toMatch(/绑定于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    const otherRow = rows.filter({ hasNotText: '当前微信' });
    await otherRow.locator('[data-testid="wechat-unbind"]').click();
    await page.locator('.van-dialog__cancel').click();
    expect(await rows.count()).toBe(2);
    await otherRow.locator('[data-testid="wechat-unbind"]').click();
    await page.locator('.van-dialog__confirm').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await accountOfOpenid(server.database.db, other)).toBeNull();
    expect(await accountOfOpenid(server.database.db, mine)).not.toBeNull();
  });
});
