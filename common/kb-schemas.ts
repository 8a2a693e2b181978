import { z } from 'zod';
import { idSchema, isoDateSchema, searchSchema, storableText } from './api-fields.js';
import { CANDIDATE_STATUSES, ENTRY_STATUSES, UNANSWERED_STATUSES } from './kb-api.js';
import { listOf, pageOf } from './staff-schemas.js';

/**
 * The knowledge-base contract (common/kb-api.ts) as zod schemas: the kb router parses its input
 * with the request schemas, the console's types are inferred from them, and the OpenAPI document
 * is generated from them.
 */

const int = () => z.number().int();
const dateTime = () => z.iso.datetime({ offset: true });

export const EntryStatusSchema = z.enum(ENTRY_STATUSES);

export const EntrySummarySchema = z.object({
  id: int(),
  question: z.string().describe('The standard question.'),
  product: z.string(),
  module: z.string(),
  version: z.string(),
  status: EntryStatusSchema,
  hits: int(),
  thumbsUp: int(),
  thumbsDown: int(),
  updatedAt: dateTime(),
  similarCount: int().describe('How many similar questions the entry has.'),
});

export const EntrySchema = EntrySummarySchema.extend({ answer: z.string(), link: z.string().nullable(), similar: z.array(z.string()) });

export const UnansweredItemSchema = z.object({
  id: int(),
  text: z.string().describe('The representative question.'),
  count: int().describe('How many times it was asked.'),
  variants: z.array(z.string()).describe('Other phrasings seen in the cluster.'),
  lastAskedAt: dateTime(),
  status: z.enum(UNANSWERED_STATUSES),
});

/** A question/answer pair mined from a human-served chat, proposed as a new FAQ entry. */
export const CandidateSchema = z.object({
  id: int(),
  conversationId: int(),
  question: z.string(),
  answer: z.string(),
  createdAt: dateTime(),
  status: z.enum(CANDIDATE_STATUSES),
});

export const KbStatsSchema = z.object({
  questions: int().describe('Questions the bot handled in the range.'),
  hitRate: z.number().describe('Share (0..1) answered directly from an entry.'),
  unansweredRate: z.number().describe('Share (0..1) with no answer at all.'),
  suggestRate: z.number().describe('Share (0..1) answered with "您是不是想问" suggestions.'),
  topQuestions: z.array(z.object({ text: z.string(), count: int(), entryId: int().optional() })),
  thumbs: z.array(z.object({ entryId: int(), question: z.string(), up: int(), down: int() })),
});

export const ImportReportSchema = z.object({
  imported: int(),
  rejected: z.array(z.object({ row: int().describe('1 = the header row'), reason: z.string() })).describe('Rows refused, by their row number in the file.'),
});

export const EntryPageSchema = pageOf(EntrySummarySchema);
export const UnansweredPageSchema = pageOf(UnansweredItemSchema);
export const CandidateListSchema = listOf(CandidateSchema);

// ---- requests ----------------------------------------------------------------------------------

const text = (max: number, name: string) => storableText(z.string().trim().max(max, `${name}最多${max}个字`), name);

/** The body of create, update, accept and "create from unanswered". */
export const EntryInputSchema = z.object({
  question: text(200, '标准问题').min(1, '标准问题不能为空'),
  similar: z.array(text(200, '相似问题').min(1, '相似问题不能为空')).max(200, '相似问题最多200条').default([]),
  answer: text(5000, '答案').min(1, '答案不能为空'),
  link: z
    .string()
    .trim()
    .max(500)
    .refine((v) => v === '' || /^(https?:\/\/|\/)\S+$/.test(v), '链接须以 http://、https:// 或 /（站内页面，如 /h5/#home/service-code）开头')
    .transform((v) => (v === '' ? null : v))
    .nullish()
    .transform((v) => v ?? null)
    .describe('http(s):// or a site path starting with /.'),
  product: text(50, '产品').default(''),
  module: text(50, '模块').default(''),
  version: text(50, '版本').default(''),
  status: z.enum(ENTRY_STATUSES, { error: '状态须为 draft 或 published' }).default('draft'),
});

const pageFields = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export const EntryQuerySchema = z.object({
  q: searchSchema(200),
  status: EntryStatusSchema.optional().or(z.literal('').transform(() => undefined)),
  module: searchSchema(50, '模块'),
  ...pageFields,
});

export const PageQuerySchema = z.object(pageFields);

export const StatsQuerySchema = z
  .object({
    from: isoDateSchema('开始日期 from').describe('ISO date or date-time, inclusive'),
    to: isoDateSchema('结束日期 to').describe('ISO date or date-time, exclusive'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), '开始日期须早于结束日期');

export const AttachRequestSchema = z.object({ entryId: idSchema() });
