import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { PointsQuerySchema as pageQuery, ProfileInputSchema } from '../../common/h5-schemas.js';
import type { Db } from '../db/client.js';
import { accountIdOf, requireUser, type H5State } from './h5-state.js';
import { ledgerPage, ranking } from './points.js';
import type { ProfileService } from './profile.service.js';
import { parseInput as parse } from '../http/validate.js';

/** 个人中心: GET/PUT /api/h5/me, the points ledger and the ranking. Always the session's own account. */
export function profileRoutes(profiles: ProfileService, db: Db): Router<H5State> {
  const router = new Router<H5State>({ prefix: '/api/h5' });
  const user = requireUser();
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' });

  router.get('/me', user, async (ctx) => void (ctx.body = await profiles.get(accountIdOf(ctx.state))));
  router.put('/me', user, json, async (ctx) => void (ctx.body = await profiles.update(accountIdOf(ctx.state), parse(ProfileInputSchema, ctx.request.body))));
  router.get('/me/points', user, async (ctx) => void (ctx.body = await ledgerPage(db, accountIdOf(ctx.state), parse(pageQuery, ctx.query).page)));
  router.get('/points/ranking', user, async (ctx) => void (ctx.body = await ranking(db, accountIdOf(ctx.state))));
  return router;
}
