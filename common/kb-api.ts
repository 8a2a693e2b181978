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

export const ENTRY_STATUSES = ['draft', 'published'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface EntrySummary {
  id: number;
  /** The standard question. */
  question: string;
  product: string;
  module: string;
  version: string;
  status: EntryStatus;
  hits: number;
  thumbsUp: number;
  thumbsDown: number;
  updatedAt: string;
  /** How many similar questions the entry has. */
  similarCount: number;
}

export interface Entry extends EntrySummary {
  answer: string;
  link: string | null;
  similar: string[];
}

/** The body of create, update, accept and "create from unanswered". */
export interface EntryInput {
  question: string;
  similar: string[];
  answer: string;
  link?: string | null;
  product: string;
  module: string;
  version: string;
  status: EntryStatus;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface EntryQuery {
  q?: string;
  status?: EntryStatus;
  module?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export const UNANSWERED_STATUSES = ['open', 'attached', 'created', 'dismissed'] as const;
export type UnansweredStatus = (typeof UNANSWERED_STATUSES)[number];

/** A cluster of questions the bot could not answer (or only suggested for). */
export interface UnansweredItem {
  id: number;
  /** The representative question. */
  text: string;
  /** How many times it was asked. */
  count: number;
  /** Other phrasings seen in the cluster. */
  variants: string[];
  lastAskedAt: string;
  status: UnansweredStatus;
}

export interface AttachRequest {
  entryId: number;
}

export const CANDIDATE_STATUSES = ['open', 'accepted', 'dismissed'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

/** A question/answer pair mined from a human-served chat, proposed as a new FAQ entry. */
export interface Candidate {
  id: number;
  conversationId: number;
  question: string;
  answer: string;
  createdAt: string;
  status: CandidateStatus;
}

export interface StatsQuery {
  /** ISO date or date-time; inclusive. */
  from?: string;
  /** ISO date or date-time; exclusive end of the range. */
  to?: string;
}

export interface KbStats {
  /** Questions the bot handled in the range. */
  questions: number;
  /** Share (0..1) answered directly from an entry. */
  hitRate: number;
  /** Share (0..1) with no answer at all. */
  unansweredRate: number;
  /** Share (0..1) answered with "您是不是想问" suggestions. */
  suggestRate: number;
  topQuestions: { text: string; count: number; entryId?: number }[];
  thumbs: { entryId: number; question: string; up: number; down: number }[];
}

export interface ImportReport {
  imported: number;
  /** Rows refused, by their row number in the file (1 = the header row). */
  rejected: { row: number; reason: string }[];
}
