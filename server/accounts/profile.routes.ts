import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { z } from 'zod';
import type { ProfileInput } from '../../common/h5-api.js';
import type { Db } from '../db/client.js';
import { accountIdOf, requireUser, type H5State } from './h5-state.js';
import { ledgerPage, ranking } from './points.js';
import type { ProfileService } from './profile.service.js';
import { parseInput as parse } from '../http/validate.js';

const optionalText = (schema: z.ZodString) =>
  z
    .union([schema, z.literal(''), z.null()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v || null));

export const profileInputSchema = z.object({
  displayName: z.string({ error: '请填写昵称' }).trim().min(1, '请填写昵称').max(30, '昵称最多30个字'),
  email: optionalText(z.string().trim().max(100, '邮箱最多100个字').email('邮箱格式不正确')),
  // https only: the pages are served over https (and their CSP allows https images), so an
  // http:// picture would never show.
  avatarUrl: optionalText(z.string().trim().max(500, '头像地址太长').regex(/^(https:\/\/|\/)\S+$/, '头像地址须以 https:// 开头（或站内地址 /）')),
}) satisfies z.ZodType<ProfileInput, unknown>;

const pageQuery = z.object({ page: z.coerce.number({ error: '页码无效' }).int('页码无效').min(1, '页码无效').max(10_000, '页码无效').default(1) });

/** 个人中心: GET/PUT /api/h5/me, the points ledger and the ranking. Always the session's own account. */
export function profileRoutes(profiles: ProfileService, db: Db): Router<H5State> {
  const router = new Router<H5State>({ prefix: '/api/h5' });
  const user = requireUser();
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' });

  router.get('/me', user, async (ctx) => void (ctx.body = await profiles.get(accountIdOf(ctx.state))));
  router.put('/me', user, json, async (ctx) => void (ctx.body = await profiles.update(accountIdOf(ctx.state), parse(profileInputSchema, ctx.request.body))));
  router.get('/me/points', user, async (ctx) => void (ctx.body = await ledgerPage(db, accountIdOf(ctx.state), parse(pageQuery, ctx.query).page)));
  router.get('/points/ranking', user, async (ctx) => void (ctx.body = await ranking(db, accountIdOf(ctx.state))));
  return router;
}
