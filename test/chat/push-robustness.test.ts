import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMessagesByOpenid } from '../../server/chat/conversations.repo.js';
import { rowsOf } from '../../server/db/raw.js';
import type { Running } from '../../server/runtime.js';
import type { Push } from '../../simulator/index.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { startTestServer } from '../helpers/server.js';

/**
 * Pushes that once broke the hot path's shared statements: an answer whose score did not fit
 * its column, a control character or an impossible CreateTime in one push of a batch, a failed
 * reply write, and a MsgId that two users happened to share. Each must cost at most its own
 * push, never its neighbours' answers, and never leave a push claimed without a reply.
 */
describe(`pushes that must not break their neighbours (${testMode()})`, () => {
  let server: Running;

  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
  });
  afterAll(async () => {
    await server?.close();
  });

  const driver = () => server.simulator!.driver;
  const build = () => server.simulator!.driver.build;
  const newUser = () => server.simulator!.platform.addUser().openid;
  const once = (push: Push) => driver().sendRaw(driver().encode(push));
  const contentOf = (body: string) => /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(body)?.[1];
  const processing = async () =>
    (await rowsOf<{ key: string }>(server.database.db, sql`SELECT key FROM processed_pushes WHERE status = 'processing'`)).map((r) => r.key);

  /** Concurrent ordinary questions, each from its own customer, and what came back. */
  const crowd = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => {
      const openid = newUser();
      return { openid, push: build().text(openid, `${tag} 第${i}位 总账结账时提示有未记账凭证怎么办`) };
    });
  /** Sends the crowd with `odd` in its middle; returns the crowd's results and the odd one's. */
  const amid = async (people: Array<{ push: Push }>, odd: Push) => {
    const pushes = people.map((p) => p.push);
    const middle = Math.floor(pushes.length / 2);
    pushes.splice(middle, 0, odd);
    const results = await Promise.all(pushes.map(once));
    const [bad] = results.splice(middle, 1);
    return { results, bad: bad! };
  };
  const expectAllAnswered = async (results: Array<{ status: number; body: string }>, people: Array<{ openid: string }>) => {
    expect(results.map((r) => r.status)).toEqual(people.map(() => 200));
    expect(results.filter((r) => !contentOf(r.body))).toEqual([]);
    for (const { openid } of people) {
      const history = await listMessagesByOpenid(server.database.db, openid);
      expect(history.map((m) => m.direction)).toEqual(['in', 'out']);
    }
  };

  /** The first try got an answer and left nothing claimed; WeChat's retry gets that same answer. */
  const expectAnsweredOnceAndOnRetry = async (first: { status: number; body: string }, push: Push) => {
    expect(first.status).toBe(200);
    expect(contentOf(first.body)).toBeTruthy();
    expect(await processing()).toEqual([]);
    const retry = await once(push);
    expect(retry.status).toBe(200);
    expect(retry.body).toBe(first.body);
  };

  it('answers a long repetitive question with a real reply, stores it whole, and records a score', async () => {
    const openid = newUser();
    const question = '发票'.repeat(800);
    const r = await once(build().text(openid, question));
    expect(r.status).toBe(200);
    expect(contentOf(r.body)).toBeTruthy();
    const history = await listMessagesByOpenid(server.database.db, openid);
    expect(history.map((m) => m.direction)).toEqual(['in', 'out']);
    expect(history[0]!.content).toBe(question);
    const turns = await rowsOf<{ score: number | null }>(server.database.db, sql`
      SELECT t.score FROM bot_turns t JOIN conversations c ON c.id = t.conversation_id
      JOIN customers u ON u.id = c.customer_id WHERE u.openid = ${openid}
    `);
    expect(turns).toHaveLength(1);
    expect(Number.isFinite(Number(turns[0]!.score))).toBe(true);
    expect(await processing()).toEqual([]);
  });

  it('keeps the answers of forty concurrent customers when a long repetitive question shares their batch', async () => {
    const people = crowd(40, '长问题');
    const long = newUser();
    const { results, bad } = await amid(people, build().text(long, '发票'.repeat(800)));
    await expectAllAnswered(results, people);
    expect(bad.status).toBe(200);
    expect(contentOf(bad.body)).toBeTruthy();
    expect(await processing()).toEqual([]);
  });

  describe('a failed reply write', () => {
    afterAll(async () => {
      await server.database.db.execute(sql`DROP TRIGGER IF EXISTS test_fail_turn ON bot_turns`);
      await server.database.db.execute(sql`DROP TRIGGER IF EXISTS test_fail_reply ON messages`);
      await server.database.db.execute(sql`DROP FUNCTION IF EXISTS test_fail_turn()`);
      await server.database.db.execute(sql`DROP FUNCTION IF EXISTS test_fail_reply()`);
      await server.database.db.execute(sql`DROP TABLE IF EXISTS test_fail_replies_to`);
    });
    beforeAll(async () => {
      // Fails the bot's turn of any question with 炸 in it, and any reply to a customer listed in test_fail_replies_to.
      await server.database.db.execute(sql`CREATE TABLE test_fail_replies_to (openid text)`);
      await server.database.db.execute(sql`
        CREATE FUNCTION test_fail_turn() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.question LIKE '%炸%' THEN RAISE EXCEPTION 'forced turn failure'; END IF;
          RETURN NEW;
        END $$
      `);
      await server.database.db.execute(sql`
        CREATE FUNCTION test_fail_reply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.direction = 'out' AND NEW.conversation_id IN (
            SELECT c.id FROM conversations c JOIN customers u ON u.id = c.customer_id WHERE u.openid IN (SELECT openid FROM test_fail_replies_to)
          ) THEN RAISE EXCEPTION 'forced reply failure'; END IF;
          RETURN NEW;
        END $$
      `);
      await server.database.db.execute(sql`CREATE TRIGGER test_fail_turn BEFORE INSERT ON bot_turns FOR EACH ROW EXECUTE FUNCTION test_fail_turn()`);
      await server.database.db.execute(sql`CREATE TRIGGER test_fail_reply BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION test_fail_reply()`);
    });

    it('that fails on the bot turn still answers, stores the reply, leaves nothing in processing, and a retry gets the same answer', async () => {
      const people = crowd(20, '邻居');
      const openid = newUser();
      const push = build().text(openid, '炸 发票怎么开');
      const { results, bad: first } = await amid(people, push);
      await expectAllAnswered(results, people);
      await expectAnsweredOnceAndOnRetry(first, push);
      const history = await listMessagesByOpenid(server.database.db, openid);
      expect(history.map((m) => m.direction)).toEqual(['in', 'out']);
    });

    it('that fails on the reply itself still answers, leaves nothing in processing, and a retry gets the same answer', async () => {
      const openid = newUser();
      await server.database.db.execute(sql`INSERT INTO test_fail_replies_to VALUES (${openid})`);
      const push = build().text(openid, '发票怎么开');
      await expectAnsweredOnceAndOnRetry(await once(push), push);
    });
  });

  it('releases a claimed push whose message could not be stored, so that the retry runs it again', async () => {
    const db = server.database.db;
    const openid = newUser();
    // The conversation insert is skipped for this customer: the push is claimed but its message has nowhere to go.
    await db.execute(sql`CREATE TABLE test_no_conversation_for (openid text)`);
    await db.execute(sql`INSERT INTO test_no_conversation_for VALUES (${openid})`);
    await db.execute(sql`
      CREATE FUNCTION test_skip_conversation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.customer_id IN (SELECT u.id FROM customers u JOIN test_no_conversation_for t ON t.openid = u.openid) THEN RETURN NULL; END IF;
        RETURN NEW;
      END $$
    `);
    await db.execute(sql`CREATE TRIGGER test_skip_conversation BEFORE INSERT ON conversations FOR EACH ROW EXECUTE FUNCTION test_skip_conversation()`);
    try {
      const push = build().text(openid, '发票怎么开');
      const first = await once(push);
      expect(first.status).toBe(500);
      expect(await processing()).toEqual([]);
      await db.execute(sql`DELETE FROM test_no_conversation_for`);
      const retry = await once(push);
      expect(retry.status).toBe(200);
      expect(contentOf(retry.body)).toBeTruthy();
      expect((await listMessagesByOpenid(db, openid)).map((m) => m.direction)).toEqual(['in', 'out']);
    } finally {
      await db.execute(sql`DROP TRIGGER IF EXISTS test_skip_conversation ON conversations`);
      await db.execute(sql`DROP FUNCTION IF EXISTS test_skip_conversation()`);
      await db.execute(sql`DROP TABLE IF EXISTS test_no_conversation_for`);
    }
  });

  describe('one bad push among forty good ones', () => {
    it('strips a raw U+0000 and other control characters, answers it, and answers all the others', async () => {
      const people = crowd(40, '零字符');
      const odd = newUser();
      const { results, bad } = await amid(people, build().text(odd, '发票\u0000怎么\u0007开\t票'));
      await expectAllAnswered(results, people);
      expect(bad.status).toBe(200);
      expect(contentOf(bad.body)).toBeTruthy();
      const history = await listMessagesByOpenid(server.database.db, odd);
      expect(history[0]!.content).toBe('发票怎么开\t票');
      expect(await processing()).toEqual([]);
    });

    it('refuses a CreateTime past the timestamp range with 400 and answers all the others', async () => {
      const people = crowd(40, '时间戳');
      const odd = newUser();
      const { results, bad } = await amid(people, { ...build().text(odd, '发票怎么开'), CreateTime: '999999999999' });
      await expectAllAnswered(results, people);
      expect(bad.status).toBe(400);
      expect(await listMessagesByOpenid(server.database.db, odd)).toEqual([]);
      expect(await processing()).toEqual([]);
    });
  });

  it('gives two users who send the same MsgId each their own reply and stores both messages', async () => {
    const [a, b] = [newUser(), newUser()];
    const msgId = '7311112222333344445';
    const first = await once({ ...build().text(a, '你好'), MsgId: msgId });
    const second = await once({ ...build().text(b, '发票怎么开'), MsgId: msgId });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body).toContain(`<ToUserName><![CDATA[${a}]]></ToUserName>`);
    expect(second.body).toContain(`<ToUserName><![CDATA[${b}]]></ToUserName>`);
    expect((await listMessagesByOpenid(server.database.db, a)).map((m) => [m.direction, m.content?.slice(0, 5)])).toEqual([
      ['in', '你好'],
      ['out', contentOf(first.body)!.slice(0, 5)],
    ]);
    expect((await listMessagesByOpenid(server.database.db, b)).map((m) => [m.direction, m.content?.slice(0, 5)])).toEqual([
      ['in', '发票怎么开'],
      ['out', contentOf(second.body)!.slice(0, 5)],
    ]);
  });
});
