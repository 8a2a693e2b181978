import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { StaffMe } from '../../common/staff-api.js';
import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import { staff, staffSessions } from './schema.js';
import { toMe } from './staff.service.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Sliding expiry is written at most this often per session, not on every request. */
const SLIDE_EVERY_MS = 60 * 1000;

export interface StaffSession {
  staff: StaffMe;
  expiresAt: Date;
}

/**
 * Server-side staff sessions. The cookie carries a random 32-byte token; the table keeps only
 * its SHA-256, so a leaked table or backup cannot be replayed as a cookie. Sessions expire
 * 12 h after the last request (sliding).
 */
export class StaffSessions {
  /** `bus`: where an ended session is announced, so that every instance closes its desk sockets. */
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    private readonly bus?: Pick<Bus, 'emit'>,
  ) {}

  /** Opens a session; returns the token for the cookie. */
  async open(staffId: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now() + SESSION_TTL_MS);
    await this.db.insert(staffSessions).values({ id: digest(token), staffId, expiresAt });
    // Housekeeping: logins are rare, so this is where expired rows go.
    await this.db.delete(staffSessions).where(lt(staffSessions.expiresAt, new Date(this.now())));
    return { token, expiresAt };
  }

  /** The live session for a cookie token, its expiry pushed forward; undefined when unknown or expired. */
  async resolve(token: string): Promise<StaffSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const id = digest(token);
    const now = this.now();
    const [row] = await this.db
      .select({ expiresAt: staffSessions.expiresAt, id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role })
      .from(staffSessions)
      .innerJoin(staff, eq(staff.id, staffSessions.staffId))
      .where(and(eq(staffSessions.id, id), gt(staffSessions.expiresAt, new Date(now))))
      .limit(1);
    if (!row) return undefined;
    let expiresAt = row.expiresAt;
    if (expiresAt.getTime() - now < SESSION_TTL_MS - SLIDE_EVERY_MS) {
      expiresAt = new Date(now + SESSION_TTL_MS);
      await this.db.update(staffSessions).set({ expiresAt }).where(eq(staffSessions.id, id));
    }
    return { staff: toMe(row), expiresAt };
  }

  async close(token: string): Promise<void> {
    const id = digest(token);
    await this.db.delete(staffSessions).where(eq(staffSessions.id, id));
    await this.bus?.emit('staff.session.ended', { sessionId: id, reason: 'logout' });
  }

  /** Ends every session of an account (disabled, password reset, role taken away). */
  async revokeAll(staffId: number): Promise<void> {
    await this.db.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
    await this.bus?.emit('staff.session.ended', { staffId, reason: 'revoked' });
  }
}

/** The session's id in the table (and in 'staff.session.ended'): the token's SHA-256, never the token. */
export function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
