import ExcelJS from 'exceljs';
import type { DbOrTx } from '../db/client.js';
import { listWithQuestions } from './entries.repo.js';
import { COLUMNS, SIMILAR_SEPARATOR, STATUS_LABELS } from './sheet.js';

/** Every live entry (draft and published) as an .xlsx with the import's columns: a round trip imports it back. */
export async function exportEntries(db: DbOrTx): Promise<Buffer> {
  const { entries, questions } = await listWithQuestions(db, 'live');
  const similar = new Map<number, string[]>();
  for (const q of questions) similar.set(q.entryId, [...(similar.get(q.entryId) ?? []), q.text]);

  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('知识库');
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.key === 'answer' ? 60 : c.key === 'link' ? 30 : 24 }));
  sheet.getRow(1).font = { bold: true };
  for (const e of entries) {
    sheet.addRow({
      question: e.question,
      similar: (similar.get(e.id) ?? []).join(SIMILAR_SEPARATOR),
      answer: e.answer,
      product: e.product,
      module: e.module,
      version: e.version,
      link: e.link ?? '',
      status: STATUS_LABELS[e.status === 'published' ? 'published' : 'draft'],
    });
  }
  sheet.getColumn('answer').alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
