import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { searchEntries } from '../../server/kb/kb.service.js';
import { openDatabase } from '../../server/db/client.js';
import { fromRoot } from '../../server/platform/paths.js';
import { freshStorageTarget, testMode, type StorageTarget } from '../helpers/mode.js';

function run(script: string, args: string[], target: StorageTarget): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent' };
  if (target.databaseUrl) Object.assign(env, { DATABASE_URL: target.databaseUrl, REDIS_URL: target.redisUrl });
  else env.DATA_DIR = target.dataDir;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], { cwd: fromRoot(), env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function sheet(rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('FAQ');
  ws.addRow(['标准问题', '相似问题', '答案', '产品', '模块', '版本']);
  for (const r of rows) ws.addRow(r);
  const path = join(mkdtempSync(join(tmpdir(), 'kb-cli-')), 'faq.xlsx');
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

describe(`the knowledge-base CLI (${testMode()})`, () => {
  it('imports a file with --publish, prints every rejected row, and exports it again', async () => {
    const target = await freshStorageTarget();
    const file = await sheet([
      ['命令行导入的问题', '命令行导入|CLI 导入', '命令行导入的答案', 'GS', '工具', ''],
      ['没有答案', '', '', '', '', ''],
    ]);
    const r = await run('kb-import.ts', [file, '--publish'], target);
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('数据行 2，导入 1（已发布），拒绝 1。');
    expect(r.stdout).toContain('第 3 行：答案为空');

    const out = join(mkdtempSync(join(tmpdir(), 'kb-cli-out-')), 'out.xlsx');
    const e = await run('kb-export.ts', [out], target);
    expect(e.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets[0]!.getRow(2).getCell(1).text).toBe('命令行导入的问题');

    const database = await openDatabase(target);
    try {
      const page = await searchEntries(database.db, {});
      expect(page.items.map((i) => [i.question, i.status, i.similarCount])).toEqual([['命令行导入的问题', 'published', 2]]);
    } finally {
      await database.close();
    }
  });

  // The embedded data folder exists only on PGlite: the test is defined there alone.
  if (testMode() === 'pglite') it('refuses, naming the folder, while a server holds the data folder', async () => {
    const target = await freshStorageTarget();
    const database = await openDatabase({ dataDir: target.dataDir! });
    try {
      const r = await run('kb-import.ts', [await sheet([['问', '', '答', '', '', '']])], target);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`数据目录 ${target.dataDir}`);
      expect(r.stderr).toContain('管理台');
    } finally {
      await database.close();
    }
  });

  it('explains its usage on a wrong file type', async () => {
    const r = await run('kb-import.ts', ['faq.txt'], await freshStorageTarget());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('只支持 .xlsx 和 .csv');
  });
});
