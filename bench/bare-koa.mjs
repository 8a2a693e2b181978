// The baseline for bench/gateway.bench.mjs: a bare Koa 3 app with one POST route that reads
// the body (same 64 KiB cap as the real edge) and answers a fixed passive-reply XML.
// No signature check, no XML parsing, no storage: the floor the real /wechat is compared to.
// With BARE_STORE_DIR set it also stores each push with one INSERT into PGlite in that folder
// before answering: the least work that "store before replying" allows, the second baseline.
//   PORT=3001 node bench/bare-koa.mjs
//   PORT=3001 BARE_STORE_DIR=/tmp/bare-pglite node bench/bare-koa.mjs
import Koa from 'koa';
import Router from '@koa/router';
import getRawBody from 'raw-body';

const REPLY =
  '<xml><ToUserName><![CDATA[oBENCH000000000000000000001]]></ToUserName>' +
  '<FromUserName><![CDATA[gh_000000000000]]></FromUserName>' +
  `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>` +
  '<MsgType><![CDATA[text]]></MsgType>' +
  '<Content><![CDATA[抱歉，这个问题我暂时还回答不了。\n回复 #人工 转接人工客服，或拨打服务热线 400-658-6000。]]></Content></xml>';

let store;
if (process.env.BARE_STORE_DIR) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(process.env.BARE_STORE_DIR);
  await db.exec('SET wal_init_zero = off');
  await db.exec('CREATE TABLE IF NOT EXISTS pushes (id bigserial PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), body text NOT NULL)');
  store = (body) => db.query('INSERT INTO pushes (body) VALUES ($1)', [body]);
}

const app = new Koa();
const router = new Router();

router.get('/readyz', (ctx) => {
  ctx.body = { status: 'ready' };
});

router.post('/wechat', async (ctx) => {
  const body = await getRawBody(ctx.req, { limit: 64 * 1024, length: ctx.get('content-length') || undefined, encoding: 'utf8' });
  if (store) await store(body);
  ctx.type = 'application/xml';
  ctx.body = REPLY;
});

app.use(router.routes());
app.use(router.allowedMethods());

const server = app.listen(Number(process.env.PORT ?? 3001), process.env.HOST ?? '127.0.0.1');
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
