/**
 * npm run menu:push
 * Creates the custom menu (menus/menu.json) on the configured Official Account through
 * /cgi-bin/menu/create, with every view URL sent through the OAuth silent login. Uses the
 * server's configuration: WECHAT_* credentials, PUBLIC_BASE_URL, and the shared access_token
 * (Redis in server mode; the database in embedded mode, so stop the embedded server first —
 * a second token holder would invalidate the running server's token).
 * Without real credentials there is nothing to push: the built-in simulator gets the menu at start.
 */
import { Redis } from 'ioredis';
import { redisNamespace } from '../server/platform/redis-namespace.js';
import { WeChatApiError } from '../server/wechat/api-errors.js';
import { createWeChatApi } from '../server/wechat/api-client.js';
import { menuProblems } from '../server/wechat/menu-limits.js';
import { readMenuFile, resolveMenu } from '../server/wechat/menu.js';
import { dbTokenStore, redisTokenStore } from '../server/wechat/token-manager.js';
import { fail, loadCliConfig, openCliDatabase } from './cli-storage.js';

const config = loadCliConfig();
if (!config.wechat) fail('未配置 WECHAT_APPID / WECHAT_APPSECRET / WECHAT_TOKEN：没有可推送的公众号。内置模拟器会在服务器启动时自动创建菜单。', 2);
if (!config.publicBaseUrl) fail('请设置 PUBLIC_BASE_URL（服务器的公网地址，菜单里的网页链接以它开头）。', 2);
const wechat = config.wechat;

const menu = await readMenuFile();
const resolved = resolveMenu(menu, { publicBaseUrl: config.publicBaseUrl });
const problems = [...new Set([...menuProblems(menu), ...menuProblems(resolved)])];
if (problems.length > 0) fail(`menus/menu.json 不符合微信的限制：\n${problems.map((p) => `  - ${p}`).join('\n')}`);

let close: () => Promise<unknown> = async () => {};
let tokenStore;
if (config.redisUrl) {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  close = () => redis.quit();
  tokenStore = redisTokenStore(redis, wechat.appId, undefined, redisNamespace(config.databaseUrl));
} else {
  const database = await openCliDatabase(config, '请先停止服务器再推送菜单（嵌入式模式下 access_token 保存在数据库里）。');
  close = () => database.close();
  tokenStore = dbTokenStore(database, wechat.appId);
}
try {
  const api = createWeChatApi({ appId: wechat.appId, appSecret: wechat.appSecret, apiBase: config.apiBase, tokenStore });
  await api.createMenu(resolved);
  const subs = resolved.button.reduce((n, b) => n + (b.sub_button?.length ?? 0), 0);
  process.stdout.write(`菜单已创建：${resolved.button.length} 个一级菜单，${subs} 个二级菜单（${config.apiBase}）\n`);
} catch (err) {
  const msg = err instanceof WeChatApiError ? `微信返回错误 ${err.errcode}: ${err.errmsg}` : (err as Error).message;
  await close();
  fail(`菜单创建失败：${msg}`);
}
await close();
