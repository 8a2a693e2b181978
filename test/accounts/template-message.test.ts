import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMe } from '../../common/staff-api.js';
import { ApplicationsService } from '../../server/accounts/applications.service.js';
import { silentLogger } from '../../server/platform/logger.js';
import { createWeChatApi } from '../../server/wechat/api-client.js';
import { dbTokenStore } from '../../server/wechat/token-manager.js';
import { freshStorageTarget } from '../helpers/mode.js';
import { startStandaloneSimulator, type StandaloneSimulator } from '../helpers/simulator.js';
import { startAccountsApp, type AccountsTestApp } from './accounts-app.js';

/** The decision reaches the user's WeChat as a template message, through the real API client and the simulator. */
describe('the application result template message', () => {
  let sim: StandaloneSimulator;
  let app: AccountsTestApp;
  let service: ApplicationsService;
  let reviewer: StaffMe;

  beforeAll(async () => {
    sim = await startStandaloneSimulator('http://127.0.0.1:9/wechat');
    app = await startAccountsApp(await freshStorageTarget());
    const api = createWeChatApi({ appId: sim.credentials.appId, appSecret: sim.credentials.appSecret, apiBase: sim.url, tokenStore: dbTokenStore(app.database, sim.credentials.appId) });
    service = new ApplicationsService({ db: app.database.db, api, logger: silentLogger, templateId: 'TPL_APPLICATION_RESULT', profileUrl: 'https://h5.example/h5/#/home/profile' });
    reviewer = await app.staff.createStaff({ username: 'tpl-admin', password: 'admin-pass-1', role: 'admin', displayName: '审核员' });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.stop();
  });

  it('delivers the approval to every WeChat user bound to the account', async () => {
    const openid = sim.platform.addUser().openid;
    const user = await app.createAccount('tpl-user', { openid });
    const applied = await service.apply(user, 'vip_admin');
    await service.approve(applied.id, reviewer);
    const sent = sim.platform.templates.filter((t) => t.openid === openid);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ templateId: 'TPL_APPLICATION_RESULT', url: 'https://h5.example/h5/#/home/profile', data: { keyword2: '已通过' } });
  });

  it('still decides when WeChat refuses the message (the user unsubscribed)', async () => {
    const openid = sim.platform.addUser({ subscribed: false }).openid;
    const user = await app.createAccount('tpl-gone', { openid });
    const applied = await service.apply(user, 'internal');
    expect(await service.reject(applied.id, '信息不符', reviewer)).toMatchObject({ status: 'rejected', reason: '信息不符' });
    expect(sim.platform.templates.some((t) => t.openid === openid)).toBe(false);
  });
});
