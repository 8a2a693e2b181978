import type {
  Candidate,
  Entry,
  EntryInput,
  EntryQuery,
  EntrySummary,
  ImportReport,
  KbStats,
  Page,
  StatsQuery,
  UnansweredItem,
} from '../../../common/kb-api';
import { download, request, upload } from './http';

/** The knowledge-base API (common/kb-api.ts has the contract). */
export const listEntries = (query: EntryQuery) => request<Page<EntrySummary>>('GET', '/api/kb/entries', { query: { ...query } });
export const getEntry = (id: number) => request<Entry>('GET', `/api/kb/entries/${id}`);
export const createEntry = (input: EntryInput) => request<Entry>('POST', '/api/kb/entries', { body: input });
export const updateEntry = (id: number, input: EntryInput) => request<Entry>('PUT', `/api/kb/entries/${id}`, { body: input });
export const publishEntry = (id: number) => request<Entry>('POST', `/api/kb/entries/${id}/publish`);
export const unpublishEntry = (id: number) => request<Entry>('POST', `/api/kb/entries/${id}/unpublish`);
export const deleteEntry = (id: number) => request<void>('DELETE', `/api/kb/entries/${id}`);

export const listUnanswered = (page: number, pageSize: number) => request<Page<UnansweredItem>>('GET', '/api/kb/unanswered', { query: { page, pageSize } });
export const attachUnanswered = (id: number, entryId: number) => request<void>('POST', `/api/kb/unanswered/${id}/attach`, { body: { entryId } });
export const createFromUnanswered = (id: number, input: EntryInput) => request<Entry>('POST', `/api/kb/unanswered/${id}/create`, { body: input });
export const dismissUnanswered = (id: number) => request<void>('POST', `/api/kb/unanswered/${id}/dismiss`);

export const listCandidates = () => request<{ items: Candidate[] }>('GET', '/api/kb/candidates');
export const acceptCandidate = (id: number, input: EntryInput) => request<Entry>('POST', `/api/kb/candidates/${id}/accept`, { body: input });
export const dismissCandidate = (id: number) => request<void>('POST', `/api/kb/candidates/${id}/dismiss`);

export const fetchStats = (query: StatsQuery) => request<KbStats>('GET', '/api/kb/stats', { query: { ...query } });

export function importFile(file: File, publish: boolean, onProgress: (percent: number) => void): Promise<ImportReport> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (publish) form.append('publish', '1');
  return upload<ImportReport>('/api/kb/import', form, onProgress);
}

export const exportEntries = () => download('/api/kb/export', '知识库.xlsx');
