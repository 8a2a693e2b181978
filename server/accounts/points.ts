import { desc, eq, gt, sql } from 'drizzle-orm';
import type { PointsEntry, PointsPage, RankingRow } from '../../common/h5-api.js';
import type { Db } from '../db/client.js';
import { accounts, pointsLedger } from './schema.js';

/**
 * Every way to earn points, in one place. A credit
 * is idempotent per event: the ledger's unique index (account, reason, event key) lets each
 * event count once, e.g. ('first_read', 'article:42') or ('ask_question', 'ticket:7').
 */
export const POINT_RULES = {
  register: { points: 10, label: '注册账号' },
  ask_question: { points: 5, label: '提交问题' },
  first_read: { points: 1, label: '首次阅读知识' },
  favourite: { points: 1, label: '收藏' },
  survey: { points: 10, label: '参与问卷调查' },
  suggestion: { points: 3, label: '提交吐槽建议' },
  rate_service: { points: 2, label: '服务评价' },
} as const satisfies Record<string, { points: number; label: string }>;

export type PointReason = keyof typeof POINT_RULES;

export const RANKING_SIZE = 20;
export const LEDGER_PAGE_SIZE = 20;

/** The Chinese label of a reason; a reason no longer in the rules shows as itself. */
export function pointLabel(reason: string): string {
  return (POINT_RULES as Record<string, { label: string }>)[reason]?.label ?? reason;
}

/**
 * Credits the points of `reason` for one event. Returns the points credited: 0 when the event
 * was already counted (a repeat read, a retried request).
 */
export async function credit(db: Db, accountId: number, reason: PointReason, eventKey: string): Promise<number> {
  const { points } = POINT_RULES[reason];
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(pointsLedger)
      .values({ accountId, reason, eventKey, points })
      .onConflictDoNothing({ target: [pointsLedger.accountId, pointsLedger.reason, pointsLedger.eventKey] })
      .returning({ id: pointsLedger.id });
    if (inserted.length === 0) return 0;
    await tx.update(accounts).set({ points: sql`${accounts.points} + ${points}` }).where(eq(accounts.id, accountId));
    return points;
  });
}

/** The account's balance (kept on the account row, next to the ledger it sums). */
export async function balance(db: Db, accountId: number): Promise<number> {
  const [row] = await db.select({ points: accounts.points }).from(accounts).where(eq(accounts.id, accountId));
  return row?.points ?? 0;
}

/** One page of the account's ledger, newest first, with the balance. */
export async function ledgerPage(db: Db, accountId: number, page: number, pageSize = LEDGER_PAGE_SIZE): Promise<PointsPage> {
  const [rows, [count], points] = await Promise.all([
    db
      .select()
      .from(pointsLedger)
      .where(eq(pointsLedger.accountId, accountId))
      .orderBy(desc(pointsLedger.createdAt), desc(pointsLedger.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(pointsLedger).where(eq(pointsLedger.accountId, accountId)),
    balance(db, accountId),
  ]);
  const items: PointsEntry[] = rows.map((r) => ({ id: r.id, reason: r.reason, label: pointLabel(r.reason), points: r.points, createdAt: r.createdAt.toISOString() }));
  return { balance: points, items, total: count?.n ?? 0, page, pageSize };
}

/**
 * The top RANKING_SIZE accounts by points (ties share a rank, as in sport), and the caller's own
 * row; `me` is null while the caller has no points. Only display names leave the server.
 */
export async function ranking(db: Db, accountId: number): Promise<{ items: RankingRow[]; me: RankingRow | null }> {
  const rank = sql<number>`(rank() over (order by ${accounts.points} desc))::int`;
  const [top, mine] = await Promise.all([
    db
      .select({ rank, displayName: accounts.displayName, points: accounts.points })
      .from(accounts)
      .where(gt(accounts.points, 0))
      .orderBy(desc(accounts.points), accounts.id)
      .limit(RANKING_SIZE),
    myRank(db, accountId),
  ]);
  return { items: top, me: mine };
}

async function myRank(db: Db, accountId: number): Promise<RankingRow | null> {
  const [me] = await db.select({ displayName: accounts.displayName, points: accounts.points }).from(accounts).where(eq(accounts.id, accountId));
  if (!me || me.points <= 0) return null;
  const [ahead] = await db.select({ n: sql<number>`count(*)::int` }).from(accounts).where(gt(accounts.points, me.points));
  return { rank: (ahead?.n ?? 0) + 1, displayName: me.displayName, points: me.points };
}
