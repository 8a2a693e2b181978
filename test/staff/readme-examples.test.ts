import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client.js';
import { fromRoot } from '../../server/platform/paths.js';
import { StaffAccounts } from '../../server/staff/staff.service.js';
import type { StaffRole } from '../../common/staff-api.js';
import { freshStorageTarget } from '../helpers/mode.js';

/** The README's own staff:add examples are accepted as written: a newcomer copies them first. */
describe('the README staff:add examples', () => {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const examples = [...readme.matchAll(/npm run staff:add -- ([^`]+)`/g)].map((m) => m[1]!);

  it('are found', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it('each creates an account', async () => {
    const database = await openDatabase(await freshStorageTarget() as never);
    try {
      const accounts = new StaffAccounts(database.db);
      for (const example of examples) {
        const arg = (name: string) => new RegExp(`--${name} (?:'([^']*)'|(\\S+))`).exec(example)?.slice(1).find((v) => v !== undefined);
        await expect(
          accounts.createStaff({ username: arg('username')!, password: arg('password')!, role: arg('role') as StaffRole, displayName: arg('name')! }),
          example,
        ).resolves.toBeDefined();
      }
    } finally {
      await database.close();
    }
  });
});
