import { z } from 'zod';
import { STAFF_ROLES, type StaffMe, type StaffRole } from '../../common/staff-api.js';
import type { Db } from '../db/client.js';
import { UsernameTaken } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../platform/password.js';
import { findStaffByUsername, insertStaff, setStaffPasswordHash } from './staff.repo.js';

/** Usernames are case-insensitive: stored and looked up in lower case. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '用户名须为3-32位字母、数字或 . _ -，并以字母或数字开头');

export const newStaffSchema = z.object({
  username: usernameSchema,
  password: z.string().min(8, '密码至少8位').max(256, '密码最多256位'),
  role: z.enum(STAFF_ROLES, { error: `角色必须是 ${STAFF_ROLES.join(' / ')} 之一` }),
  displayName: z.string().trim().min(1, '显示名不能为空').max(32, '显示名最多32个字'),
  maxConcurrent: z.coerce.number().int('并发上限须为整数').min(1, '并发上限至少为1').max(50, '并发上限最多为50').default(5),
});
export type NewStaff = z.input<typeof newStaffSchema>;

export { UsernameTaken } from '../http/errors.js';

/** Staff accounts: creation (CLI, admin) and password checks (login). */
export class StaffAccounts {
  constructor(private readonly db: Db) {}

  async createStaff(input: NewStaff): Promise<StaffMe> {
    const { password, ...rest } = parseInput(newStaffSchema, input, { code: 'invalid_staff' });
    const row = await insertStaff(this.db, { ...rest, passwordHash: await hashPassword(password) });
    if (!row) throw new UsernameTaken(rest.username);
    return toMe(row);
  }

  /** The account when the password matches; undefined otherwise (unknown username included). */
  async authenticate(username: string, password: string): Promise<StaffMe | undefined> {
    const name = usernameSchema.safeParse(username);
    const row = name.success ? await findStaffByUsername(this.db, name.data) : undefined;
    // Verify even for an unknown username, against a dummy hash: same work, same timing.
    const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyHash()));
    if (!row || !ok) return undefined;
    // The password is known now: an old, cheaper hash is replaced by one at today's cost.
    if (needsRehash(row.passwordHash)) await setStaffPasswordHash(this.db, row.id, await hashPassword(password));
    return toMe(row);
  }
}

export function toMe(row: { id: number; username: string; displayName: string; role: string }): StaffMe {
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role as StaffRole };
}
