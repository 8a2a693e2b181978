/**
 * The knowledge-base JSON API used by the staff console (import, export,
 * management). Server routes (server/staff/kb-admin.routes.ts) and the console
 * (console/src/api/kb.ts) both use these types. Dates are ISO 8601 strings.
 *
 *   GET    /api/kb/entries?q=&status=&module=&page=&pageSize=   → Page<EntrySummary>
 *   GET    /api/kb/entries/:id                                   → Entry
 *   POST   /api/kb/entries                 EntryInput            → Entry
 *   PUT    /api/kb/entries/:id             EntryInput            → Entry
 *   POST   /api/kb/entries/:id/publish | /unpublish              → Entry
 *   DELETE /api/kb/entries/:id                                   → 204
 *   GET    /api/kb/unanswered?page=&pageSize=                    → Page<UnansweredItem>
 *   POST   /api/kb/unanswered/:id/attach   { entryId }           → 204
 *   POST   /api/kb/unanswered/:id/create   EntryInput            → Entry
 *   POST   /api/kb/unanswered/:id/dismiss                        → 204
 *   GET    /api/kb/candidates                                    → { items: Candidate[] }
 *   POST   /api/kb/candidates/:id/accept   EntryInput            → Entry
 *   POST   /api/kb/candidates/:id/dismiss                        → 204
 *   GET    /api/kb/stats?from=&to=                               → KbStats
 *   POST   /api/kb/import   multipart: file, publish=1 (optional) → ImportReport
 *   GET    /api/kb/export                                        → .xlsx
 *
 * Roles: admin for every write; agent and technician may read entries (list, get) only.
 */

import type { z } from 'zod';
import type * as S from './kb-schemas.js';

export const ENTRY_STATUSES = ['draft', 'published'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const UNANSWERED_STATUSES = ['open', 'attached', 'created', 'dismissed'] as const;
export type UnansweredStatus = (typeof UNANSWERED_STATUSES)[number];

export const CANDIDATE_STATUSES = ['open', 'accepted', 'dismissed'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

// The shapes are the zod schemas of common/kb-schemas.ts (what the server validates and the
// OpenAPI document is generated from); the types here are inferred from them.

export type EntrySummary = z.infer<typeof S.EntrySummarySchema>;
export type Entry = z.infer<typeof S.EntrySchema>;
/** The body of create, update, accept and "create from unanswered". */
export type EntryInput = z.output<typeof S.EntryInputSchema>;
export type EntryQuery = Partial<z.output<typeof S.EntryQuerySchema>>;
/** A cluster of questions the bot could not answer (or only suggested for). */
export type UnansweredItem = z.infer<typeof S.UnansweredItemSchema>;
export type AttachRequest = z.infer<typeof S.AttachRequestSchema>;
/** A question/answer pair mined from a human-served chat, proposed as a new FAQ entry. */
export type Candidate = z.infer<typeof S.CandidateSchema>;
/** from: inclusive; to: exclusive (ISO date or date-time). */
export type StatsQuery = z.output<typeof S.StatsQuerySchema>;
export type KbStats = z.infer<typeof S.KbStatsSchema>;
export type ImportReport = z.infer<typeof S.ImportReportSchema>;
