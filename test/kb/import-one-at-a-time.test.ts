import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/runtime.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

async function workbook(tag: string, rows: number): Promise<Blob> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('知识库');
  ws.addRow(['标准问题', '相似问题', '答案', '产品', '模块', '版本']);
  for (let i = 0; i < rows; i++) ws.addRow([`${tag}问题${i}怎么处理`, `${tag}问题${i}咋办|${tag}第${i}个问题`, `${tag}第${i}个答案。`, 'GS', '总账', '8.0']);
  return new Blob([Buffer.from(await wb.xlsx.writeBuffer())]);
}

/** Each import holds its file and rows in memory: an instance runs one at a time. */
describe('knowledge-base imports, one at a time', () => {
  let server: Running;
  let cookie: string;
  const upload = (file: Blob, name: string) => {
    const form = new FormData();
    form.append('file', file, name);
    return fetch(`${server.url}/api/kb/import`, { method: 'POST', headers: { cookie, origin: server.url }, body: form });
  };

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
    await new StaffAccounts(server.database.db).createStaff({ username: 'import-admin', password: 'import-admin-pass', role: 'admin', displayName: '管理员' });
    const res = await fetch(`${server.url}/api/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'import-admin', password: 'import-admin-pass' }),
    });
    cookie = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='))!.split(';')[0]!;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a second concurrent import with 409 and a reason; the one that runs is complete', async () => {
    const files = await Promise.all([0, 1, 2, 3, 4].map((i) => workbook(`批${i}`, 3000)));
    const results = await Promise.all(files.map((f, i) => upload(f, `第${i}批.xlsx`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    let imported = 0;
    for (const r of results) {
      const body = (await r.json()) as { imported?: number; error?: { code: string; message: string } };
      if (r.status === 409) expect(body.error).toEqual({ code: 'import_busy', message: expect.stringContaining('导入正在进行') });
      else imported += body.imported!;
    }
    expect(imported).toBe(3000 * statuses.filter((s) => s === 200).length);
    // Once it is done, the next import goes through.
    const after = await upload(await workbook('之后', 10), '之后.xlsx');
    expect(after.status).toBe(200);
    expect(((await after.json()) as { imported: number }).imported).toBe(10);
  }, 120_000);
});
