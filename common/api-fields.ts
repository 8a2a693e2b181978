import { z } from 'zod';

/**
 * The field schemas every request schema is built from (common/*-schemas.ts): the server parses
 * requests with them, so they live beside the contract rather than in server/.
 */

// One definition for every route, so that no value the database cannot hold (an id beyond the
// column, a NUL in a text, a year PostgreSQL or JS cannot represent) gets past the router: each
// is a 400 with a reason instead of a 500 from the database.

/** The largest value of an int4 column: serial ids stop here. */
export const INT4_MAX = 2_147_483_647;

/** A positive id (path, query or body) within its column's range: int4, or up to 2^53-1 for bigserial. */
export function idSchema(max: number = INT4_MAX) {
  return z.coerce
    .number({ error: '编号须为正整数' })
    .int('编号须为正整数')
    .positive('编号须为正整数')
    .max(max, '编号超出范围');
}

/** A bigserial id (messages, outbox): as large as a JS number holds exactly. */
export const bigIdSchema = () => idSchema(Number.MAX_SAFE_INTEGER);

// NUL and the other C0 controls, and DEL: PostgreSQL text cannot hold NUL, and none belongs in a search.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;

/** A search text: trimmed, bounded, no control characters; empty means "no filter" (undefined). */
export function searchSchema(max = 100, name = '搜索内容') {
  return z
    .string({ error: `${name}须为文本` })
    .trim()
    .max(max, `${name}最多${max}个字`)
    .refine((v) => !CONTROL_CHARS.test(v), `${name}不能包含控制字符`)
    .optional()
    .transform((v) => v || undefined);
}

/** A text field to store (messages, notes, titles): line breaks are fine, a NUL is not (PostgreSQL refuses it). */
export const storableText = <S extends z.ZodString>(schema: S, name = '内容') => schema.refine((v) => !NUL.test(v), `${name}不能包含空字符`);

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for a real calendar date (and time) in ISO 8601 form, within MIN_YEAR..MAX_YEAR. */
export function isSaneIsoDate(v: string): boolean {
  const m = ISO_DATE.exec(v);
  if (!m) return false;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const year = Number(y);
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  const day = new Date(Date.UTC(year, Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== year || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return false;
  return !Number.isNaN(Date.parse(v));
}

/**
 * An optional date or date-time query value (ISO 8601, e.g. 2024-05-01 or 2024-05-01T08:00:00+08:00)
 * within 2000..2100; the string itself comes out (the services parse it), undefined when empty.
 */
export function isoDateSchema(name: string) {
  return z
    .string({ error: `${name}须为日期` })
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || isSaneIsoDate(v), `${name}须为 ${MIN_YEAR}-${MAX_YEAR} 年间的有效日期（如 2024-05-01）`);
}
