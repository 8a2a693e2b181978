/**
 * Creates a staff account with the server's configuration (DATA_DIR or DATABASE_URL, .env read):
 *
 *   npm run staff:add -- --username U --password P --role agent|technician|admin --name 显示名 [--max 5]
 *
 * Exit codes: 0 created, 1 refused (bad input, duplicate username, failure), 2 bad configuration,
 * 3 the embedded data folder is in use by a running server.
 */
import { parseArgs } from 'node:util';
import { STAFF_ROLES } from '../common/staff-api.js';
import { fail, loadCliConfig, openCliDatabase } from './cli-storage.js';
import { AppError } from '../server/http/errors.js';
import { StaffAccounts } from '../server/staff/staff.service.js';

const USAGE = `用法: npm run staff:add -- --username 用户名 --password 密码 --role ${STAFF_ROLES.join('|')} --name 显示名 [--max 并发上限]`;

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        username: { type: 'string' },
        password: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        max: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const missing = (['username', 'password', 'role', 'name'] as const).filter((k) => !args[k]);
  if (missing.length) fail(`缺少参数: ${missing.map((k) => `--${k}`).join(', ')}\n${USAGE}`);
  if (!(STAFF_ROLES as readonly string[]).includes(args.role!)) fail(`无效的角色 "${args.role}"：必须是 ${STAFF_ROLES.join(' / ')} 之一`);

  const config = loadCliConfig();
  const database = await openCliDatabase(config, '请先停止服务器再运行 staff:add，或在服务器模式下设置 DATABASE_URL 使用 PostgreSQL。');
  let outcome: { ok: true; text: string } | { ok: false; text: string };
  try {
    const me = await new StaffAccounts(database.db).createStaff({
      username: args.username!,
      password: args.password!,
      role: args.role as (typeof STAFF_ROLES)[number],
      displayName: args.name!,
      maxConcurrent: args.max ?? 5,
    });
    outcome = { ok: true, text: `已创建账号 ${me.username}（${me.displayName}，角色 ${me.role}，编号 ${me.id}）于 ${database.location}` };
  } catch (err) {
    outcome = { ok: false, text: `未创建: ${err instanceof AppError && !err.expose ? 'internal error' : (err as Error).message}` };
  } finally {
    await database.close(); // before exiting: it releases the data folder's lock
  }
  if (!outcome.ok) fail(outcome.text);
  process.stdout.write(`${outcome.text}\n`);
}

await main();
