import { sql, type SQL } from 'drizzle-orm';
import type { ServiceCodeResult } from '../../common/h5-api.js';
import { SERVICE_CODE_NAME_MAX } from '../../common/h5-schemas.js';
import type { Db } from '../db/client.js';
import { AppError, BadRequest, RateLimited } from '../http/errors.js';
import { waitText, type RateLimiter, type RateRule } from '../platform/rate-limit.js';
import { serviceCodeLookups, units } from './schema.js';
import { normaliseUnitName } from './unit-name.js';

/** 10 lookups an hour, per IP and per openid: enough for a person, too few to walk the unit list. */
export const SERVICE_CODE_LIMIT: RateRule = { limit: 10, windowMs: 60 * 60 * 1000 };
export const HOTLINE = '400-658-6000';
/** The router's schema (common/h5-schemas.ts) allows twice as much raw text, before normalising. */
export const MAX_NAME_LENGTH = SERVICE_CODE_NAME_MAX;

export const serviceCodeTexts = {
  miss: (name: string) =>
    `未找到单位全称为“${name}”的服务编码。请核对单位全称（须与合同上的单位全称完全一致，不支持简称或部分名称），或拨打服务热线 ${HOTLINE} 咨询。`,
  hit: (fullName: string, code: string) => `单位“${fullName}”的服务编码是：${code}`,
  empty: '请输入单位全称',
  tooLong: `单位全称最多${MAX_NAME_LENGTH}个字`,
  rateLimited: (retryAfterMs: number) => `查询过于频繁，请${waitText(retryAfterMs)}后再试，或拨打服务热线 ${HOTLINE} 咨询。`,
  usage: '查询服务编码，请发送“服务编码 单位全称”，例如：服务编码 ABC示例集团有限公司',
};


/** Who is asking: every lookup is audited with these, and limited per IP and per openid. */
export interface LookupCaller {
  ip: string | null;
  openid: string | null;
  accountId: number | null;
}

/**
 * normaliseUnitName() in SQL, applied to the stored name, so that a unit saved with full-width
 * brackets still matches its half-width spelling. normalize() needs a UTF-8 database (PGlite and
 * our servers are). A full scan of units: lookups are rate-limited and units are few.
 */
const normalisedFullName = sql`btrim(regexp_replace(normalize(${units.fullName}, NFKC), '\\s+', ' ', 'g'))`;

/** The condition "this unit's full name is exactly `fullName`" (both sides normalised), for any query on units. */
export function unitNamed(fullName: string): SQL {
  return sql`${normalisedFullName} = ${normaliseUnitName(fullName)}`;
}

/**
 * The service-code lookup (服务编码): by the unit's FULL name, exact after normalisation
 * (unit-name.ts), never fuzzy and never by prefix, so that codes cannot be harvested.
 */
export class ServiceCodeLookup {
  constructor(
    private readonly db: Db,
    private readonly limiter: RateLimiter,
  ) {}

  async lookup(rawName: string, caller: LookupCaller): Promise<ServiceCodeResult> {
    const name = normaliseUnitName(rawName);
    if (!name) throw new BadRequest(serviceCodeTexts.empty, 'invalid_input');
    if (name.length > MAX_NAME_LENGTH) throw new BadRequest(serviceCodeTexts.tooLong, 'invalid_input');
    await this.takeHit(caller);

    const [unit] = await this.db
      .select({ fullName: units.fullName, serviceCode: units.serviceCode })
      .from(units)
      .where(unitNamed(name))
      .limit(1);
    await this.db.insert(serviceCodeLookups).values({ openid: caller.openid, accountId: caller.accountId, ip: caller.ip, fullName: name, hit: !!unit });
    return unit ? { found: true, fullName: unit.fullName, serviceCode: unit.serviceCode } : { found: false, message: serviceCodeTexts.miss(name) };
  }

  /**
   * One hit per openid and per IP (the same rule, distinct keys). The openid goes first: a
   * WeChat user over the limit does not use up the IP's allowance (many users share an IP).
   */
  private async takeHit(caller: LookupCaller): Promise<void> {
    for (const key of [caller.openid && `openid:${caller.openid}`, caller.ip && `ip:${caller.ip}`]) {
      if (!key) continue;
      const waitMs = await this.limiter.hit(key);
      if (waitMs > 0) throw new RateLimited(serviceCodeTexts.rateLimited(waitMs));
    }
  }
}

/**
 * The WeChat chat command "服务编码 <全称>" (server/chat/router.ts): the same lookup, limit and
 * audit, keyed by the openid (pushes come from WeChat's servers, so there is no user IP).
 */
export function serviceCodeChatCommand(lookup: ServiceCodeLookup) {
  return async (fullName: string, who: { openid: string; accountId: number | null }): Promise<string> => {
    if (!normaliseUnitName(fullName)) return serviceCodeTexts.usage;
    try {
      const r = await lookup.lookup(fullName, { ip: null, openid: who.openid, accountId: who.accountId });
      return r.found ? serviceCodeTexts.hit(r.fullName, r.serviceCode) : r.message;
    } catch (err) {
      if (err instanceof AppError && err.expose) return err.message;
      throw err;
    }
  };
}
