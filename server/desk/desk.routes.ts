import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { z } from 'zod';
import { bigIdSchema, idSchema, parseInput } from '../http/validate.js';
import {
  CannedReplyInputSchema as cannedBody,
  ConversationsQuerySchema as conversationsQuery,
  LeftMessagesQuerySchema as leftQuery,
  MessagesAfterQuerySchema as afterQuery,
  StatusRequestSchema as statusBody,
  TextRequestSchema as textBody,
  TransferRequestSchema as transferBody,
  TypingRequestSchema as typingBody,
} from '../../common/desk-schemas.js';
import type { StaffMe } from '../../common/staff-api.js';
import { requireStaff, type StaffState } from '../staff/staff-session.js';
import type { DeskService } from './desk.service.js';

const id = idSchema();
const messageId = bigIdSchema();
/** Zod-checked input, or 400 invalid_input with the reasons. */
function parse<T>(schema: z.ZodType<T, unknown>, value: unknown): T {
  return parseInput(schema, value ?? {}, { message: (issues) => issues.map((i) => `${i.path.join('.') || '输入'}: ${i.message}`).join('；') });
}

type Ctx = { state: StaffState; params: Record<string, string> };
const me = (ctx: Ctx): StaffMe => ctx.state.staff!;
const cid = (ctx: Ctx): number => parse(id, ctx.params.id);

/** /api/desk/* (common/desk-api.ts): one line per route. Needs staffSession() mounted before it. */
export function deskRoutes(desk: DeskService): Router<StaffState> {
  const router = new Router<StaffState>({ prefix: '/api/desk' });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '64kb' });
  router.use(requireStaff('agent', 'admin'));
  const admin = requireStaff('admin');

  router.get('/queue', async (ctx) => void (ctx.body = { items: await desk.queue() }));
  router.get('/conversations', async (ctx) => {
    const f = parse(conversationsQuery, ctx.query);
    ctx.body = f.mine ? await desk.mine(me(ctx), f.page, f.pageSize) : await desk.search({ q: f.q, status: f.status }, f.page, f.pageSize);
  });
  router.get('/conversations/:id', async (ctx) => void (ctx.body = await desk.detail(cid(ctx))));
  router.get('/conversations/:id/messages', async (ctx) => void (ctx.body = await desk.messages(cid(ctx), parse(afterQuery, ctx.query).after)));
  router.post('/conversations/:id/accept', async (ctx) => void (ctx.body = await desk.accept(me(ctx), cid(ctx))));
  router.post('/conversations/:id/messages', json, async (ctx) => void (ctx.body = await desk.send(me(ctx), cid(ctx), parse(textBody, ctx.request.body).text)));
  router.post('/conversations/:id/notes', json, async (ctx) => void (ctx.body = await desk.note(me(ctx), cid(ctx), parse(textBody, ctx.request.body).text)));
  router.post('/conversations/:id/transfer', json, async (ctx) => {
    const b = parse(transferBody, ctx.request.body);
    ctx.body = await desk.transfer(me(ctx), cid(ctx), b.agent, b.note);
  });
  router.post('/conversations/:id/messages/:messageId/resend', async (ctx) => void (ctx.body = await desk.resend(me(ctx), cid(ctx), parse(messageId, ctx.params.messageId))));
  router.post('/conversations/:id/close', async (ctx) => void (ctx.body = await desk.close(me(ctx), cid(ctx))));
  router.post('/conversations/:id/typing', json, async (ctx) => void (await desk.typing(me(ctx), cid(ctx), parse(typingBody, ctx.request.body).typing), (ctx.status = 204)));

  router.get('/agents', async (ctx) => void (ctx.body = await desk.agents()));
  router.put('/me/status', json, async (ctx) => void (ctx.body = await desk.setStatus(me(ctx), parse(statusBody, ctx.request.body).status)));

  router.get('/canned', async (ctx) => void (ctx.body = await desk.canned()));
  router.post('/canned', admin, json, async (ctx) => void (ctx.body = await desk.createCanned(parse(cannedBody, ctx.request.body))));
  router.put('/canned/:id', admin, json, async (ctx) => void (ctx.body = await desk.updateCanned(cid(ctx), parse(cannedBody, ctx.request.body))));
  router.delete('/canned/:id', admin, async (ctx) => void (await desk.deleteCanned(cid(ctx)), (ctx.status = 204)));

  router.get('/left-messages', async (ctx) => {
    const f = parse(leftQuery, ctx.query);
    ctx.body = await desk.leftMessages(f.status, f.page, f.pageSize);
  });
  router.post('/left-messages/:id/done', async (ctx) => void (ctx.body = await desk.leftMessageDone(me(ctx), cid(ctx))));
  router.post('/left-messages/:id/reply', json, async (ctx) => void (ctx.body = await desk.replyToLeftMessage(me(ctx), cid(ctx), parse(textBody, ctx.request.body).text)));
  return router;
}
