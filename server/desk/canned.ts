import { asc, eq, sql } from 'drizzle-orm';
import type { CannedReply, CannedReplyInput } from '../../common/desk-api.js';
import type { Db } from '../db/client.js';
import { NotFound } from '../http/errors.js';
import { cannedReplies } from './schema.js';
import { Conflict } from './errors.js';

/** Canned replies: agents read them, admins write them. Seeded once with useful ones. */
export const SEED_CANNED: CannedReplyInput[] = [
  { shortcut: 'hi', title: '问候', content: '您好，我是客服，很高兴为您服务！请问有什么可以帮您？' },
  { shortcut: 'wait', title: '请稍候', content: '好的，我这边帮您查询一下，请稍等片刻。' },
  { shortcut: 'pwd', title: '重置密码', content: '您可以在登录页点击“忘记密码”，通过绑定的手机号或邮箱重置密码；如仍无法登录，请告诉我您的用户名，我帮您处理。' },
  { shortcut: 'ticket', title: '转问题单', content: '这个问题需要技术同事进一步排查，建议您通过菜单“我的服务 → 我要提问”提交问题单，我们会尽快跟进。' },
  { shortcut: 'bye', title: '结束语', content: '请问还有其他可以帮您的吗？如果没有，稍后我将结束本次会话，感谢您的咨询，祝您工作顺利！' },
];

export async function seedCannedReplies(db: Db): Promise<void> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(cannedReplies);
  if ((row?.n ?? 0) > 0) return;
  await db.insert(cannedReplies).values(SEED_CANNED).onConflictDoNothing();
}

export async function listCanned(db: Db): Promise<CannedReply[]> {
  const rows = await db.select().from(cannedReplies).orderBy(asc(cannedReplies.shortcut));
  return rows.map(toCanned);
}

export async function createCanned(db: Db, input: CannedReplyInput): Promise<CannedReply> {
  const [row] = await db.insert(cannedReplies).values(input).onConflictDoNothing().returning();
  if (!row) throw taken(input.shortcut);
  return toCanned(row);
}

export async function updateCanned(db: Db, id: number, input: CannedReplyInput): Promise<CannedReply> {
  try {
    const [row] = await db.update(cannedReplies).set({ ...input, updatedAt: new Date() }).where(eq(cannedReplies.id, id)).returning();
    if (!row) throw new NotFound('canned reply', id);
    return toCanned(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(input.shortcut);
    throw err;
  }
}

export async function deleteCanned(db: Db, id: number): Promise<void> {
  const rows = await db.delete(cannedReplies).where(eq(cannedReplies.id, id)).returning({ id: cannedReplies.id });
  if (!rows.length) throw new NotFound('canned reply', id);
}

const toCanned = (r: typeof cannedReplies.$inferSelect): CannedReply => ({ id: r.id, shortcut: r.shortcut, title: r.title, content: r.content });
const taken = (shortcut: string) => new Conflict('shortcut_taken', `快捷短语 /${shortcut} 已存在`);

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}
