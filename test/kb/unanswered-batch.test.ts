import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { MAX_VARIANTS, dismissUnanswered, listUnanswered, logUnanswered, logUnansweredBatch } from '../../server/kb/unanswered.service.js';
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

  it('counts every repeat but keeps each wording once, and at most MAX_VARIANTS of them', async () => {
    const base = '库存盘点单审核不了怎么处理';
    const wordings = ['？', '啊', '呢', '吧', '呀', '嘛', '哦'].map((tail) => base + tail);
    await logUnansweredBatch(database.db, [base, wordings[0]!, wordings[0]!, ...wordings]);
    const { items } = await listUnanswered(database.db, { pageSize: 50 });
    const cluster = items.find((c) => c.text === base);
    expect(cluster?.count).toBe(3 + wordings.length);
    expect(cluster?.variants).toEqual(wordings.slice(0, MAX_VARIANTS));
  });

  it('counts a dismissed question asked again in its old cluster, which stays dismissed', async () => {
    const first = await logUnanswered(database.db, '固定资产卡片批量删除不了');
    await dismissUnanswered(database.db, first!.id);
    await logUnansweredBatch(database.db, ['固定资产卡片批量删除不了', '固定资产卡片批量删除不了！']);
    const { items } = await listUnanswered(database.db, { status: 'dismissed', pageSize: 50 });
    const cluster = items.find((c) => c.id === first!.id);
    expect(cluster?.count).toBe(3);
    expect(cluster?.status).toBe('dismissed');
    const open = await listUnanswered(database.db, { pageSize: 50 });
    expect(open.items.some((c) => c.normalized === cluster?.normalized)).toBe(false);
  });
});
