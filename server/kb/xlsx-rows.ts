import { PassThrough } from 'node:stream';
import JSZip from 'jszip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

/**
 * The rows of an .xlsx file's first sheet, read as a stream of XML events: the workbook is
 * never built as a model in memory (exceljs's model of a 10 MB file is several hundred MB).
 * The zip is opened by its central directory (JSZip), not read front to back: a streamed
 * unzip drops entries of some writers' files, and wants the shared strings before the sheet.
 *
 * Cells come out as text: shared and inline strings, numbers as written, booleans as
 * TRUE/FALSE, a formula's cached value. Only what a knowledge-base import needs.
 */
export type XlsxRow = { number: number; cells: Map<number, string> };

export class XlsxFormatError extends Error {}

export async function* xlsxRows(data: Buffer): AsyncGenerator<XlsxRow> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(data);
  } catch (err) {
    throw new XlsxFormatError(`不是有效的 .xlsx 文件（${(err as Error).message}）`);
  }
  const sheetPath = await firstSheetPath(zip);
  const strings = await sharedStrings(zip);
  const sheet = zip.file(sheetPath);
  if (!sheet) throw new XlsxFormatError(`缺少工作表 ${sheetPath}`);
  yield* sheetRows(entryStream(sheet), strings);
}

/** xl/workbook.xml's first <sheet>, through its relationship, or the usual path. */
async function firstSheetPath(zip: JSZip): Promise<string> {
  const workbook = await zip.file('xl/workbook.xml')?.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')?.async('string');
  const rid = workbook?.match(/<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/)?.[1];
  if (rid && rels) {
    const rel = [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((r) => r.includes(`Id="${rid}"`));
    const target = rel?.match(/Target="([^"]+)"/)?.[1];
    if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  }
  const any = Object.keys(zip.files).filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p)).sort((a, b) => sheetNo(a) - sheetNo(b))[0];
  if (!any) throw new XlsxFormatError('文件中没有工作表');
  return any;
}

const sheetNo = (p: string) => Number(p.match(/(\d+)\.xml$/)?.[1] ?? 0);

async function sharedStrings(zip: JSZip): Promise<string[]> {
  const file = zip.file('xl/sharedStrings.xml');
  if (!file) return [];
  const out: string[] = [];
  let current: string | undefined;
  let inText = false;
  let inPhonetic = false;
  await parse(entryStream(file), {
    open(tag) {
      if (tag.name === 'si') current = '';
      else if (tag.name === 'rPh') inPhonetic = true; // furigana: not part of the text
      else if (tag.name === 't' && !inPhonetic) inText = true;
    },
    close(name) {
      if (name === 'si') out.push(current ?? '');
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 't') inText = false;
    },
    text(t) {
      if (inText && current !== undefined) current += t;
    },
  });
  return out;
}

async function* sheetRows(stream: NodeJS.ReadableStream, strings: string[]): AsyncGenerator<XlsxRow> {
  const ready: XlsxRow[] = [];
  let row: XlsxRow | undefined;
  let nextRow = 1;
  let col = 0;
  let type = 'n';
  let value: string | undefined;
  let inValue = false;
  let inInline = false;
  const parser = new SaxesParser();
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (tag.name === 'row') {
      const r = Number(tag.attributes.r);
      row = { number: Number.isInteger(r) && r > 0 ? r : nextRow, cells: new Map() };
      nextRow = row.number + 1;
      col = 0;
    } else if (tag.name === 'c') {
      const ref = String(tag.attributes.r ?? '');
      col = ref ? columnNumber(ref) : col + 1;
      type = String(tag.attributes.t ?? 'n');
      value = undefined;
    } else if (tag.name === 'v') {
      inValue = true;
      value = '';
    } else if (tag.name === 'is') {
      inInline = true;
      value = '';
    }
  });
  parser.on('text', (t: string) => {
    if (inValue || inInline) value += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'v') inValue = false;
    else if (tag.name === 'is') inInline = false;
    else if (tag.name === 'c' && row && value !== undefined) {
      const text = type === 's' ? (strings[Number(value)] ?? '') : type === 'b' ? (value === '1' ? 'TRUE' : 'FALSE') : value;
      if (text !== '') row.cells.set(col, text);
    } else if (tag.name === 'row' && row) {
      if (row.cells.size > 0) ready.push(row);
      row = undefined;
    }
  });
  let failed: Error | undefined;
  parser.on('error', (err: Error) => (failed = err));
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (failed) throw new XlsxFormatError(`工作表格式错误（${failed.message}）`);
    while (ready.length) yield ready.shift()!;
  }
  parser.write(decoder.decode());
  parser.close();
  if (failed) throw new XlsxFormatError(`工作表格式错误（${(failed as Error).message}）`);
  while (ready.length) yield ready.shift()!;
}

/** JSZip's streams are the old readable-stream kind: piped into a core stream to iterate. */
function entryStream(file: JSZip.JSZipObject): NodeJS.ReadableStream {
  const out = new PassThrough();
  const src = file.nodeStream('nodebuffer');
  src.on('error', (err: Error) => out.destroy(err));
  return src.pipe(out);
}

/** "C12" → 3. */
function columnNumber(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n;
}

async function parse(stream: NodeJS.ReadableStream, on: { open(tag: SaxesTagPlain): void; close(name: string): void; text(t: string): void }): Promise<void> {
  const parser = new SaxesParser();
  let failed: Error | undefined;
  parser.on('opentag', (t: SaxesTagPlain) => on.open(t));
  parser.on('closetag', (t) => on.close(t.name));
  parser.on('text', (t: string) => on.text(t));
  parser.on('error', (err: Error) => (failed = err));
  // UTF-8 may split inside a character between chunks: decode with a streaming decoder.
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.write(decoder.decode(chunk, { stream: true }));
    if (failed) throw new XlsxFormatError(`共享字符串格式错误（${failed.message}）`);
  }
  parser.write(decoder.decode());
  parser.close();
  if (failed) throw new XlsxFormatError(`共享字符串格式错误（${(failed as Error).message}）`);
}
