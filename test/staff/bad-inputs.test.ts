import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMode } from '../helpers/mode.js';
import { startDeskServer, type DeskServer, type StaffClient } from '../helpers/desk.js';

const BEYOND_INT4 = '2147483648';
const BEYOND_INT8 = '99999999999999999999';
const entry = { question: '怎么开发票', answer: '在开票模块里开具。', module: '财务', similar: [], keywords: [], status: 'draft' };

/**
 * Every staff route that takes an id, a search text, a page or a date range answers bad values
 * with 400 and a reason, never 500: ids beyond the column's range, NUL and control characters,
 * dates PostgreSQL cannot hold. Against the whole server and its real services.
 */
const CASES: Array<[method: string, path: string, body?: unknown]> = [
  // desk
  ['GET', `/api/desk/conversations/${BEYOND_INT4}`],
  ['GET', `/api/desk/conversations/${BEYOND_INT4}/messages`],
  ['GET', `/api/desk/conversations/1/messages?after=${BEYOND_INT8}`],
  ['GET', '/api/desk/conversations/1/messages?after=1e400'],
  ['POST', `/api/desk/conversations/${BEYOND_INT4}/accept`],
  ['POST', `/api/desk/conversations/${BEYOND_INT4}/messages`, { text: '您好' }],
  ['POST', `/api/desk/conversations/${BEYOND_INT4}/notes`, { text: '备注' }],
  ['POST', `/api/desk/conversations/${BEYOND_INT4}/transfer`, { agent: 1 }],
  ['POST', '/api/desk/conversations/1/transfer', { agent: Number(BEYOND_INT4) }],
  ['POST', '/api/desk/conversations/1/transfer', { agent: BEYOND_INT4 }],
  ['POST', '/api/desk/conversations/1/transfer', { agent: 'wang\u0000' }],
  ['POST', '/api/desk/conversations/1/messages', { text: '您好\u0000' }],
  ['POST', '/api/desk/canned', { shortcut: 'nul', title: '空字符\u0000', content: '您好' }],
  ['POST', `/api/desk/conversations/${BEYOND_INT4}/close`],
  ['POST', `/api/desk/conversations/${BEYOND_INT4}/typing`, { typing: true }],
  ['POST', `/api/desk/conversations/1/messages/${BEYOND_INT8}/resend`],
  ['PUT', `/api/desk/canned/${BEYOND_INT4}`, { shortcut: 'hi', title: '问候', content: '您好' }],
  ['DELETE', `/api/desk/canned/${BEYOND_INT4}`],
  ['POST', `/api/desk/left-messages/${BEYOND_INT4}/done`],
  ['GET', '/api/desk/conversations?q=%00'],
  ['GET', '/api/desk/conversations?q=%E5%8F%91%1B%5B31m'],
  ['GET', `/api/desk/conversations?q=${'发'.repeat(101)}`],
  ['GET', `/api/desk/conversations?page=${BEYOND_INT8}`],
  ['GET', `/api/desk/left-messages?page=${BEYOND_INT8}`],
  // knowledge base
  ['GET', `/api/kb/entries/${BEYOND_INT4}`],
  ['PUT', `/api/kb/entries/${BEYOND_INT4}`, entry],
  ['POST', `/api/kb/entries/${BEYOND_INT4}/publish`],
  ['POST', `/api/kb/entries/${BEYOND_INT4}/unpublish`],
  ['DELETE', `/api/kb/entries/${BEYOND_INT4}`],
  ['GET', '/api/kb/entries?q=%00'],
  ['POST', '/api/kb/entries', { ...entry, answer: '答案\u0000' }],
  ['GET', '/api/kb/entries?module=%00'],
  ['GET', `/api/kb/entries?page=${BEYOND_INT8}`],
  ['GET', `/api/kb/unanswered?page=${BEYOND_INT8}`],
  ['POST', `/api/kb/unanswered/${BEYOND_INT4}/attach`, { entryId: 1 }],
  ['POST', '/api/kb/unanswered/1/attach', { entryId: Number(BEYOND_INT4) }],
  ['POST', `/api/kb/unanswered/${BEYOND_INT4}/create`, entry],
  ['POST', `/api/kb/unanswered/${BEYOND_INT4}/dismiss`],
  ['POST', `/api/kb/candidates/${BEYOND_INT4}/accept`, entry],
  ['POST', `/api/kb/candidates/${BEYOND_INT4}/dismiss`],
  ['GET', '/api/kb/stats?from=%2B275760-09-13'],
  ['GET', '/api/kb/stats?to=%2B275760-09-13'],
  ['GET', '/api/kb/stats?from=1900-01-01'],
  ['GET', '/api/kb/stats?from=2024-02-30'],
  ['GET', '/api/kb/stats?from=next%20tuesday'],
  ['GET', '/api/kb/stats?from=2024-05-02&to=2024-05-01'],
  // applications (admin)
  ['POST', `/api/admin/applications/${BEYOND_INT4}/approve`],
  ['POST', `/api/admin/applications/${BEYOND_INT4}/reject`, { reason: '资料不全' }],
  ['GET', `/api/admin/applications?page=${BEYOND_INT8}`],
  ['POST', '/api/admin/applications/1/reject', { reason: '资料\u0000不全' }],
];

describe(`bad ids, search texts and dates on the staff routes (${testMode()})`, () => {
  let desk: DeskServer;
  let admin: StaffClient;

  beforeAll(async () => {
    desk = await startDeskServer();
    admin = await desk.addStaff('boss', 'admin', '主管');
  });
  afterAll(async () => {
    await desk?.close();
  });

  it.each(CASES)('%s %s → 400 with a reason', async (method, path, body) => {
    const r = await admin.request<{ error: { code: string; message: string } }>(method, path, body);
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 400, code: expect.stringMatching(/^invalid_/) });
    expect(r.body.error.message.length).toBeGreaterThan(0);
  });

  it('still takes the good values', async () => {
    for (const path of ['/api/desk/conversations?q=发票&page=1', '/api/kb/entries?q=发票', '/api/kb/stats?from=2024-05-01&to=2024-05-08', '/api/kb/stats?from=2024-05-01T08:00:00%2B08:00', '/api/desk/conversations/1/messages?after=0']) {
      const r = await admin.get(path);
      expect([path, r.status]).toEqual([path, path.includes('/conversations/1/') ? 404 : 200]);
    }
  });
});
