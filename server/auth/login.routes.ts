import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { parseInput } from '../http/validate.js';
import type { SessionInfo } from '../../common/h5-api.js';
import { BindingIdSchema as bindingId, CodeRequestSchema, LoginInputSchema, PasswordChangeSchema, RegisterInputSchema, ResetInputSchema } from '../../common/h5-schemas.js';
import { endH5Session, startH5Session, type H5CookieOptions, type H5Sessions } from './h5-session.js';
import { requireUser, type H5State } from '../accounts/h5-state.js';
import type { H5Auth } from './login.service.js';

export interface LoginRoutesDeps {
  auth: H5Auth;
  sessions: H5Sessions;
  cookie: H5CookieOptions;
}

const schemas = {
  login: LoginInputSchema,
  code: CodeRequestSchema,
  register: RegisterInputSchema,
  reset: ResetInputSchema,
  password: PasswordChangeSchema,
};

const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => parseInput(schema, body, { message: () => '请检查填写的内容' });

/**
 * The H5 login API (common/h5-api.ts): session, login, codes, register, password reset and
 * change, logout. Needs h5Session() and originCheck() mounted before it.
 */
export function loginRoutes(deps: LoginRoutesDeps): Router<H5State> {
  const { auth } = deps;
  const router = new Router<H5State>({ prefix: '/api/h5' });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' });

  /** A new session for the account, keeping the request's openid, which is bound to it. */
  const signIn = async (ctx: Context, accountId: number): Promise<SessionInfo> => {
    const openid = (ctx.state as H5State).h5?.openid ?? null;
    await auth.bind(openid, accountId);
    const session = await startH5Session(ctx, deps.sessions, deps.cookie, { openid, accountId });
    return auth.sessionInfo(session);
  };

  router.get('/session', async (ctx) => {
    ctx.set('cache-control', 'no-store');
    ctx.body = await auth.sessionInfo(ctx.state.h5);
  });
  router.post('/login', json, async (ctx) => {
    ctx.body = await signIn(ctx, await auth.login(parse(schemas.login, ctx.request.body), ctx.ip));
  });
  router.post('/codes', json, async (ctx) => {
    ctx.body = await auth.sendCode(parse(schemas.code, ctx.request.body), ctx.ip, ctx.state.h5?.openid ?? null);
  });
  router.post('/register', json, async (ctx) => {
    ctx.body = await signIn(ctx, await auth.register(parse(schemas.register, ctx.request.body), ctx.ip));
  });
  router.post('/password/reset', json, async (ctx) => {
    ctx.body = await auth.resetPassword(parse(schemas.reset, ctx.request.body), ctx.ip, ctx.state.h5);
  });
  router.post('/logout', async (ctx) => {
    // Inside WeChat the binding is what logs the user in again on the next menu tap: logging
    // out of this WeChat user means unbinding it (the page's confirmation says so).
    const unboundWechat = ctx.state.h5 ? await auth.unbindSessionWechat(ctx.state.h5) : false;
    await endH5Session(ctx, deps.sessions, deps.cookie);
    ctx.body = { ok: true, unboundWechat };
  });
  router.post('/me/password', requireUser(), json, async (ctx) => {
    ctx.body = await auth.changePassword(ctx.state.h5!, parse(schemas.password, ctx.request.body), ctx.ip);
  });
  router.get('/me/wechat', requireUser(), async (ctx) => {
    ctx.set('cache-control', 'no-store');
    ctx.body = { items: await auth.bindings(ctx.state.h5!) };
  });
  // DELETE is a write: the Origin check in front of /api/h5 covers it like a POST.
  router.delete('/me/wechat/:id', requireUser(), async (ctx) => {
    const id = parse(bindingId, ctx.params.id);
    await auth.unbind(ctx.state.h5!, id);
    ctx.body = { ok: true };
  });

  return router;
}
