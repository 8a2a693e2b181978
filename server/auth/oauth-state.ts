import { createHash } from 'node:crypto';
import { and, eq, gt, like, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { kv } from '../db/schema.js';

const PREFIX = 'oauth-state:';

/**
 * OAuth states kept on the server (the kv table, shared by every instance): a state is issued
 * with /auth/wechat and consumed by the first callback that brings it, in one DELETE, so a
 * replayed callback URL (from a log, a history, a proxy) cannot start a second session.
 * Only the state's SHA-256 is stored.
 */
export class OAuthStates {
  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(state: string): Promise<void> {
    const at = this.now();
    await this.db.insert(kv).values({ key: keyOf(state), value: '1', expiresAt: new Date(at + this.ttlMs) });
    // Housekeeping on this path: states that were never brought back.
    await this.db.delete(kv).where(and(like(kv.key, `${PREFIX}%`), lt(kv.expiresAt, new Date(at))));
  }

  /** True once for a live state; false for an unknown, expired or already used one. */
  async consume(state: string): Promise<boolean> {
    const rows = await this.db
      .delete(kv)
      .where(and(eq(kv.key, keyOf(state)), gt(kv.expiresAt, new Date(this.now()))))
      .returning({ key: kv.key });
    return rows.length === 1;
  }
}

function keyOf(state: string): string {
  return PREFIX + createHash('sha256').update(state).digest('base64url');
}
