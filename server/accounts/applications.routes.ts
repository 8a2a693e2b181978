import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { z } from 'zod';
import { accountIdOf, requireUser, type H5State } from './h5-state.js';
import { requireStaff, type StaffState } from '../staff/staff-session.js';
import { BadRequest } from '../http/errors.js';
import { APPLICATION_KINDS, APPLICATION_STATUSES, type ApplicationsService } from './applications.service.js';
import { idSchema, parseInput as parse, storableText } from '../http/validate.js';

const applyBody = z.object({ kind: z.enum(APPLICATION_KINDS, { error: '申请类型须为 vip_admin 或 internal' }) });
const rejectBody = z.object({ reason: storableText(z.string({ error: '请填写驳回原因' }).trim().min(1, '请填写驳回原因').max(200, '驳回原因最多200个字'), '驳回原因') });
const listQuery = z.object({
  status: z.enum(APPLICATION_STATUSES, { error: '状态须为 pending、approved 或 rejected' }).optional().or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
const idParam = idSchema();

/** The user's side: POST/GET /api/h5/me/applications (always the session's own account). */
export function myApplicationsRoutes(apps: ApplicationsService): Router<H5State> {
  const router = new Router<H5State>({ prefix: '/api/h5' });
  const user = requireUser();
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '4kb' });
  router.get('/me/applications', user, async (ctx) => void (ctx.body = await apps.listMine(accountIdOf(ctx.state))));
  router.post('/me/applications', user, json, async (ctx) => void (ctx.body = await apps.apply(accountIdOf(ctx.state), parse(applyBody, ctx.request.body).kind)));
  return router;
}

/** The console's side: /api/admin/applications, admins only. Needs staffSession() mounted before it. */
export function adminApplicationsRoutes(apps: ApplicationsService): Router<StaffState> {
  const router = new Router<StaffState>({ prefix: '/api/admin' });
  const admin = requireStaff('admin');
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '4kb' });
  router.get('/applications', admin, async (ctx) => void (ctx.body = await apps.list(parse(listQuery, ctx.query))));
  router.post('/applications/:id/approve', admin, async (ctx) => void (ctx.body = await apps.approve(id(ctx.params.id), ctx.state.staff!)));
  router.post('/applications/:id/reject', admin, json, async (ctx) => void (ctx.body = await apps.reject(id(ctx.params.id), parse(rejectBody, ctx.request.body).reason, ctx.state.staff!)));
  return router;
}

function id(raw: string | undefined): number {
  const r = idParam.safeParse(raw);
  if (!r.success) throw new BadRequest('无效的编号', 'invalid_input');
  return r.data;
}
