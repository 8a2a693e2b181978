import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { accountIdOf, requireUser, type H5State } from './h5-state.js';
import { requireStaff, type StaffState } from '../staff/staff-session.js';
import type { ApplicationsService } from './applications.service.js';
import { idSchema, parseInput as parse } from '../http/validate.js';
import { AdminApplicationsQuerySchema as listQuery, ApplyRequestSchema as applyBody, RejectRequestSchema as rejectBody } from '../../common/h5-schemas.js';

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
  return parse(idParam, raw, { message: () => '无效的编号' });
}
