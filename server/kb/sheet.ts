/**
 * The spreadsheet layout shared by import and export: one row per entry, similar questions joined by "|".
 * Headers are matched in Chinese or English, case and spaces ignored.
 */
export const COLUMNS = [
  { key: 'question', header: '标准问题', aliases: ['标准问题', '问题', 'question', 'standardquestion'] },
  { key: 'similar', header: '相似问题', aliases: ['相似问题', 'similar', 'similarquestions'] },
  { key: 'answer', header: '答案', aliases: ['答案', 'answer'] },
  { key: 'product', header: '产品', aliases: ['产品', 'product'] },
  { key: 'module', header: '模块', aliases: ['模块', 'module'] },
  { key: 'version', header: '版本', aliases: ['版本', 'version'] },
  { key: 'link', header: '链接', aliases: ['链接', 'link'] },
  // 已发布 or 草稿; blank takes the import's default (draft, or published with --publish / the console's checkbox).
  { key: 'status', header: '状态', aliases: ['状态', 'status'] },
] as const;

/** The 状态 cell: what export writes, and what import reads (English accepted too). */
export const STATUS_LABELS = { published: '已发布', draft: '草稿' } as const;

export function statusOf(cell: string): 'published' | 'draft' | undefined {
  const v = cell.trim().toLowerCase();
  if (v === '已发布' || v === '发布' || v === 'published') return 'published';
  if (v === '草稿' || v === '未发布' || v === 'draft') return 'draft';
  return undefined;
}

export type ColumnKey = (typeof COLUMNS)[number]['key'];
export const REQUIRED_COLUMNS: ColumnKey[] = ['question', 'answer'];

/** Which column key a header cell names, if any. */
export function columnOf(header: string): ColumnKey | undefined {
  const h = header.normalize('NFKC').toLowerCase().replace(/[\s_\-*]/g, '');
  return COLUMNS.find((c) => (c.aliases as readonly string[]).includes(h))?.key;
}

/** "a|b｜c" → ["a", "b", "c"], blanks dropped. */
export function splitSimilar(cell: string): string[] {
  return cell
    .split(/[|｜]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const SIMILAR_SEPARATOR = '|';
