import type { IndexDoc } from '../types.js';
import type { NgramIndexes, PreparedQuery } from './features.js';

/**
 * Whether the best entry answers what was asked, beyond how well it scored. A wrong answer
 * stated as fact costs more than a list; these signals feed the answer gate (answer-gate.ts),
 * which holds an answer back to a suggestion when they say the entry is about something else
 * (docs/retrieval.md, "Precision"):
 *
 *  - uncovered: the share of the query's own content (IDF of its bigrams that the knowledge
 *    base knows) that none of the entry's questions contains. "提示密码错误" against an entry
 *    about a network error leaves 密码 uncovered; "资产系统月结" against 薪资's entry leaves 资产.
 *  - reversal: one side undoes what the other does. "审核不了" is not "取消审核", "应付反结账"
 *    is not "月末结账".
 *  - definition: "GS是什么" asks what a thing is; "怎么查看GS版本号" does not answer that.
 *
 * The same uncovered share also decides whether a suggestion is related at all.
 */
export interface PrecisionCheck {
  /** IDF share of the query's known bigrams (characters, for a one-unit query) no question of the entry holds. */
  uncovered(q: PreparedQuery, entryId: string): number;
  /** Whether the entry may be suggested for the query at all. */
  related(q: PreparedQuery, entryId: string): boolean;
  /**
   * The signals for one (query, entry): the answer gate's inputs besides the retriever's
   * confidence. `exclude`: an indexed question to leave out (fitting the gate on the seed itself).
   */
  signals(q: PreparedQuery, entryId: string, exclude?: number): PrecisionSignals;
}

export interface PrecisionSignals {
  uncovered: number;
  /** The query names a topic the entry never names, and the entry one the query does not. */
  topic: boolean;
  /** One side undoes (取消, 反结账…) what the other does. */
  reversal: boolean;
  /** The query asks what something is; the entry's question does not. */
  definition: boolean;
}

/**
 * Above this uncovered share (over all the query's bigrams, unknown ones included), an entry is
 * not even a related suggestion. 0.75–0.85 measured (bench/bot-domain.bench.ts): 0.8 turns most
 * out-of-scope requests into the honest cannot-answer while 80 %+ of in-scope questions still get
 * the right entry directly or in the list (docs/retrieval.md, "Precision").
 */
export const MAX_UNCOVERED_SUGGEST = 0.8;


/**
 * What a question is about, in the words customers use: the modules and the main objects of the
 * platform. A query that names a topic which none of the entry's questions names, while the entry
 * names another topic, is about something else ("资产系统月结" is not 薪资's 月结).
 */
const TOPICS: readonly (readonly string[])[] = [
  ['固定资产', '资产卡片', '折旧', '资产'],
  ['工资', '薪资', '薪酬', '个税', '社保', '公积金'],
  ['应收', '应付', '往来', '核销', '收款单', '付款单', '账龄', '坏账'],
  ['库存', '出库', '入库', '盘点', '仓库', '调拨', '现存量'],
  ['存货核算', '存货', '计价'],
  ['采购', '请购', '供应商', '到货'],
  ['销售', '发货', '报价', '客户订单'],
  ['报表', '资产负债表', '利润表', '现金流量表', '资负表', '负债表', '现流表'],
  ['合并报表', '合并', '抵销', '少数股东'],
  ['凭证', '制单', '记账', '过账'],
  ['预算'],
  ['成本', '制造费用', '成本中心'],
  ['发票', '进项', '销项', '增值税', '税额', '开票'],
  ['银行对账', '对账单', '日记账', '出纳', '支票'],
  ['资金', '票据', '银企', '贴现', '承兑'],
  ['密码', '验证码'],
  ['网络', '端口', '防火墙', 'ping', 'telnet'],
  ['加密锁', '加密狗', '网络狗', '许可', '授权数', '站点数'],
  ['数据库', 'sql', 'oracle', '连接池', '实例'],
  ['补丁', '升级', '更新包'],
  ['备份', '恢复', '还原'],
  ['账套', '年度账'],
  ['权限', '角色', '授权'],
  ['积分'],
  ['收藏'],
  ['预约'],
  ['服务编码'],
  ['微信', '公众号', '绑定'],
];

function topicsOf(text: string): Set<number> {
  const out = new Set<number>();
  TOPICS.forEach((words, i) => {
    if (words.some((w) => text.includes(w))) out.add(i);
  });
  return out;
}

const REVERSAL = /取消|撤销|撤回|撤消|反审|反结|反记|反过账|反月结|反启用|弃审|消审|退审|恢复记账前|回退/;
const DEFINITION = /是什么|什么是|什么意思|是啥|啥意思|指什么|指的是|什么叫|啥叫|干什么用|有什么用|做什么用/;

export function buildPrecision(ix: NgramIndexes, docs: readonly IndexDoc[], normalized: readonly string[]): PrecisionCheck {
  const gramsOf = new Map<string, Set<number>>();
  const charsOf = new Map<string, Set<number>>();
  const standard = new Map<string, string>();
  const topics = new Map<string, Set<number>>();
  docs.forEach((d, i) => {
    let g = gramsOf.get(d.entryId);
    let c = charsOf.get(d.entryId);
    if (!g || !c) {
      gramsOf.set(d.entryId, (g = new Set()));
      charsOf.set(d.entryId, (c = new Set()));
      // The index lists an entry's standard question first (kb.service loadIndexDocs, the seed).
      standard.set(d.entryId, normalized[i]!);
    }
    const t = topics.get(d.entryId) ?? new Set<number>();
    for (const k of topicsOf(normalized[i]!)) t.add(k);
    topics.set(d.entryId, t);
    for (const id of ix.byOrder[1]!.docTerms[i]!) g.add(id);
    for (const id of ix.byOrder[0]!.docTerms[i]!) c.add(id);
  });

  const docsOf = new Map<string, number[]>();
  docs.forEach((d, i) => {
    const list = docsOf.get(d.entryId);
    if (list) list.push(i);
    else docsOf.set(d.entryId, [i]);
  });
  /** An entry's n-gram ids and topics without one of its questions (only when fitting). */
  function without(entryId: string, exclude: number, order: number): { grams: Set<number>; topics: Set<number> } {
    const grams = new Set<number>();
    const t = new Set<number>();
    for (const i of docsOf.get(entryId) ?? []) {
      if (i === exclude) continue;
      for (const id of ix.byOrder[order]!.docTerms[i]!) grams.add(id);
      for (const k of topicsOf(normalized[i]!)) t.add(k);
    }
    return { grams, topics: t };
  }

  function uncovered(q: PreparedQuery, entryId: string, exclude?: number): number {
    const order = q.len >= 2 ? 1 : 0;
    const have = exclude !== undefined ? without(entryId, exclude, order).grams : (order === 1 ? gramsOf : charsOf).get(entryId);
    let total = 0;
    let missing = 0;
    for (const [id, idf] of q.known[order]!) {
      total += idf;
      if (!have?.has(id)) missing += idf;
    }
    return total > 0 ? missing / total : 1;
  }

  /** As uncovered(), over all the query's bigrams: those the knowledge base never saw count as uncovered. */
  function uncoveredOfAll(q: PreparedQuery, entryId: string): number {
    const order = q.len >= 2 ? 1 : 0;
    const total = q.totalIdf[order]!;
    if (total <= 0) return 1;
    const have = (order === 1 ? gramsOf : charsOf).get(entryId);
    let covered = 0;
    for (const [id, idf] of q.known[order]!) if (have?.has(id)) covered += idf;
    return 1 - covered / total;
  }

  return {
    uncovered,
    // Words the knowledge base has never seen count here too: "股票推荐一下" shares only 推荐 and 一下.
    related: (q, entryId) => uncoveredOfAll(q, entryId) <= MAX_UNCOVERED_SUGGEST,
    signals(q, entryId, exclude) {
      const query = q.units.join('');
      const question = standard.get(entryId) ?? '';
      const asked = topicsOf(query);
      const held = (exclude !== undefined ? without(entryId, exclude, 1).topics : topics.get(entryId)) ?? new Set<number>();
      return {
        uncovered: uncovered(q, entryId, exclude),
        topic: [...asked].some((k) => !held.has(k)) && [...held].some((k) => !asked.has(k)),
        reversal: REVERSAL.test(query) !== REVERSAL.test(question),
        definition: DEFINITION.test(query) && !DEFINITION.test(question),
      };
    },
  };
}
