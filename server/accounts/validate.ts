import type { z } from 'zod';
import { BadRequest } from '../http/errors.js';

/** Parses a request part with a zod schema: 400 invalid_input with the Chinese messages otherwise. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new BadRequest(r.error.issues.map((i) => i.message).join('；'), 'invalid_input');
  return r.data;
}
