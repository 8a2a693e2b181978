import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Role, UserBrief } from '../../common/h5-api.js';
import type { Db } from '../db/client.js';
import { customers } from '../db/schema.js';
import { accounts } from './schema.js';

/**
 * Account storage for login, registration and binding. Other account features
 * (profile, points, applications) import from here; keep these exports stable.
 */
export type Account = typeof accounts.$inferSelect;

export interface NewAccount {
  username: string;
  mobile?: string | null;
  email?: string | null;
  passwordHash: string;
  displayName: string;
  unitId?: number | null;
}

/** Which column a login string names: an e-mail has an @, a mobile is 11 digits from 1, else a user name. */
export type LoginKind = 'email' | 'mobile' | 'username';

export const MOBILE_RE = /^1\d{10}$/;
export const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
/** A chosen user name; an account registered by mobile uses its mobile as user name. */
export const USERNAME_RE = /^[a-z][a-z0-9_.-]{2,31}$/;

export function loginKind(login: string): LoginKind {
  if (login.includes('@')) return 'email';
  if (MOBILE_RE.test(login)) return 'mobile';
  return 'username';
}

/** Trims and lower-cases a user name or e-mail; a mobile is kept as typed (digits). */
export function normalizeLogin(login: string): string {
  return login.normalize('NFKC').trim().toLowerCase();
}

/**
 * The account a login string names (user name, mobile or e-mail), or undefined. The kinds
 * cannot collide: createAccount() refuses a user name that looks like someone's mobile or
 * e-mail, so the lookup is by one column only.
 */
export async function findAccountByLogin(db: Db, account: string): Promise<Account | undefined> {
  const key = normalizeLogin(account);
  if (!key) return undefined;
  const kind = loginKind(key);
  const column = kind === 'email' ? accounts.email : kind === 'mobile' ? accounts.mobile : accounts.username;
  const [row] = await db.select().from(accounts).where(eq(column, key)).limit(1);
  return row;
}

export async function findAccountById(db: Db, id: number): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return row;
}

export class AccountTaken extends Error {
  constructor(readonly field: 'username' | 'mobile' | 'email') {
    super(`${field} taken`);
    this.name = 'AccountTaken';
  }
}

/**
 * Creates an account. Throws AccountTaken when the user name, mobile or e-mail is already in
 * use (checked first for a clear answer, and again by the unique indexes for races).
 */
export async function createAccount(db: Db, input: NewAccount): Promise<Account> {
  const username = normalizeLogin(input.username);
  const mobile = input.mobile?.trim() || null;
  const email = input.email ? normalizeLogin(input.email) : null;
  if (username !== mobile && !USERNAME_RE.test(username)) throw new Error('invalid username');
  if (mobile && !MOBILE_RE.test(mobile)) throw new Error('invalid mobile');
  if (email && !EMAIL_RE.test(email)) throw new Error('invalid email');
  for (const [field, value] of [['username', username], ['mobile', mobile], ['email', email]] as const) {
    if (value && (await findAccountByLogin(db, value))) throw new AccountTaken(field);
  }
  try {
    const [row] = await db
      .insert(accounts)
      .values({ username, mobile, email, passwordHash: input.passwordHash, displayName: input.displayName.trim(), unitId: input.unitId ?? null })
      .returning();
    return row!;
  } catch (err) {
    const text = String((err as { message?: string; cause?: { message?: string } }).cause?.message ?? (err as Error).message);
    if (/unique|duplicate/i.test(text)) throw new AccountTaken(/mobile/.test(text) ? 'mobile' : /email/.test(text) ? 'email' : 'username');
    throw err;
  }
}

export async function setPassword(db: Db, id: number, passwordHash: string): Promise<void> {
  await db.update(accounts).set({ passwordHash }).where(eq(accounts.id, id));
}

/**
 * Binds a WeChat openid to an account (customers.account_id), creating the customer row when
 * the openid has never written. The latest login wins: an openid has one account.
 */
export async function bindOpenid(db: Db, openid: string, accountId: number): Promise<void> {
  await db
    .insert(customers)
    .values({ openid, accountId, boundAt: new Date() })
    .onConflictDoUpdate({ target: customers.openid, set: { accountId, boundAt: new Date() } });
}

/** The openids bound to an account, newest binding first. */
export async function bindingsOf(db: Db, accountId: number): Promise<Array<{ id: number; openid: string; boundAt: Date | null }>> {
  return db
    .select({ id: customers.id, openid: customers.openid, boundAt: customers.boundAt })
    .from(customers)
    .where(eq(customers.accountId, accountId))
    .orderBy(sql`${customers.boundAt} desc nulls last`, desc(customers.id));
}

/** Unbinds one of the account's openids (by the customer row's id); the openid it was, or undefined when it was not the account's. */
export async function unbindOpenid(db: Db, accountId: number, customerId: number): Promise<string | undefined> {
  const [row] = await db
    .update(customers)
    .set({ accountId: null, boundAt: null })
    .where(and(eq(customers.id, customerId), eq(customers.accountId, accountId)))
    .returning({ openid: customers.openid });
  return row?.openid;
}

/** Unbinds this openid from the account, if it is bound to it; whether it was. */
export async function unbindOpenidOf(db: Db, accountId: number, openid: string): Promise<boolean> {
  const rows = await db
    .update(customers)
    .set({ accountId: null, boundAt: null })
    .where(and(eq(customers.openid, openid), eq(customers.accountId, accountId)))
    .returning({ id: customers.id });
  return rows.length > 0;
}

/** Unbinds every openid of the account but `keep` (none kept when null); how many were unbound. */
export async function unbindAllBut(db: Db, accountId: number, keep: string | null): Promise<number> {
  const rows = await db
    .update(customers)
    .set({ accountId: null, boundAt: null })
    .where(keep ? and(eq(customers.accountId, accountId), ne(customers.openid, keep)) : eq(customers.accountId, accountId))
    .returning({ id: customers.id });
  return rows.length;
}

/** The account bound to an openid, creating the customer row when there is none. */
export async function accountOfOpenid(db: Db, openid: string): Promise<number | null> {
  await db.insert(customers).values({ openid }).onConflictDoNothing({ target: customers.openid });
  const [row] = await db.select({ accountId: customers.accountId }).from(customers).where(eq(customers.openid, openid)).limit(1);
  return row?.accountId ?? null;
}

/** Whether any openid is bound to the account. */
export async function isWechatBound(db: Db, accountId: number): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`1` }).from(customers).where(eq(customers.accountId, accountId)).limit(1);
  return !!row;
}

/** The account as the H5 pages show it; undefined when it does not exist. */
export async function accountBrief(db: Db, id: number): Promise<UserBrief | undefined> {
  const row = await findAccountById(db, id);
  return row ? toBrief(row) : undefined;
}

/** Roles and badges from the account's flags: everyone is a customer; VIP, TAD and 管理员 as flagged. */
export function toBrief(a: Pick<Account, 'id' | 'username' | 'displayName' | 'avatarUrl' | 'vip' | 'unitAdmin' | 'internalStaff'>): UserBrief {
  const roles: Role[] = ['customer'];
  if (a.vip) roles.push('vip');
  if (a.unitAdmin) roles.push('unit_admin');
  if (a.internalStaff) roles.push('internal');
  const badges: UserBrief['badges'] = [];
  if (a.vip) badges.push('VIP');
  if (a.internalStaff) badges.push('TAD');
  if (a.unitAdmin) badges.push('管理员');
  return { id: a.id, username: a.username, displayName: a.displayName, avatarUrl: a.avatarUrl, roles, badges };
}
