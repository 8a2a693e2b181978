import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application, Profile } from '../../common/h5-api.js';
import { bindOpenid, createAccount } from '../../server/accounts/accounts.repo.js';
import type { Running } from '../../server/runtime.js';
import { hashPassword } from '../../server/platform/password.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import { H5Client } from '../auth/h5-client.js';
import { launchBrowser } from '../helpers/browser.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

/** An admin decides H5 applications in the console (申请审核); the user sees the result. */
describe('the console applications page', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;

  const applicant = async (username: string, displayName: string, kind: 'vip_admin' | 'internal') => {
    const account = await createAccount(server.database.db, { username, passwordHash: await hashPassword('right-password-1'), displayName });
    const openid = server.simulator!.platform.addUser().openid;
    await bindOpenid(server.database.db, openid, account.id);
    const c = new H5Client(server.url);
    expect((await c.post('/api/h5/login', { account: username, password: 'right-password-1' })).status).toBe(200);
    expect((await c.post('/api/h5/me/applications', { kind })).status).toBe(200);
    return { c, openid };
  };

  /** The status tags zoom in: wait for them before a screenshot. */
  const settled = () => expect.poll(() => page.locator('[class*="-enter-active"]').count(), { timeout: 5_000 }).toBe(0);

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
    await new StaffAccounts(server.database.db).createStaff({ username: 'apps-admin', password: 'apps-admin-pass', role: 'admin', displayName: '审核管理员' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${server.url}/console/`);
    await page.fill('input[name="username"]', 'apps-admin');
    await page.fill('input[name="password"]', 'apps-admin-pass');
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="entries-table"]').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows an empty state when nothing waits', async () => {
    await page.getByRole('menuitem', { name: '申请审核' }).click();
    await expect.poll(() => page.locator('[data-testid="applications-table"]').innerText(), { timeout: 10_000 }).toContain('暂无待审核的申请');
  });

  it('approves one application and rejects another with a reason, after confirming', async () => {
    const vip = await applicant('zhangsan', '张三', 'vip_admin');
    const tad = await applicant('lisi', '李四', 'internal');
    await page.getByRole('button', { name: '刷新' }).click();
    const table = page.locator('[data-testid="applications-table"]');
    await expect.poll(() => table.innerText(), { timeout: 10_000 }).toContain('李四');
    await settled();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console-applications.png') });

    await table.locator('tr', { hasText: '张三' }).getByRole('button', { name: '通过' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '通过' }).click();
    await expect.poll(() => table.locator('tr', { hasText: '张三' }).count(), { timeout: 10_000 }).toBe(0);
    expect(((await vip.c.get('/api/h5/me')).json as Profile).badges).toEqual(['VIP', '管理员']);

    await table.locator('tr', { hasText: '李四' }).getByRole('button', { name: '驳回' }).click();
    await page.fill('textarea[data-testid="reject-reason"]', '请先由单位管理员确认员工身份');
    await page.locator('.el-dialog').getByRole('button', { name: '驳回' }).click();
    // Asked to confirm first; cancelling keeps the application pending.
    await page.locator('.el-message-box').getByRole('button', { name: '取消' }).click();
    expect((await tad.c.get<{ items: Application[] }>('/api/h5/me/applications')).json.items[0]!.status).toBe('pending');
    await page.locator('.el-dialog').getByRole('button', { name: '驳回' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '驳回' }).click();
    await expect.poll(() => table.locator('tr', { hasText: '李四' }).count(), { timeout: 10_000 }).toBe(0);
    expect((await tad.c.get<{ items: Application[] }>('/api/h5/me/applications')).json.items[0]).toMatchObject({ status: 'rejected', reason: '请先由单位管理员确认员工身份' });

    await page.locator('[data-testid="application-status"]').getByText('全部').click();
    await expect.poll(() => table.innerText(), { timeout: 10_000 }).toContain('请先由单位管理员确认员工身份');
    await settled();
    await page.screenshot({ path: join(ARTIFACTS, 'console-applications-decided.png') });
    expect(server.simulator!.platform.templates.map((t) => t.openid).sort()).toEqual([vip.openid, tad.openid].sort());
  });
});
