import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { exportEntries } from '../../server/kb/export.js';
import { importEntries } from '../../server/kb/import.js';
import { createEntry, getEntry, loadIndexDocs, publishEntry, searchEntries, type KbDeps } from '../../server/kb/kb.service.js';
import { testMode } from '../helpers/mode.js';
import { openKbFixture } from './fixture.js';

type Row = (string | number | null)[];

async function xlsx(header: string[], rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function csv(header: string[], rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  const chunks: Buffer[] = [];
  await wb.csv.write(
    new Writable({
      write(chunk, _enc, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

const CN = ['标准问题', '相似问题', '答案', '产品', '模块', '版本'];
const EN = ['question', 'similar', 'answer', 'product', 'module', 'version'];
const long = (n: number) => '长'.repeat(n);

/** Rows 2..10 of a file with good and bad rows; the expected rejections, by row number. */
function mixedRows(tag: string): { rows: Row[]; rejected: { row: number; reason: string }[]; good: string[] } {
  return {
    rows: [
      [`${tag}如何安装客户端`, `${tag}客户端怎么装|${tag}安装客户端步骤 | `, '下载安装包后运行 setup.exe。\n按提示操作。', 'GS', '安装', '8.0'],
      ['', `${tag}无标准问题`, '有答案', 'GS', '', ''],
      [`${tag}没有答案的问题`, '', '', 'GS', '', ''],
      [`${tag}如何安装客户端？`, '', '重复行的答案', 'GS', '', ''],
      [long(201), '', '答案', '', '', ''],
      ['已存在的标准问题', '', '答案', '', '', ''],
      [null, null, null, null, null, null], // blank: skipped, not rejected
      [`${tag}加密锁驱动在哪下载`, `${tag}加密狗驱动`, '在服务平台下载中心。', 'GS', '加密锁', ''],
      [`${tag}过长的相似问题`, `好|${long(201)}`, '答案', '', '', long(51)],
    ],
    rejected: [
      { row: 3, reason: '标准问题为空' },
      { row: 4, reason: '答案为空' },
      { row: 5, reason: '与第2行的问题重复' },
      { row: 6, reason: '标准问题超过200字' },
      // The other entry is named, so staff can find it.
      { row: 7, reason: expect.stringMatching(/^标准问题已在条目 \d+「已存在的标准问题」中$/) as unknown as string },
      { row: 10, reason: '第2个相似问题超过200字；版本超过50字' },
    ],
    good: [`${tag}如何安装客户端`, `${tag}加密锁驱动在哪下载`],
  };
}

describe(`import and export of the knowledge base (${testMode()})`, () => {
  let database: Database;
  let deps: KbDeps;
  let emitted: { name: string; payload: unknown }[];

  beforeAll(async () => {
    ({ database, deps, emitted } = await openKbFixture());
    await createEntry(deps, { question: '已存在的标准问题', answer: '旧答案', status: 'published' });
  });
  afterAll(async () => {
    await database?.close();
  });

  const questions = async (text: string) => (await searchEntries(deps.db, { text, pageSize: 100 })).items.map((e) => e.question);

  it('imports a good .xlsx as drafts, with progress', async () => {
    const file = await xlsx(CN, [
      ['年结后能反结账吗', '反年结|年结撤销', '可以，在总账-期末处理中反结账。', 'GS', '总账', '8.0'],
      ['工资条如何发送', '发工资条', '薪资-工资条发放。', 'GS', '薪资', ''],
    ]);
    const progress: [number, number][] = [];
    const report = await importEntries(deps, file, { onProgress: (d, t) => progress.push([d, t]) });
    expect(report).toMatchObject({ total: 2, imported: 2, status: 'draft', rejected: [] });
    expect(progress[0]).toEqual([0, 2]);
    expect(progress.at(-1)).toEqual([2, 2]);
    const stored = await searchEntries(deps.db, { text: '反结账', pageSize: 100 });
    expect(stored.items[0]).toMatchObject({ question: '年结后能反结账吗', status: 'draft', module: '总账', version: '8.0', similarCount: 2 });
    expect(emitted.at(-1)).toEqual({ name: 'knowledge.changed', payload: { reason: 'import' } });
  });

  it('publishes on request: the index has the imported questions', async () => {
    const file = await xlsx(EN, [['How to reset the GS password', 'GS密码重置|GS password reset', '在登录页点击忘记密码。', 'GS', '平台', '']]);
    const report = await importEntries(deps, file, { publish: true });
    expect(report).toMatchObject({ imported: 1, status: 'published' });
    const docs = (await loadIndexDocs(deps.db)).docs.filter((d) => d.entryId === String(report.entryIds[0]));
    expect(docs.map((d) => d.text)).toEqual(['How to reset the GS password', 'GS密码重置', 'GS password reset']);
  });

  it.each(['xlsx', 'csv'] as const)('reports every rejected row of a bad .%s by number and reason, and stores only the good rows', async (format) => {
    const tag = `${format}-`;
    const { rows, rejected, good } = mixedRows(tag);
    const file = format === 'xlsx' ? await xlsx(CN, rows) : await csv(CN, rows);
    const report = await importEntries(deps, file, { format });
    expect(report.rejected).toEqual(rejected);
    expect(report).toMatchObject({ total: 8, imported: 2 });
    expect(await questions(tag)).toEqual(good);
    expect(await questions('已存在的标准问题')).toEqual(['已存在的标准问题']);
    const [first] = (await searchEntries(deps.db, { text: `${tag}如何安装客户端`, pageSize: 100 })).items;
    expect(first).toMatchObject({ answer: '下载安装包后运行 setup.exe。\n按提示操作。', version: '8.0', similarCount: 2 });
  });

  it('reads a GBK .csv as Excel saves it on Chinese Windows', async () => {
    const text = '标准问题,相似问题,答案\r\n专票怎么开,增值税专用发票怎么开,在开票模块选择专用发票。\r\n';
    // Node cannot encode GBK: build the bytes from a tiny table of the characters used.
    const encoded = encodeGbk(text);
    expect(encoded.length).toBeLessThan(Buffer.byteLength(text));
    const report = await importEntries(deps, encoded, { format: 'csv' });
    expect(report).toMatchObject({ imported: 1, rejected: [] });
    expect(await questions('专票怎么开')).toEqual(['专票怎么开']);
  });

  it('refuses a file without the required columns, in Chinese', async () => {
    const file = await xlsx(['问', '答'], [['a', 'b']]);
    await expect(importEntries(deps, file)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('缺少必需的列：标准问题、答案') });
  });

  it('exports every entry to .xlsx with its status; importing the export into an empty base gives the same entries', async () => {
    // One published entry among the drafts: the 状态 column carries it over, whatever the import's default.
    const draft = (await searchEntries(deps.db, { pageSize: 100 })).items.find((e) => e.status === 'draft')!;
    await publishEntry(deps, draft.id);
    const file = await exportEntries(deps.db);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ExcelJS.Buffer);
    expect((wb.worksheets[0]!.getRow(1).values as string[]).slice(1, 7)).toEqual(CN);

    const other = await openKbFixture();
    try {
      const report = await importEntries(other.deps, file, { publish: true });
      expect(report.rejected).toEqual([]);
      const strip = (e: { question: string; answer: string; product: string; module: string; version: string; link: string | null; status: string }) =>
        [e.question, e.answer, e.product, e.module, e.version, e.link, e.status];
      const before = (await searchEntries(deps.db, { pageSize: 100 })).items;
      const after = (await searchEntries(other.database.db, { pageSize: 100 })).items;
      expect(after.map(strip)).toEqual(before.map(strip));
      const similarOf = async (db: typeof deps.db, ids: number[]) =>
        Promise.all(ids.map(async (id) => (await getEntry(db, id)).similar.map((q) => q.text)));
      expect(await similarOf(other.database.db, after.map((e) => e.id))).toEqual(await similarOf(deps.db, before.map((e) => e.id)));
      expect(before.length).toBeGreaterThan(5);
    } finally {
      await other.database.close();
    }
  });
});

/** GBK bytes for the few characters of the GBK test (checked against TextDecoder('gbk')). */
function encodeGbk(text: string): Buffer {
  const decoder = new TextDecoder('gbk');
  const table = new Map<string, number[]>();
  // Search the GBK double-byte range once for the characters we need.
  const wanted = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let hi = 0x81; hi <= 0xfe && table.size < wanted.size; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (wanted.has(ch) && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const bytes: number[] = [];
  for (const c of text) bytes.push(...(c.charCodeAt(0) > 0x7f ? table.get(c)! : [c.charCodeAt(0)]));
  return Buffer.from(bytes);
}
