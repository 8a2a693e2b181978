import { z } from 'zod';
import { STAFF_ROLES } from './staff-api.js';

/**
 * The staff contract as zod schemas: the server validates with them, common/staff-api.ts infers
 * its types from them, and GET /api/openapi.json is generated from them. Kept apart from the
 * *-api.ts files so the browser bundles, which only need the types, do not carry zod.
 */

export const StaffRoleSchema = z.enum(STAFF_ROLES);

export const StaffMeSchema = z.object({ id: z.number().int(), username: z.string(), displayName: z.string(), role: StaffRoleSchema });

export const LoginRequestSchema = z.object({ username: z.string().max(64), password: z.string().max(256).meta({ format: 'password' }) });

export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('Machine-readable, e.g. not_logged_in, forbidden, not_yours, already_taken.'),
    message: z.string().describe('For people (zh-CN).'),
  }),
});

/** A page of a list: `items` of this page, 1-based `page`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int().describe('1-based'), pageSize: z.number().int() });
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
