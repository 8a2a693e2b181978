import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KbBot } from '../../server/bot/kb-bot.js';
import { recordTurn } from '../../server/kb/turns.service.js';
import type { Nlu } from '../../server/bot/nlu/index.js';
import type { Turn } from '../../server/chat/ports.js';
import { createLocalBus } from '../../server/platform/bus.js';
import { silentLogger } from '../../server/platform/logger.js';
import { recordInboundBatch, recordPassiveReplies } from '../../server/chat/push-turn.repo.js';
import { openDatabase, type Database } from '../../server/db/client.js';
import { rowsOf } from '../../server/db/raw.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';

/**
 * bot_turns.score is a `real`: PostgreSQL refuses a number too small for it rather than rounding
 * it to zero, and a refused score took the passive reply (and its batch) with it. Any number the
 * bot computes must be storable, on both write paths of a turn.
 */
describe(`bot turn scores (${testMode()})`, () => {
  let database: Database;
  let conversationId: number;
  let turn: Turn;
  beforeAll(async () => {
    database = await openDatabase(await freshStorageTarget());
    const [recorded] = await recordInboundBatch(database.db, [
      { key: 'score-0', openid: 'o-score', at: new Date(), kind: 'text', content: '你好', payload: null, subscribed: null, interaction: true },
    ]);
    if (!recorded?.claimed || !recorded.turn) throw new Error('push not recorded');
    conversationId = recorded.turn.conversation.id;
    turn = recorded.turn;
  });
  afterAll(async () => {
    await database?.close();
  });

  const scores: Array<[string, number, number | null]> = [
    ['below float4 range', 1e-60, 0],
    ['the smallest double', 5e-324, 0],
    ['an ordinary confidence', 0.25, 0.25],
    ['above float4 range', 1e60, 1e30],
    ['not a number', Number.NaN, null],
    ['infinite', Number.POSITIVE_INFINITY, null],
  ];

  /** float4 keeps about seven digits. */
  const expectScore = (actual: number | null | undefined, stored: number | null) => {
    if (stored === null) return expect(actual).toBeNull();
    expect(actual).not.toBeNull();
    expect(Math.abs(Number(actual) - stored)).toBeLessThanOrEqual(Math.abs(stored) * 1e-6);
  };

  it.each(scores)('stores a score %s with the passive reply', async (label, score, stored) => {
    const key = `score-${label}`;
    await database.db.execute(sql`INSERT INTO processed_pushes (key) VALUES (${key})`);
    await recordPassiveReplies(database.db, [{ key, conversationId, content: '答复', xml: '<xml/>', botTurn: { question: label, band: 'none', score } }]);
    const [row] = await rowsOf<{ score: number | null }>(database.db, sql`SELECT score FROM bot_turns WHERE question = ${label}`);
    expectScore(row?.score, stored);
  });

  it.each(scores)('stores a score %s as a late turn', async (label, score, stored) => {
    const question = `late ${label}`;
    const row = await recordTurn(database.db, { conversationId, question, band: 'none', score });
    expectScore(row.score, stored);
  });

  it('scores at most 200 characters of a long question, and records the question whole', async () => {
    const classified: string[] = [];
    const nlu: Nlu = { info: { source: 'trained', ms: 0, key: 'test', file: '', labels: 0, utterances: 0 }, classify: async (text) => (classified.push(text), { kind: 'none', score: 0 }) };
    const bot = await KbBot.create({ db: database.db, bus: createLocalBus(), logger: silentLogger, nlu });
    try {
      const question = '发票'.repeat(800);
      const answer = await bot.answer(question, turn);
      expect(classified.map((t) => t.length)).toEqual([200]);
      expect(answer.turn?.question).toBe(question);
      expect(answer.text).not.toBe('');
      // A cut never splits a surrogate pair.
      await bot.answer(`${'发'.repeat(199)}😀${'票'.repeat(50)}`, turn);
      expect(classified[1]).toBe('发'.repeat(199));
    } finally {
      await bot.close();
    }
  });
});
