import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { H5State } from './h5-state.js';
import type { ServiceCodeLookup } from './service-code.js';
import { parseInput as parse } from '../http/validate.js';
import { ServiceCodeRequestSchema as lookupBody } from '../../common/h5-schemas.js';

/**
 * POST /api/h5/service-code: open without login (服务家园 is public), limited per IP and per
 * the session's openid, and audited with both and the account when there is one.
 */
export function serviceCodeRoutes(lookup: ServiceCodeLookup): Router<H5State> {
  const router = new Router<H5State>({ prefix: '/api/h5' });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '4kb' });
  router.post('/service-code', json, async (ctx) => {
    const { fullName } = parse(lookupBody, ctx.request.body);
    ctx.body = await lookup.lookup(fullName, { ip: ctx.ip || null, openid: ctx.state.h5?.openid ?? null, accountId: ctx.state.h5?.accountId ?? null });
  });
  return router;
}
