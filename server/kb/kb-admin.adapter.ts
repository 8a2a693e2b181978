import type * as Api from '../../common/kb-api.js';
import type { KbAdminService } from './kb-admin.routes.js';
import type { Entry as EntryRow, SimilarQuestion } from './entries.repo.js';
import { acceptCandidate, dismissCandidate, listCandidates } from './candidates.service.js';
import { exportEntries } from './export.js';
import { importEntries } from './import.js';
import {
  createEntry,
  deleteEntry,
  getEntry,
  publishEntry,
  searchEntries,
  unpublishEntry,
  updateEntry,
  type KbDeps,
} from './kb.service.js';
import { botStats } from './stats.service.js';
import { attachToEntry, createEntryFrom, dismissUnanswered, listUnanswered } from './unanswered.service.js';

/**
 * The console's knowledge-base API (common/kb-api.ts) on top of the KB services: maps rows to
 * the DTOs (ISO dates, similar questions as strings). Staff identity is checked by the routes.
 */
export function kbAdminService(deps: KbDeps): KbAdminService {
  const { db } = deps;
  const detail = async (id: number): Promise<Api.Entry> => toEntry(await getEntry(db, id));
  return {
    async listEntries(q) {
      const page = await searchEntries(db, { text: q.q, status: q.status, module: q.module, page: q.page, pageSize: q.pageSize });
      return { ...page, items: page.items.map((e) => toSummary(e, e.similarCount)) };
    },
    getEntry: detail,
    async createEntry(input) {
      return toEntry(await createEntry(deps, input));
    },
    async updateEntry(id, input) {
      const { status, ...patch } = input;
      const updated = await updateEntry(deps, id, patch);
      if (status !== updated.status) await (status === 'published' ? publishEntry(deps, id) : unpublishEntry(deps, id));
      return detail(id);
    },
    async setEntryStatus(id, status) {
      await (status === 'published' ? publishEntry(deps, id) : unpublishEntry(deps, id));
      return detail(id);
    },
    deleteEntry: (id) => deleteEntry(deps, id),
    async listUnanswered(q) {
      const page = await listUnanswered(db, { page: q.page, pageSize: q.pageSize });
      return {
        ...page,
        items: page.items.map((u) => ({
          id: u.id,
          text: u.text,
          count: u.count,
          variants: u.variants,
          lastAskedAt: u.lastAskedAt.toISOString(),
          status: u.status as Api.UnansweredStatus,
        })),
      };
    },
    async attachUnanswered(id, entryId) {
      await attachToEntry(deps, id, entryId);
    },
    async createFromUnanswered(id, input) {
      return toEntry(await createEntryFrom(deps, id, input));
    },
    dismissUnanswered: (id) => dismissUnanswered(db, id),
    async listCandidates() {
      const page = await listCandidates(db, { pageSize: 100 });
      return {
        items: page.items.map((c) => ({
          id: c.id,
          conversationId: c.conversationId,
          question: c.question,
          answer: c.answer,
          createdAt: c.createdAt.toISOString(),
          status: c.status as Api.CandidateStatus,
        })),
      };
    },
    async acceptCandidate(id, input) {
      return toEntry(await acceptCandidate(deps, id, input));
    },
    dismissCandidate: (id) => dismissCandidate(db, id),
    async stats(q) {
      const to = q.to ? new Date(q.to) : new Date();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86_400_000);
      const s = await botStats(db, { from, to, limit: 20 });
      return {
        questions: s.questions,
        hitRate: s.hitRate,
        unansweredRate: s.unansweredRate,
        suggestRate: s.suggestRate,
        topQuestions: [
          ...s.topEntries.map((t) => ({ text: t.question, count: t.count, entryId: t.entryId })),
          ...s.topUnanswered.map((t) => ({ text: t.text, count: t.count })),
        ]
          .sort((a, b) => b.count - a.count)
          .slice(0, 20),
        thumbs: s.thumbs,
      };
    },
    async importFile(file, opts) {
      const format = file.name.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx';
      const report = await importEntries(deps, file.data, { format, publish: opts.publish });
      return { imported: report.imported, rejected: report.rejected };
    },
    exportXlsx: () => exportEntries(db),
  };
}

function toSummary(e: EntryRow, similarCount: number): Api.EntrySummary {
  return {
    id: e.id,
    question: e.question,
    product: e.product,
    module: e.module,
    version: e.version,
    status: e.status as Api.EntryStatus,
    hits: e.hits,
    thumbsUp: e.thumbsUp,
    thumbsDown: e.thumbsDown,
    updatedAt: e.updatedAt.toISOString(),
    similarCount,
  };
}

function toEntry(e: EntryRow & { similar: SimilarQuestion[] }): Api.Entry {
  return { ...toSummary(e, e.similar.length), answer: e.answer, link: e.link, similar: e.similar.map((s) => s.text) };
}
