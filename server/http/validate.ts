import { z } from 'zod';
import { BadRequest } from './errors.js';

type Issue = { path: PropertyKey[]; message: string };

/** The schema's own (Chinese) messages, one after another. */
export const joinIssues = (issues: readonly Issue[]): string => issues.map((i) => i.message).join('；');

/**
 * Parses a request part (body, query, params) with a zod schema, or throws 400 with `code`
 * (default invalid_input) and a message built from the issues (default: joinIssues).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  o: { code?: string; message?: (issues: readonly Issue[]) => string } = {},
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new BadRequest((o.message ?? joinIssues)(r.error.issues), o.code ?? 'invalid_input');
  return r.data;
}

export {
  INT4_MAX,
  MAX_YEAR,
  MIN_YEAR,
  bigIdSchema,
  idSchema,
  isSaneIsoDate,
  isoDateSchema,
  searchSchema,
  storableText,
} from '../../common/api-fields.js';
