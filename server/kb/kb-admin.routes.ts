import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import getRawBody from 'raw-body';
import type { z } from 'zod';
import { idSchema, parseInput } from '../http/validate.js';
import {
  AttachRequestSchema as attachBody,
  EntryInputSchema as entryInputSchema,
  EntryQuerySchema as entryQuery,
  PageQuerySchema as pageQuery,
  StatsQuerySchema as statsQuery,
} from '../../common/kb-schemas.js';
import {
  type Candidate,
  type Entry,
  type EntryInput,
  type EntryQuery,
  type EntrySummary,
  type ImportReport,
  type KbStats,
  type Page,
  type StatsQuery,
  type UnansweredItem,
} from '../../common/kb-api.js';
import type { StaffMe } from '../../common/staff-api.js';
import { requireStaff, type StaffState } from '../staff/staff-session.js';
import { AppError, BadRequest, PayloadTooLarge } from '../http/errors.js';

/**
 * What the knowledge-base services offer the console. The lead adapts server/bot/kb/** to
 * this; every method throws the server's AppErrors (NotFound, BadRequest) on refusal.
 * `by` is the staff member acting, for the audit trail.
 */
export interface KbAdminService {
  listEntries(query: Required<Pick<EntryQuery, 'page' | 'pageSize'>> & Omit<EntryQuery, 'page' | 'pageSize'>): Promise<Page<EntrySummary>>;
  getEntry(id: number): Promise<Entry>;
  createEntry(input: EntryInput, by: StaffMe): Promise<Entry>;
  updateEntry(id: number, input: EntryInput, by: StaffMe): Promise<Entry>;
  setEntryStatus(id: number, status: 'published' | 'draft', by: StaffMe): Promise<Entry>;
  deleteEntry(id: number, by: StaffMe): Promise<void>;
  listUnanswered(query: { page: number; pageSize: number }): Promise<Page<UnansweredItem>>;
  attachUnanswered(id: number, entryId: number, by: StaffMe): Promise<void>;
  createFromUnanswered(id: number, input: EntryInput, by: StaffMe): Promise<Entry>;
  dismissUnanswered(id: number, by: StaffMe): Promise<void>;
  listCandidates(): Promise<{ items: Candidate[] }>;
  acceptCandidate(id: number, input: EntryInput, by: StaffMe): Promise<Entry>;
  dismissCandidate(id: number, by: StaffMe): Promise<void>;
  stats(query: StatsQuery): Promise<KbStats>;
  importFile(file: { name: string; data: Buffer }, opts: { publish: boolean }, by: StaffMe): Promise<ImportReport>;
  exportXlsx(): Promise<Buffer>;
}

export const IMPORT_LIMIT_BYTES = 10 * 1024 * 1024;

const idParam = idSchema();

/**
 * /api/kb/*: one line per route (validate, call the service, answer). Needs staffSession()
 * mounted before it. Reading entries is open to every staff role; everything else is admin only.
 */
export function kbAdminRoutes(kb: KbAdminService): Router<StaffState> {
  const router = new Router<StaffState>({ prefix: '/api/kb' });
  const anyStaff = requireStaff();
  const admin = requireStaff('admin');
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '256kb' });

  router.get('/entries', anyStaff, async (ctx) => void (ctx.body = await kb.listEntries(parse(entryQuery, ctx.query))));
  router.get('/entries/:id', anyStaff, async (ctx) => void (ctx.body = await kb.getEntry(id(ctx.params.id))));
  router.post('/entries', admin, json, async (ctx) => void (ctx.body = await kb.createEntry(entryInput(ctx.request.body), me(ctx.state))));
  router.put('/entries/:id', admin, json, async (ctx) => void (ctx.body = await kb.updateEntry(id(ctx.params.id), entryInput(ctx.request.body), me(ctx.state))));
  router.post('/entries/:id/publish', admin, async (ctx) => void (ctx.body = await kb.setEntryStatus(id(ctx.params.id), 'published', me(ctx.state))));
  router.post('/entries/:id/unpublish', admin, async (ctx) => void (ctx.body = await kb.setEntryStatus(id(ctx.params.id), 'draft', me(ctx.state))));
  router.delete('/entries/:id', admin, async (ctx) => void (await kb.deleteEntry(id(ctx.params.id), me(ctx.state)), (ctx.status = 204)));

  router.get('/unanswered', admin, async (ctx) => void (ctx.body = await kb.listUnanswered(parse(pageQuery, ctx.query))));
  router.post('/unanswered/:id/attach', admin, json, async (ctx) => void (await kb.attachUnanswered(id(ctx.params.id), parse(attachBody, ctx.request.body).entryId, me(ctx.state)), (ctx.status = 204)));
  router.post('/unanswered/:id/create', admin, json, async (ctx) => void (ctx.body = await kb.createFromUnanswered(id(ctx.params.id), entryInput(ctx.request.body), me(ctx.state))));
  router.post('/unanswered/:id/dismiss', admin, async (ctx) => void (await kb.dismissUnanswered(id(ctx.params.id), me(ctx.state)), (ctx.status = 204)));

  router.get('/candidates', admin, async (ctx) => void (ctx.body = await kb.listCandidates()));
  router.post('/candidates/:id/accept', admin, json, async (ctx) => void (ctx.body = await kb.acceptCandidate(id(ctx.params.id), entryInput(ctx.request.body), me(ctx.state))));
  router.post('/candidates/:id/dismiss', admin, async (ctx) => void (await kb.dismissCandidate(id(ctx.params.id), me(ctx.state)), (ctx.status = 204)));

  router.get('/stats', admin, async (ctx) => void (ctx.body = await kb.stats(parse(statsQuery, ctx.query))));

  // One import at a time in this instance, refused before its upload is read: each holds its
  // file and rows in memory, and ten at once starved the WeChat pushes of CPU and memory.
  let importing = false;
  router.post('/import', admin, async (ctx) => {
    if (importing) throw new AppError(409, 'import_busy', '已有一个导入正在进行，请等它完成后再试');
    importing = true;
    try {
      const form = await readMultipart(ctx.req, ctx.get('content-type'), ctx.get('content-length'));
      const file = form.get('file');
      if (!file || typeof file === 'string') throw new BadRequest('请选择要导入的 .xlsx 或 .csv 文件', 'no_file');
      if (!/\.(xlsx|csv)$/i.test(file.name)) throw new BadRequest('只支持 .xlsx 或 .csv 文件', 'bad_file_type');
      const data = Buffer.from(await file.arrayBuffer());
      ctx.body = await kb.importFile({ name: file.name, data }, { publish: form.get('publish') === '1' }, me(ctx.state));
    } finally {
      importing = false;
    }
  });
  router.get('/export', admin, async (ctx) => {
    ctx.body = await kb.exportXlsx();
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.attachment(`知识库-${new Date().toISOString().slice(0, 10)}.xlsx`);
  });
  return router;
}

const parse = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => parseInput(schema, value, { code: 'invalid_request' });

function entryInput(body: unknown): EntryInput {
  return parse(entryInputSchema, body);
}

function id(raw: string | undefined): number {
  return parseInput(idParam, raw, { code: 'invalid_id', message: () => '无效的编号' });
}

function me(state: StaffState): StaffMe {
  return state.staff!; // requireStaff ran first
}

/** Parses a multipart/form-data body with the platform's own parser (undici's Response.formData). */
async function readMultipart(req: NodeJS.ReadableStream, contentType: string, length: string): Promise<FormData> {
  if (!/^multipart\/form-data/i.test(contentType)) throw new BadRequest('请以 multipart/form-data 上传文件', 'not_multipart');
  let raw: Buffer;
  try {
    raw = await getRawBody(req as Parameters<typeof getRawBody>[0], { limit: IMPORT_LIMIT_BYTES, length: length || undefined });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') throw new PayloadTooLarge(IMPORT_LIMIT_BYTES);
    throw new BadRequest('上传中断，请重试', 'upload_failed');
  }
  try {
    return await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new BadRequest('无法读取上传的文件', 'bad_multipart');
  }
}
