import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { accounts, units } from './schema.js';

/**
 * Demo units so that 服务编码 and registration with a unit can be tried in the simulator. They
 * are for embedded mode with the simulator only, and only on an empty database: a real
 * deployment never gets invented units.
 */
export const DEMO_UNITS = [
  { fullName: '浪潮软件股份有限公司示例单位', serviceCode: 'LC-DEMO-0001', serviceLevel: '金牌服务', serviceValidUntil: '2099-12-31' },
  { fullName: '山东示例科技有限公司（济南）', serviceCode: 'LC-DEMO-0002', serviceLevel: '标准服务', serviceValidUntil: '2099-12-31' },
  { fullName: 'ABC示例集团有限公司', serviceCode: 'LC-DEMO-0003', serviceLevel: null, serviceValidUntil: null },
] as const;

/** Inserts DEMO_UNITS when there is no unit and no account yet; returns how many were added. */
export async function seedDemoUnits(db: Db): Promise<number> {
  const [row] = await db.select({ units: sql<number>`(select count(*) from ${units})::int`, accounts: sql<number>`(select count(*) from ${accounts})::int` }).from(sql`(select 1) as one`);
  if (!row || row.units > 0 || row.accounts > 0) return 0;
  const added = await db.insert(units).values([...DEMO_UNITS]).onConflictDoNothing().returning({ id: units.id });
  return added.length;
}
