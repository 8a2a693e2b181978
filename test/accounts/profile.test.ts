import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../common/staff-api.js';
import type { PointsPage, Profile, RankingRow } from '../../common/h5-api.js';
import { POINT_RULES, credit } from '../../server/accounts/points.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { caller, startAccountsApp, type AccountsTestApp } from './accounts-app.js';

/** 个人中心 over HTTP: the profile, its edits, the points ledger and the ranking. */
describe('the 个人中心 API', () => {
  let app: AccountsTestApp;
  let call: ReturnType<typeof caller>;
  let alice: number;
  let bob: number;

  beforeAll(async () => {
    app = await startAccountsApp(await freshStorageTarget());
    call = caller(app);
    const unit = await app.createUnit('浪潮软件股份有限公司示例单位', 'LC-0001');
    alice = await app.createAccount('alice', { unitId: unit, openid: 'o-alice' });
    bob = await app.createAccount('bob');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses every 个人中心 route without a logged-in account (401 not_logged_in)', async () => {
    for (const [method, path] of [['GET', '/api/h5/me'], ['PUT', '/api/h5/me'], ['GET', '/api/h5/me/points'], ['GET', '/api/h5/points/ranking']] as const) {
      const res = await call(method, path, { openid: 'o-stranger' }, method === 'PUT' ? { displayName: 'x' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe('not_logged_in');
    }
  });

  it('shows the profile with the unit, its service code, level and validity, the points and the WeChat binding', async () => {
    const res = await call('GET', '/api/h5/me', { account: alice });
    expect(res.status).toBe(200);
    const me = (await res.json()) as Profile;
    expect(me).toMatchObject({
      id: alice,
      username: 'alice',
      displayName: '用户alice',
      roles: ['customer'],
      badges: [],
      unit: { fullName: '浪潮软件股份有限公司示例单位', serviceCode: 'LC-0001', serviceLevel: '金牌服务', serviceValidUntil: '2030-06-30' },
      points: 0,
      wechatBound: true,
    });
    expect(JSON.stringify(me)).not.toContain('not-used'); // no password hash
    const bobs = (await (await call('GET', '/api/h5/me', { account: bob })).json()) as Profile;
    expect(bobs).toMatchObject({ id: bob, unit: null, wechatBound: false });
  });

  it('edits the display name, e-mail and avatar', async () => {
    const res = await call('PUT', '/api/h5/me', { account: bob }, { displayName: '  小博  ', email: ' BOB@example.com ', avatarUrl: 'https://img.example.com/b.png' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ displayName: '小博', email: 'bob@example.com', avatarUrl: 'https://img.example.com/b.png' });
    expect(await (await call('GET', '/api/h5/me', { account: bob })).json()).toMatchObject({ displayName: '小博', email: 'bob@example.com' });
  });

  it('refuses an invalid profile in Chinese', async () => {
    const res = await call('PUT', '/api/h5/me', { account: bob }, { displayName: '', email: 'not-an-email', avatarUrl: 'javascript:alert(1)' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiErrorBody;
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('请填写昵称');
    expect(error.message).toContain('邮箱格式不正确');
    expect(error.message).toContain('头像地址');
  });

  it('refuses an http:// avatar, as its hint says: the pages are https and would not show it', async () => {
    const res = await call('PUT', '/api/h5/me', { account: bob }, { displayName: '小博', avatarUrl: 'http://img.example.com/b.png' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiErrorBody;
    expect(error.message).toContain('头像地址须以 https:// 开头');
  });

  it("refuses an e-mail that is another account's (409 taken), whatever its case", async () => {
    const res = await call('PUT', '/api/h5/me', { account: alice }, { displayName: 'Alice', email: 'Bob@Example.com' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe('taken');
  });

  it("never reads or edits another user's data through an id in the request", async () => {
    // The routes take no account id: an id in the path, query or body is ignored.
    expect((await call('GET', `/api/h5/me/${bob}`, { account: alice })).status).toBe(404);
    const asAlice = (await (await call('GET', `/api/h5/me?id=${bob}&accountId=${bob}`, { account: alice })).json()) as Profile;
    expect(asAlice.id).toBe(alice);
    const edited = (await (await call('PUT', '/api/h5/me', { account: alice }, { displayName: '爱丽丝', id: bob, accountId: bob })).json()) as Profile;
    expect(edited.id).toBe(alice);
    expect(((await (await call('GET', '/api/h5/me', { account: bob })).json()) as Profile).displayName).toBe('小博');
  });

  it('credits points once per event, whatever the retries, and shows them in the ledger with labels', async () => {
    expect(await credit(app.database.db, alice, 'ask_question', 'ticket:1')).toBe(POINT_RULES.ask_question.points);
    expect(await credit(app.database.db, alice, 'ask_question', 'ticket:1')).toBe(0);
    const [a, b] = await Promise.all([credit(app.database.db, alice, 'first_read', 'article:9'), credit(app.database.db, alice, 'first_read', 'article:9')]);
    expect(a + b).toBe(POINT_RULES.first_read.points);
    await credit(app.database.db, alice, 'survey', 'survey:3');
    const expected = POINT_RULES.ask_question.points + POINT_RULES.first_read.points + POINT_RULES.survey.points;

    const page = (await (await call('GET', '/api/h5/me/points', { account: alice })).json()) as PointsPage;
    expect(page.balance).toBe(expected);
    expect(page.total).toBe(3);
    expect(page.items.map((i) => [i.reason, i.label, i.points])).toEqual([
      ['survey', POINT_RULES.survey.label, POINT_RULES.survey.points],
      ['first_read', POINT_RULES.first_read.label, POINT_RULES.first_read.points],
      ['ask_question', POINT_RULES.ask_question.label, POINT_RULES.ask_question.points],
    ]);
    expect(((await (await call('GET', '/api/h5/me', { account: alice })).json()) as Profile).points).toBe(expected);
    // Bob's ledger is his own.
    expect(((await (await call('GET', '/api/h5/me/points', { account: bob })).json()) as PointsPage).items).toEqual([]);
  });

  it('pages the ledger', async () => {
    for (let i = 0; i < 25; i++) await credit(app.database.db, bob, 'favourite', `entry:${i}`);
    const second = (await (await call('GET', '/api/h5/me/points?page=2', { account: bob })).json()) as PointsPage;
    expect(second).toMatchObject({ balance: 25 * POINT_RULES.favourite.points, total: 25, page: 2, pageSize: 20 });
    expect(second.items).toHaveLength(5);
    expect((await call('GET', '/api/h5/me/points?page=0', { account: bob })).status).toBe(400);
  });

  it('ranks the top accounts by points, ties sharing a rank, with my own row', async () => {
    await app.createAccount('carol', { points: 1000 });
    await app.createAccount('dave', { points: 1000 });
    const nobody = await app.createAccount('nobody');
    for (let i = 0; i < 25; i++) await app.createAccount(`filler${i}`, { points: 100 + i });
    const res = (await (await call('GET', '/api/h5/points/ranking', { account: bob })).json()) as { items: RankingRow[]; me: RankingRow | null };
    expect(res.items).toHaveLength(20);
    expect(res.items.slice(0, 3)).toEqual([
      { rank: 1, displayName: '用户carol', points: 1000 },
      { rank: 1, displayName: '用户dave', points: 1000 },
      { rank: 3, displayName: '用户filler24', points: 124 },
    ]);
    const points = res.items.map((r) => r.points);
    expect(points).toEqual([...points].sort((x, y) => y - x));
    expect(res.me).toEqual({ rank: 28, displayName: '小博', points: 25 }); // 2 + 25 fillers ahead
    expect(JSON.stringify(res)).not.toMatch(/username|"id"/);
    const none = (await (await call('GET', '/api/h5/points/ranking', { account: nobody })).json()) as { me: RankingRow | null };
    expect(none.me).toBeNull();
  });
});
