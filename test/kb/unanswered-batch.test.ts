import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { listUnanswered, logUnanswered, logUnansweredBatch } from '../../server/bot/kb/unanswered.service.js';
import { openKbFixture } from './fixture.js';

describe('logging unanswered questions in batches', () => {
  let database: Database;
  beforeAll(async () => {
    ({ database } = await openKbFixture());
  });
  afterAll(async () => {
    await database?.close();
  });

  it('clusters near-duplicates within a batch and with existing clusters, and keeps others apart', async () => {
    await logUnanswered(database.db, '发票怎么打印不出来了');
    await logUnansweredBatch(database.db, [
      '发票怎么打印不出来了？', // same as the existing cluster
      '发票怎么打印不出来了啊',
      '工资条怎么发到员工邮箱', // a new cluster…
      '工资条怎么发到员工邮箱？', // …that this one joins in the same batch
      '明天会下雨吗',
      '   ',
    ]);
    const { items } = await listUnanswered(database.db, { pageSize: 50 });
    const byText = new Map(items.map((c) => [c.text, c]));
    expect(byText.get('发票怎么打印不出来了')?.count).toBe(3);
    expect(byText.get('发票怎么打印不出来了')?.variants).toEqual(['发票怎么打印不出来了？', '发票怎么打印不出来了啊']);
    expect(byText.get('工资条怎么发到员工邮箱')?.count).toBe(2);
    expect(byText.get('明天会下雨吗')?.count).toBe(1);
    expect(items).toHaveLength(3);
  });
});
