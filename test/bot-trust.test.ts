import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTurns, unansweredQuestions } from '../server/db/schema.js';
import { createEntry } from '../server/kb/kb.service.js';
import type { Running } from '../server/runtime.js';
import { freshStorageTarget, testMode } from './helpers/mode.js';
import { simulatedUser, startTestServer } from './helpers/server.js';

/**
 * What a customer can trust the bot for, asked through /wechat: staff's questions answer
 * exactly, no answer stated as fact for a different question, feedback words stay feedback,
 * and facts (the desk's hours, the hotline) come from the configuration.
 */
describe(`a bot the customer can trust (${testMode()})`, () => {
  let server: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget(), {
      env: { DESK_HOURS: 'mon-fri 09:00-18:00, sat 09:30-12:00', SERVICE_HOTLINE: '400-000-1234' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const user = () => simulatedUser(server);
  const kb = () => ({ db: server.database.db, bus: server.bus });

  it('answers a question staff just wrote, typed as written, with that entry: never a list, never chit-chat', async () => {
    await createEntry(kb(), { question: '总账月末结账的完整步骤？', similar: ['总账怎么结账', 'GS是什么'], answer: '结账步骤：先结业务模块，再结总账。', status: 'published' });
    // The index is rebuilt shortly after the change.
    await new Promise((r) => setTimeout(r, 400));
    for (const q of ['总账怎么结账', '总账怎么结账？', 'GS是什么', '总账月末结账的完整步骤']) {
      const reply = await user().ask(q);
      expect(reply, q).toContain('结账步骤：先结业务模块，再结总账。');
      expect(reply, q).not.toContain('您是不是想问');
    }
  });

  it.each([
    // The example wrong answers a customer got: 密码错误 is not a network fault, 审核不了 is not 取消审核.
    ['我登不上系统了，一直提示密码错误', /ping|telnet/i],
    ['凭证审核不了', /取消审核|反审核/],
  ])('does not state another question’s answer as fact for %j', async (question, wrongAnswer) => {
    const reply = await user().ask(question);
    const direct = !reply.includes('您是不是想问');
    if (direct) expect(reply).not.toMatch(wrongAnswer);
  });

  it('meets an out-of-scope request with the honest cannot-answer and #人工, not with a list', async () => {
    const reply = await user().ask('股票推荐一下');
    expect(reply).toContain('#人工');
    expect(reply).not.toContain('您是不是想问');
    expect(reply).not.toContain('有用');
  });

  it('takes "没用" right after a list as feedback on that list, and never logs it as unanswered', async () => {
    const u = user();
    const list = await u.ask('服务编码查不到单位');
    // Whatever the bot made of it, "没用" next is a rating, not a question.
    const reply = await u.ask('没用');
    expect(reply).not.toContain('您是不是想问');
    expect(reply).toMatch(/抱歉|收到您的反馈/);
    if (list.includes('您是不是想问')) {
      const rated = await server.database.db.select().from(botTurns).where(and(eq(botTurns.band, 'suggest'), isNotNull(botTurns.feedback)));
      expect(rated.map((t) => t.feedback)).toContain('down');
    }
    // The unanswered log is written in batches (100 ms); give it time to show up if it were logged.
    await new Promise((r) => setTimeout(r, 400));
    const logged = await server.database.db.select().from(unansweredQuestions).where(eq(unansweredQuestions.text, '没用'));
    expect(logged).toEqual([]);
  });

  it('states the desk’s real hours and the configured hotline', async () => {
    const reply = await user().ask('人工客服几点上班');
    expect(reply).toContain('周一至周五 09:00-18:00，周六 09:30-12:00');
    expect(reply).toContain('400-000-1234');
    expect(reply).not.toContain('{{');
    const cannot = await user().ask('唐朝一共有多少个皇帝');
    expect(cannot).not.toContain('{{hotline}}');
  });
});
