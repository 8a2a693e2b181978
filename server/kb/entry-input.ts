import { z } from 'zod';
import { parseInput } from '../http/validate.js';

/** Field limits of an FAQ entry, shared by the console API, the import and the seeder's checks. */
export const LIMITS = { question: 200, answer: 5000, link: 500, tag: 50, similarCount: 200 } as const;

const question = z.string().trim().min(1, '标准问题不能为空').max(LIMITS.question, `标准问题不能超过${LIMITS.question}字`);
const similar = z
  .array(z.string().trim().min(1, '相似问题不能为空').max(LIMITS.question, `相似问题不能超过${LIMITS.question}字`))
  .max(LIMITS.similarCount, `相似问题不能超过${LIMITS.similarCount}条`);
const answer = z.string().trim().min(1, '答案不能为空').max(LIMITS.answer, `答案不能超过${LIMITS.answer}字`);
const link = z
  .string()
  .trim()
  .max(LIMITS.link, `链接不能超过${LIMITS.link}字`)
  .transform((v) => (v === '' ? null : v))
  .nullable();
const tag = (label: string) => z.string().trim().max(LIMITS.tag, `${label}不能超过${LIMITS.tag}字`);
const status = z.enum(['draft', 'published'], { error: '状态只能是 draft 或 published' });

/** A new entry. Status defaults to draft: staff publish when ready. */
export const entryInputSchema = z.object({
  question,
  similar: similar.default([]),
  answer,
  link: link.optional().default(null),
  product: tag('产品').default(''),
  module: tag('模块').default(''),
  version: tag('版本').default(''),
  status: status.default('draft'),
});

/** A change to an entry: only the fields given change; `similar` replaces the whole set. */
export const entryPatchSchema = z.object({
  question: question.optional(),
  similar: similar.optional(),
  answer: answer.optional(),
  link: link.optional(),
  product: tag('产品').optional(),
  module: tag('模块').optional(),
  version: tag('版本').optional(),
});

export type EntryInput = z.input<typeof entryInputSchema>;
export type EntryData = z.output<typeof entryInputSchema>;
export type EntryPatch = z.input<typeof entryPatchSchema>;
export type EntryPatchData = z.output<typeof entryPatchSchema>;

/** Parses or throws BadRequest with the first problem, in Chinese. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  return parseInput(schema, input, { code: 'invalid_entry', message: (issues) => issues[0]?.message ?? '参数不正确' });
}
