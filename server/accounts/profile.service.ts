import { and, eq, ne, sql } from 'drizzle-orm';
import type { Profile, ProfileInput } from '../../common/h5-api.js';
import type { Db } from '../db/client.js';
import { customers } from '../db/schema.js';
import { AppError, NotFound } from '../http/errors.js';
import { normalizeLogin, toBrief } from './accounts.repo.js';
import { accounts, units } from './schema.js';

export const EMAIL_TAKEN = '该邮箱已被其他账号使用';

/**
 * 个人中心: the logged-in account's own profile. Callers pass the session's account id
 * (ctx.state.h5), never an id from the request: nobody reads or edits another user's profile.
 */
export class ProfileService {
  constructor(private readonly db: Db) {}

  async get(accountId: number): Promise<Profile> {
    const [row] = await this.db
      .select({
        account: accounts,
        unit: { fullName: units.fullName, serviceCode: units.serviceCode, serviceLevel: units.serviceLevel, serviceValidUntil: units.serviceValidUntil },
        bound: sql<boolean>`exists (select 1 from ${customers} where ${customers.accountId} = ${accounts.id})`,
      })
      .from(accounts)
      .leftJoin(units, eq(units.id, accounts.unitId))
      .where(eq(accounts.id, accountId));
    if (!row) throw new NotFound('account', accountId);
    const a = row.account;
    return {
      ...toBrief(a),
      mobile: a.mobile,
      email: a.email,
      unit: row.unit?.fullName ? { ...row.unit } : null,
      points: a.points,
      wechatBound: row.bound,
    };
  }

  /** Edits what the user may change themselves: display name, e-mail (unique), avatar. */
  async update(accountId: number, input: ProfileInput): Promise<Profile> {
    // Stored as login lookups expect it (accounts.repo.ts): NFKC, trimmed, lower-case.
    const email = input.email === undefined ? undefined : input.email ? normalizeLogin(input.email) : null;
    if (email) {
      const [other] = await this.db.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.email, email), ne(accounts.id, accountId)));
      if (other) throw new AppError(409, 'taken', EMAIL_TAKEN);
    }
    try {
      await this.db
        .update(accounts)
        .set({
          displayName: input.displayName,
          ...(email !== undefined ? { email } : {}),
          ...(input.avatarUrl !== undefined ? { avatarUrl: input.avatarUrl || null } : {}),
        })
        .where(eq(accounts.id, accountId));
    } catch (err) {
      // Two accounts saving the same new e-mail at once: the unique index decides.
      if (isUniqueViolation(err)) throw new AppError(409, 'taken', EMAIL_TAKEN);
      throw err;
    }
    return this.get(accountId);
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}
