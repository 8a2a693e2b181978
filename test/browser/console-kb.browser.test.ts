import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/runtime.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import { launchBrowser } from '../helpers/browser.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/**
 * The whole loop, for real: a WeChat user asks what the bot cannot answer, an admin turns it
 * into an entry in the console, and the next WeChat user gets the answer at once.
 */
describe('the console and the bot together', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;
  const ask = async (text: string) => {
    const sim = server.simulator!;
    const r = await sim.driver.send(sim.driver.build.text(sim.platform.addUser().openid, text));
    return String(r.reply?.Content ?? '');
  };

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
    await new StaffAccounts(server.database.db).createStaff({ username: 'kbadmin', password: 'kb-admin-pass', role: 'admin', displayName: '知识库管理员' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${server.url}/console/`);
    await page.fill('input[name="username"]', 'kbadmin');
    await page.fill('input[name="password"]', 'kb-admin-pass');
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="entries-table"]').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the seeded knowledge base and finds an entry by search', async () => {
    // Element Plus puts data-testid on the inner input.
    await page.fill('input[data-testid="entries-search"]', '热线');
    await page.press('input[data-testid="entries-search"]', 'Enter');
    await expect.poll(() => page.locator('[data-testid="entries-table"]').innerText(), { timeout: 10_000 }).toContain('400');
  });

  it('turns an unanswered WeChat question into an entry that answers the next customer', async () => {
    const question = '蓝鲸仓储接口怎么开通';
    expect(await ask(question)).toContain('#人工');

    await page.goto(`${server.url}/console/kb/unanswered`);
    const row = page.locator('[data-testid="unanswered-table"] tr', { hasText: question });
    await expect.poll(async () => {
      await page.getByRole('button', { name: '刷新' }).click();
      return row.count();
    }, { timeout: 10_000 }).toBeGreaterThan(0);
    await row.getByRole('button', { name: '新建条目' }).click();
    const editor = page.locator('[data-testid="entry-editor"]');
    await editor.waitFor();
    expect(await page.inputValue('input[data-testid="field-question"]')).toBe(question);
    await page.fill('textarea[data-testid="field-answer"]', '蓝鲸仓储接口请在服务家园 > 联系我们提交开通申请，工作日内回复。');
    await page.locator('[data-testid="save-entry"]').click();
    // Handled: it leaves the list of open questions.
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);

    await expect.poll(() => ask('蓝鲸仓储接口如何开通'), { timeout: 10_000 }).toContain('联系我们提交开通申请');
  });
});
