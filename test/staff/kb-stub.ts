import type { EntrySummary, Page } from '../../common/kb-api.js';
import { AppError } from '../../server/http/errors.js';
import type { KbAdminService } from '../../server/kb/kb-admin.routes.js';

/**
 * A KbAdminService that records its calls. `listEntries` answers the entries given, filtered by
 * `q`; the other methods answer what `overrides` says, or 501 (the real services come later).
 */
export function stubKb(entries: EntrySummary[], overrides: Partial<KbAdminService> = {}): KbAdminService & { calls: Array<{ method: string; args: unknown[] }> } {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const notYet = (method: string) => async (...args: unknown[]) => {
    calls.push({ method, args });
    throw new AppError(501, 'not_implemented', `${method} is not in this stub`);
  };
  const base: KbAdminService = {
    listEntries: async (query) => {
      calls.push({ method: 'listEntries', args: [query] });
      const items = entries.filter((e) => !query.q || e.question.includes(query.q));
      return { items, total: items.length, page: query.page, pageSize: query.pageSize } satisfies Page<EntrySummary>;
    },
    getEntry: notYet('getEntry'),
    createEntry: notYet('createEntry'),
    updateEntry: notYet('updateEntry'),
    setEntryStatus: notYet('setEntryStatus'),
    deleteEntry: notYet('deleteEntry'),
    listUnanswered: notYet('listUnanswered'),
    attachUnanswered: notYet('attachUnanswered'),
    createFromUnanswered: notYet('createFromUnanswered'),
    dismissUnanswered: notYet('dismissUnanswered'),
    listCandidates: notYet('listCandidates'),
    acceptCandidate: notYet('acceptCandidate'),
    dismissCandidate: notYet('dismissCandidate'),
    stats: notYet('stats'),
    importFile: notYet('importFile'),
    exportXlsx: notYet('exportXlsx'),
  };
  const wrapped = Object.fromEntries(
    Object.entries(overrides).map(([method, fn]) => [method, async (...args: unknown[]) => (calls.push({ method, args }), (fn as (...a: unknown[]) => unknown)(...args))]),
  );
  return Object.assign(base, wrapped, { calls });
}

export const TWO_ENTRIES: EntrySummary[] = [
  { id: 1, question: '总账月末结账失败怎么办', product: 'GS', module: '总账', version: 'V7', status: 'published', hits: 42, thumbsUp: 9, thumbsDown: 1, updatedAt: '2024-05-01T08:30:00.000Z', similarCount: 3 },
  { id: 2, question: '如何重置登录密码', product: 'GS', module: '系统管理', version: 'V7', status: 'draft', hits: 7, thumbsUp: 2, thumbsDown: 0, updatedAt: '2024-05-02T10:00:00.000Z', similarCount: 1 },
];
