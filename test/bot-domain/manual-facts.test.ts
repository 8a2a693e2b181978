import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/runtime.js';
import { freshStorageTarget, testMode } from '../helpers/mode.js';
import { simulatedUser, startTestServer } from '../helpers/server.js';

/**
 * The manual's platform facts: each answer must contain the fact asked for,
 * asked through /wechat in customers' own words. These paraphrases were written apart from
 * the seed and were not used to tune it: they are a held-out check, not the training set.
 * Each pair is [question, the strings the answer must contain].
 */
const CASES: [string, string[]][] = [
  ["用手机号能注册吗", ["手机号"]],
  ["能不能用邮箱当账号登录", ["邮箱"]],
  ["忘了登录密码怎么找回来", ["邮箱", "手机号", "400-658-6000"]],
  ["密码忘了打电话能找回吗", ["400-658-6000"]],
  ["修改密码去哪改", ["修改密码"]],
  ["微信上怎么绑定账号", ["找服务"]],
  ["公众号登录一次以后还要登录吗", ["记住"]],
  ["用你们平台要装客户端吗", ["不需要安装"]],
  ["网页版网址是多少", ["webchatinspur"]],
  ["浪潮内部员工登录用什么账号", ["云+"]],
  ["个人中心显示TAD是啥", ["TAD"]],
  ["vip在哪里申请", ["申请VIP"]],
  ["单位管理员在哪申请", ["管理员", "个人中心"]],
  ["vip用户有什么好处", ["下载"]],
  ["单位管理员都能看到什么", ["热线服务查询"]],
  ["积分干什么用的", ["足迹"]],
  ["积分怎么才能涨", ["足迹"]],
  ["我的积分排名在哪看", ["我的积分"]],
  ["我的收藏在哪里找", ["我的收藏"]],
  ["最新消息提醒什么", ["三个"]],
  ["怎样才能转人工客服", ["#人工"]],
  ["没登录能找人工客服吗", ["#人工"]],
  ["人工客服下班了怎么办", ["400-658-6000"]],
  ["微客服要先登录吗", ["登录"]],
  ["浪潮客服热线是多少", ["400-658-6000"]],
  ["拨打热线后按几", ["服务支持按2"]],
  ["GS的客户打热线按几", ["GS按2"]],
  ["热线服务查询谁可以用", ["管理员"]],
  ["服务编码是啥意思", ["唯一"]],
  ["在哪查我们公司的服务编码", ["全称"]],
  ["服务编码为什么查不到", ["全称"]],
  ["服务编码支持模糊查询吗", ["模糊"]],
  ["什么人可以用服务预约", ["VIP", "管理员"]],
  ["服务预约在哪个菜单", ["我的服务"]],
  ["预约时红星是必填吗", ["红色星号"]],
  ["预约进度去哪看", ["预约跟踪"]],
  ["预约状态都有哪些", ["已提交", "处理中", "已完成"]],
  ["预约提交了想取消", ["#人工"]],
  ["远程服务要什么权限", ["VIP"]],
  ["在哪里提交问题单", ["我要提问"]],
  ["提问可以加截图吗", ["附件"]],
  ["技术的回复在哪里看", ["提问反馈"]],
  ["回复了还没解决怎么办", ["追加提问"]],
  ["热点问题是怎么排的", ["三十"]],
  ["内部人员提问用什么", ["内部咨询"]],
  ["微知识是干什么的", ["常见问题"]],
  ["下载文档需要什么权限", ["VIP"]],
  ["文档打开是pdf吗", ["PDF"]],
  ["在线课堂有什么", ["视频"]],
  ["补丁去哪里下载", ["工具下载"]],
  ["服务月报有哪些内容", ["问题分类"]],
  ["服务月报谁可以看", ["管理员"]],
  ["月报可以导出吗", ["导出"]],
  ["月报的问题分类是哪几类", ["数据异常"]],
  ["我想提个建议", ["吐槽建议"]],
  ["服务网点在哪里看", ["服务网点"]],
  ["调查问卷在哪里填", ["调查问卷"]],
  ["公众号菜单都有什么", ["我的服务", "服务家园"]],
  ["服务编号和服务编码是一样的吗", ["同一"]],
  ["网页上智能客服在哪里", ["屏幕右方"]],];

/**
 * A held-out set may miss a few; below this share the seed has lost a fact or a way to ask for it.
 * 0.85 since the answer gate (precision before recall) turns a weak match into a list: a few
 * paraphrases that were answered directly now get a list with the right entry first.
 */
const MIN_ANSWERED_WITH_FACT = 0.85;

const compact = (s: string) => s.replace(/\s/g, '');

describe(`the manual's platform facts through /wechat (${testMode()})`, () => {
  let server: Running;
  beforeAll(async () => {
    server = await startTestServer(await freshStorageTarget());
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A new WeChat user per question, so no earlier turn is picked from or rated. */
  const ask = (text: string): Promise<string> => simulatedUser(server).ask(text);

  it('has at least 40 paraphrases, none of them a seed question word for word', async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const { readSeed } = await import('../../server/bot/seed/load.js');
    const { fromRoot } = await import('../../server/platform/paths.js');
    const seed = await readSeed(fromRoot('server', 'bot', 'seed'));
    const norm = (q: string) => q.replace(/[\p{P}\s]/gu, '');
    const known = new Set(seed.faq.flatMap((e) => [e.question, ...(e.similar ?? [])]).map(norm));
    expect(CASES.filter(([q]) => known.has(norm(q))).map(([q]) => q)).toEqual([]);
  });

  it(`answers at least ${MIN_ANSWERED_WITH_FACT * 100}% directly, with the fact asked for in the reply`, async () => {
    const missed: string[] = [];
    for (const [question, facts] of CASES) {
      const reply = await ask(question);
      // The answer band ends with the feedback invitation; suggestions and "cannot answer" do not.
      const answered = reply.includes('有用') && !reply.includes('您是不是想问');
      const lacking = facts.filter((f) => !compact(reply).includes(compact(f)));
      if (!answered || lacking.length > 0) {
        missed.push(`${question} → ${answered ? `answer lacks ${lacking.join(', ')}` : reply.slice(0, 30).replace(/\n/g, ' ')}`);
      }
    }
    const rate = 1 - missed.length / CASES.length;
    expect(rate, missed.join('\n')).toBeGreaterThanOrEqual(MIN_ANSWERED_WITH_FACT);
  });
});
