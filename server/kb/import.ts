import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { BadRequest } from '../http/errors.js';
import type { DbOrTx } from '../db/client.js';
import { insertEntries, insertSimilar } from './entries.repo.js';
import { questionOwners, type QuestionOwner } from './question-owner.js';
import { LIMITS } from './entry-input.js';
import { changed, distinctSimilar, type KbDeps } from './kb.service.js';
import { normalizeQuestion } from './normalize.js';
import { xlsxRows } from './xlsx-rows.js';
import { columnOf, REQUIRED_COLUMNS, COLUMNS, splitSimilar, statusOf, type ColumnKey } from './sheet.js';

/**
 * Import of FAQ entries from .xlsx or .csv: columns 标准问题, 相似问题 (separated by |),
 * 答案, 产品, 模块, 版本 and optionally 链接, in any order, headers in Chinese or English.
 *
 * Every row is validated; the report lists every rejected row by its row number in the sheet
 * (the header is row 1) and the reasons, in Chinese. Valid rows go in, in one transaction;
 * rejected rows change nothing. Imported entries are drafts unless `publish` is set: a file
 * from outside should be reviewed before customers see it (the CLI's --publish, the console's checkbox).
 * A CSV may be UTF-8 (with or without BOM) or GB18030/GBK, as Excel saves it on Chinese Windows.
 */
export const MAX_IMPORT_ROWS = 20_000;
const PROGRESS_CHUNK = 100;

export interface ImportOptions {
  /** Detected from the content when absent (an .xlsx file is a zip). */
  format?: 'xlsx' | 'csv';
  publish?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportReport {
  /** Data rows (blank rows are not counted). */
  total: number;
  imported: number;
  status: 'draft' | 'published';
  rejected: { row: number; reason: string }[];
  entryIds: number[];
}

export async function importEntries(deps: KbDeps, data: Buffer | Uint8Array, opts: ImportOptions = {}): Promise<ImportReport> {
  const rows = await readRows(Buffer.from(data), opts.format ?? detectFormat(data));
  const total = rows.length;
  const status = opts.publish ? 'published' : 'draft';
  opts.onProgress?.(0, total);
  const report = await deps.db.transaction(async (tx) => {
    const { valid, rejected } = validateRows(rows, await questionOwners(tx));
    const entryIds = await storeRows(tx, valid, status, (n) => opts.onProgress?.(rejected.length + n, total));
    return { total, imported: entryIds.length, status, rejected, entryIds } satisfies ImportReport;
  });
  opts.onProgress?.(total, total);
  if (report.imported > 0) await changed(deps, 'import');
  return report;
}

// ---- reading

export interface SheetRow {
  row: number;
  cells: Partial<Record<ColumnKey, string>>;
}

/** The data rows of the file's first sheet, blank rows left out, cells as trimmed text. */
export async function readRows(data: Buffer, format: 'xlsx' | 'csv'): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  let keys: Map<number, ColumnKey> | undefined;
  const take = (rowNumber: number, texts: (col: number) => string, cols: number[]): void => {
    if (!keys) {
      // The header is row 1; a sheet that starts lower has none.
      keys = rowNumber === 1 ? headerKeys(texts, cols) : new Map();
      checkColumns(keys);
      if (rowNumber === 1) return;
    }
    const cells: SheetRow['cells'] = {};
    for (const [col, key] of keys) cells[key] = texts(col);
    if (!Object.values(cells).some((v) => v)) return;
    // Stop reading at once: the rest of a huge file is never parsed.
    if (rows.length >= MAX_IMPORT_ROWS) throw new BadRequest(`文件超过 ${MAX_IMPORT_ROWS} 行，请分批导入`, 'import_too_large');
    rows.push({ row: rowNumber, cells });
  };
  if (format === 'xlsx') {
    await streamXlsxRows(data, take);
  } else {
    const sheet = await loadCsv(data);
    sheet?.eachRow({ includeEmpty: false }, (row, n) => {
      const cols: number[] = [];
      row.eachCell({ includeEmpty: false }, (_c, col) => void cols.push(col));
      take(n, (col) => cellText(row.getCell(col).text), cols);
    });
  }
  return rows;
}

function headerKeys(texts: (col: number) => string, cols: number[]): Map<number, ColumnKey> {
  const keys = new Map<number, ColumnKey>();
  for (const col of cols) {
    const key = columnOf(texts(col));
    if (key && ![...keys.values()].includes(key)) keys.set(col, key);
  }
  return keys;
}

function checkColumns(keys: Map<number, ColumnKey>): void {
  const missing = REQUIRED_COLUMNS.filter((k) => ![...keys.values()].includes(k));
  if (missing.length) {
    const names = missing.map((k) => COLUMNS.find((c) => c.key === k)!.header).join('、');
    throw new BadRequest(`缺少必需的列：${names}（第 1 行应为表头：标准问题、相似问题、答案、产品、模块、版本）`, 'import_columns');
  }
}

function detectFormat(data: Uint8Array): 'xlsx' | 'csv' {
  return data[0] === 0x50 && data[1] === 0x4b ? 'xlsx' : 'csv';
}

/** The first sheet of an .xlsx, streamed row by row (server/bot/kb/xlsx-rows.ts). */
async function streamXlsxRows(data: Buffer, take: (rowNumber: number, texts: (col: number) => string, cols: number[]) => void): Promise<void> {
  try {
    for await (const row of xlsxRows(data)) {
      take(row.number, (col) => cellText(row.cells.get(col)), [...row.cells.keys()]);
    }
  } catch (err) {
    if (err instanceof BadRequest) throw err;
    throw new BadRequest(`无法读取文件（Excel .xlsx）：${(err as Error).message}`, 'import_unreadable');
  }
}

async function loadCsv(data: Buffer): Promise<ExcelJS.Worksheet | undefined> {
  const wb = new ExcelJS.Workbook();
  try {
    // Keep every cell a string: exceljs would otherwise turn "8.0" into 8 and "2024-01-02" into a Date.
    return await wb.csv.read(Readable.from([decodeCsv(data)]), { map: (v: unknown) => v, parserOptions: { trim: false } });
  } catch (err) {
    throw new BadRequest(`无法读取文件（CSV）：${(err as Error).message}`, 'import_unreadable');
  }
}

function decodeCsv(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

/**
 * A cell as trimmed text with \n line ends. Both readers give text already: the .xlsx reader
 * resolves shared strings and cached formula results, and the CSV reader keeps every cell a string.
 */
function cellText(text: string | undefined): string {
  return (text ?? '').replace(/\r\n?/g, '\n').trim();
}

// ---- validation

interface ValidRow {
  row: number;
  question: string;
  similar: string[];
  answer: string;
  product: string;
  module: string;
  version: string;
  link: string | null;
  /** From the 状态 column; undefined takes the import's default. */
  status?: 'draft' | 'published';
}

/**
 * Every rule, per row; a row with any problem is rejected with all its reasons. `existing` holds
 * the knowledge base's question texts (question-owner.ts): one question text, one entry, so a
 * row whose standard or similar question another entry or an earlier row holds is rejected,
 * naming that entry or row.
 */
export function validateRows(rows: SheetRow[], existing: Map<string, QuestionOwner>): { valid: ValidRow[]; rejected: { row: number; reason: string }[] } {
  const valid: ValidRow[] = [];
  const rejected: { row: number; reason: string }[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of rows) {
    const question = cells.question ?? '';
    const answer = cells.answer ?? '';
    const similar = splitSimilar(cells.similar ?? '');
    const reasons: string[] = [];
    const norm = normalizeQuestion(question);
    if (!question || !norm) reasons.push('标准问题为空');
    else if ([...question].length > LIMITS.question) reasons.push(`标准问题超过${LIMITS.question}字`);
    if (!answer) reasons.push('答案为空');
    else if ([...answer].length > LIMITS.answer) reasons.push(`答案超过${LIMITS.answer}字`);
    const longSimilar = similar.findIndex((s) => [...s].length > LIMITS.question);
    if (longSimilar >= 0) reasons.push(`第${longSimilar + 1}个相似问题超过${LIMITS.question}字`);
    if (similar.length > LIMITS.similarCount) reasons.push(`相似问题超过${LIMITS.similarCount}条`);
    for (const [key, label] of [['product', '产品'], ['module', '模块'], ['version', '版本']] as const) {
      if ([...(cells[key] ?? '')].length > LIMITS.tag) reasons.push(`${label}超过${LIMITS.tag}字`);
    }
    if ([...(cells.link ?? '')].length > LIMITS.link) reasons.push(`链接超过${LIMITS.link}字`);
    const status = cells.status ? statusOf(cells.status) : undefined;
    if (cells.status && !status) reasons.push('状态只能是“已发布”或“草稿”');
    const distinct = distinctSimilar(question, similar);
    if (norm && reasons.length === 0) {
      const first = firstRowOf.get(norm);
      const owner = existing.get(norm);
      if (first !== undefined) reasons.push(`与第${first}行的问题重复`);
      else if (owner) reasons.push(`标准问题已在条目 ${owner.entryId}「${owner.question}」中`);
      for (const text of distinct) {
        const key = normalizeQuestion(text);
        const firstSimilar = firstRowOf.get(key);
        const ownerSimilar = existing.get(key);
        if (firstSimilar !== undefined) reasons.push(`相似问题「${text}」与第${firstSimilar}行的问题重复`);
        else if (ownerSimilar) reasons.push(`相似问题「${text}」已在条目 ${ownerSimilar.entryId}「${ownerSimilar.question}」中`);
      }
    }
    if (reasons.length) {
      rejected.push({ row, reason: reasons.join('；') });
      continue;
    }
    firstRowOf.set(norm, row);
    for (const text of distinct) firstRowOf.set(normalizeQuestion(text), row);
    valid.push({
      row,
      question,
      similar: distinct,
      answer,
      product: cells.product ?? '',
      module: cells.module ?? '',
      version: cells.version ?? '',
      link: cells.link || null,
      status,
    });
  }
  return { valid, rejected };
}

// ---- storage

async function storeRows(db: DbOrTx, rows: ValidRow[], status: 'draft' | 'published', progress: (done: number) => void): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += PROGRESS_CHUNK) {
    const chunk = rows.slice(i, i + PROGRESS_CHUNK);
    const chunkIds = await insertEntries(
      db,
      chunk.map((r) => ({ question: r.question, answer: r.answer, link: r.link, product: r.product, module: r.module, version: r.version, status: r.status ?? status })),
    );
    await insertSimilar(
      db,
      chunk.flatMap((r, k) => r.similar.map((text) => ({ entryId: chunkIds[k]!, text, source: 'staff' }))),
    );
    ids.push(...chunkIds);
    progress(ids.length);
  }
  return ids;
}
