import { z } from 'zod';
import type { DeskConfig } from './desk/desk.config.js';
import type { EncryptMode } from './wechat/edge.js';

/**
 * The environment, validated once. Only server/main.ts (and CLIs) call loadConfig();
 * everything else receives a Config. The names are a contract: operators rely on them.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const urlString = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), `${name} must be an http(s) URL`)
    .transform((v) => v.replace(/\/+$/, ''));

const schema = z
  .object({
    PORT: z.coerce.number({ error: 'PORT must be a whole number from 0 to 65535' }).int('PORT must be a whole number from 0 to 65535').min(0, 'PORT must be a whole number from 0 to 65535').max(65535, 'PORT must be a whole number from 0 to 65535').default(3000),
    HOST: optionalString,
    NODE_ENV: optionalString,
    SIMULATOR: optionalString.refine((v) => v === undefined || v === '0' || v === '1', 'SIMULATOR must be 1 (run the built-in WeChat simulator) or 0'),
    TRUST_PROXY: optionalString.refine(
      (v) => v === undefined || /^(off|false|0|[1-9])$/.test(v),
      'TRUST_PROXY must be off, or the number (1-9) of reverse proxies in front of the server',
    ),
    WECHAT_ENCRYPT_MODE: optionalString.refine(
      (v) => v === undefined || v === 'plain' || v === 'compatible' || v === 'safe',
      'WECHAT_ENCRYPT_MODE must be plain, compatible or safe (the modes of the WeChat console)',
    ),
    DATA_DIR: z.string().trim().min(1).default('./data'),
    CACHE_DIR: optionalString,
    DATABASE_URL: optionalString.refine(
      (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
      'DATABASE_URL must start with postgres:// or postgresql://',
    ),
    REDIS_URL: optionalString.refine(
      (v) => v === undefined || /^rediss?:\/\//.test(v),
      'REDIS_URL must start with redis:// or rediss://',
    ),
    WECHAT_APPID: optionalString,
    WECHAT_APPSECRET: optionalString,
    WECHAT_TOKEN: optionalString.refine(
      (v) => v === undefined || /^[A-Za-z0-9]{3,32}$/.test(v),
      'WECHAT_TOKEN must be 3-32 letters or digits (the WeChat console rule)',
    ),
    WECHAT_AES_KEY: optionalString.refine(
      (v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v),
      'WECHAT_AES_KEY must be exactly 43 characters of [A-Za-z0-9+/] (the EncodingAESKey)',
    ),
    WECHAT_API_BASE: optionalString.pipe(urlString('WECHAT_API_BASE').optional()),
    WECHAT_OAUTH_BASE: optionalString.pipe(urlString('WECHAT_OAUTH_BASE').optional()),
    WECHAT_MAX_SKEW_S: z.coerce.number({ error: 'WECHAT_MAX_SKEW_S must be a number of seconds (0 turns the check off)' }).int().min(0, 'WECHAT_MAX_SKEW_S must be 0 or more').default(300),
    PUBLIC_BASE_URL: optionalString.pipe(urlString('PUBLIC_BASE_URL').optional()),
    REPLY_BUDGET_MS: z.coerce.number({ error: 'REPLY_BUDGET_MS must be a number of milliseconds' }).int().min(100, 'REPLY_BUDGET_MS must be at least 100').max(4500, 'REPLY_BUDGET_MS must be at most 4500: WeChat gives up at 5 s').default(3000),
    DESK_HOURS: z
      .string()
      .trim()
      .default('always')
      .refine((v) => v === 'always' || /^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))? \d{2}:\d{2}-\d{2}:\d{2}(\s*,\s*(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))? \d{2}:\d{2}-\d{2}:\d{2})*$/.test(v), 'DESK_HOURS must be "always" or like "mon-fri 08:30-17:30, sat 09:00-12:00"'),
    SERVICE_HOTLINE: z.string().trim().min(3, 'SERVICE_HOTLINE must be a phone number').max(40, 'SERVICE_HOTLINE is at most 40 characters').default('400-658-6000'),
    DESK_TIMEZONE: z.string().trim().default('Asia/Shanghai').refine((v) => { try { new Intl.DateTimeFormat('en', { timeZone: v }); return true; } catch { return false; } }, 'DESK_TIMEZONE must be an IANA time zone such as Asia/Shanghai'),
    DESK_QUEUE_TIMEOUT_S: z.coerce.number({ error: 'DESK_QUEUE_TIMEOUT_S must be a number of seconds' }).int().min(10, 'DESK_QUEUE_TIMEOUT_S must be at least 10').default(600),
    DESK_IDLE_TIMEOUT_S: z.coerce.number({ error: 'DESK_IDLE_TIMEOUT_S must be a number of seconds' }).int().min(10, 'DESK_IDLE_TIMEOUT_S must be at least 10').default(900),
    DESK_ANSWER_TIMEOUT_S: z.coerce.number({ error: 'DESK_ANSWER_TIMEOUT_S must be a number of seconds' }).int().min(10, 'DESK_ANSWER_TIMEOUT_S must be at least 10').default(180),
    DESK_SWEEP_MS: z.coerce.number({ error: 'DESK_SWEEP_MS must be a number of milliseconds' }).int().min(50, 'DESK_SWEEP_MS must be at least 50').default(5000),
    PUSH_LOG_RETENTION_H: z.coerce.number({ error: 'PUSH_LOG_RETENTION_H must be a number of hours' }).min(1, 'PUSH_LOG_RETENTION_H must be at least 1').default(24),
    DB_MAINTENANCE_MS: z.coerce.number({ error: 'DB_MAINTENANCE_MS must be a number of milliseconds' }).int().min(1000, 'DB_MAINTENANCE_MS must be at least 1000').default(3_600_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    const creds = ['WECHAT_APPID', 'WECHAT_APPSECRET', 'WECHAT_TOKEN'] as const;
    const set = creds.filter((k) => env[k] !== undefined);
    if (set.length > 0 && set.length < creds.length) {
      for (const k of creds.filter((k) => env[k] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `${k} is required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set`,
        });
      }
    }
    if (env.WECHAT_AES_KEY && set.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_AES_KEY'], message: 'WECHAT_AES_KEY needs WECHAT_APPID, WECHAT_APPSECRET and WECHAT_TOKEN' });
    }
    if (env.WECHAT_ENCRYPT_MODE && env.WECHAT_ENCRYPT_MODE !== 'plain' && !env.WECHAT_AES_KEY) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_ENCRYPT_MODE'], message: `WECHAT_ENCRYPT_MODE=${env.WECHAT_ENCRYPT_MODE} needs WECHAT_AES_KEY (the EncodingAESKey)` });
    }
  });

export interface WeChatCredentials {
  appId: string;
  appSecret: string;
  token: string;
  aesKey?: string;
  /** plain: signature only; compatible: AES when the push is encrypted; safe: AES required. */
  encryptMode: EncryptMode;
}

export interface Config {
  port: number;
  host: string;
  /** Why the server listens on `host` (printed at start when it is not the operator's choice). */
  hostReason?: string;
  /** Reverse proxies in front of the server whose X-Forwarded-* headers are believed; 0 = none. */
  trustProxy: number;
  production: boolean;
  dataDir: string;
  /** Rebuildable files (the trained NLU model); default DATA_DIR/cache. */
  cacheDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Real credentials; undefined means "run the built-in simulator" (then `simulator` is true). */
  wechat?: WeChatCredentials;
  /** The built-in WeChat simulator runs: embedded mode without credentials, or SIMULATOR=1. */
  simulator: boolean;
  apiBase: string;
  oauthBase: string;
  maxSkewS: number;
  publicBaseUrl?: string;
  replyBudgetMs: number;
  /** The service hotline, filled into answers as {{hotline}}. */
  hotline: string;
  logLevel: string;
  /** Database housekeeping (server/db/maintenance.ts). */
  maintenance: { pushLogRetentionH: number; everyMs: number };
  desk: DeskConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Without credentials the only WeChat is the simulator, whose pages show every simulated SMS
 * code: never in production, and in server mode only when asked for. Command-line tools do not
 * serve HTTP, so they skip this.
 */
function simulatorProblems(e: z.infer<typeof schema>): string[] {
  if (e.WECHAT_APPID) return [];
  if (e.NODE_ENV === 'production') {
    return ['WECHAT_APPID: NODE_ENV=production needs real WeChat credentials (WECHAT_APPID, WECHAT_APPSECRET, WECHAT_TOKEN): the built-in simulator is not for production'];
  }
  if (e.DATABASE_URL && e.SIMULATOR !== '1') {
    return ['WECHAT_APPID: DATABASE_URL is set without WeChat credentials: set WECHAT_APPID, WECHAT_APPSECRET and WECHAT_TOKEN, or SIMULATOR=1 to run the built-in simulator on purpose'];
  }
  if (e.SIMULATOR === '0') return ['SIMULATOR: SIMULATOR=0 needs real WeChat credentials (WECHAT_APPID, WECHAT_APPSECRET, WECHAT_TOKEN)'];
  return [];
}

/** `tool`: a command-line tool (kb:import, staff:add…), which never runs the simulator. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { tool?: boolean } = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems = opts.tool ? [] : simulatorProblems(e);
  if (problems.length > 0) throw new ConfigError(problems);
  const wechat =
    e.WECHAT_APPID && e.WECHAT_APPSECRET && e.WECHAT_TOKEN
      ? {
          appId: e.WECHAT_APPID,
          appSecret: e.WECHAT_APPSECRET,
          token: e.WECHAT_TOKEN,
          aesKey: e.WECHAT_AES_KEY,
          // The platform's own default once an EncodingAESKey exists is 安全模式.
          encryptMode: (e.WECHAT_ENCRYPT_MODE ?? (e.WECHAT_AES_KEY ? 'safe' : 'plain')) as EncryptMode,
        }
      : undefined;
  const simulator = !wechat;
  // The simulator's pages are anonymous (they show simulated SMS codes): keep them on this machine
  // unless the operator chose HOST.
  const host = e.HOST ?? (simulator ? '127.0.0.1' : '0.0.0.0');
  const hostReason = e.HOST
    ? undefined
    : simulator
      ? 'the WeChat simulator is running, so the server listens on 127.0.0.1 only (its pages show simulated SMS codes); set HOST=0.0.0.0 to expose it'
      : undefined;
  const trustProxy = e.TRUST_PROXY === undefined || /^(off|false|0)$/.test(e.TRUST_PROXY) ? 0 : Number(e.TRUST_PROXY);
  return {
    port: e.PORT,
    host,
    hostReason,
    trustProxy,
    production: e.NODE_ENV === 'production',
    simulator,
    dataDir: e.DATA_DIR,
    cacheDir: e.CACHE_DIR ?? `${e.DATA_DIR.replace(/\/+$/, '')}/cache`,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    wechat,
    apiBase: e.WECHAT_API_BASE ?? 'https://api.weixin.qq.com',
    oauthBase: e.WECHAT_OAUTH_BASE ?? 'https://open.weixin.qq.com',
    maxSkewS: e.WECHAT_MAX_SKEW_S,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    replyBudgetMs: e.REPLY_BUDGET_MS,
    logLevel: e.LOG_LEVEL,
    maintenance: { pushLogRetentionH: e.PUSH_LOG_RETENTION_H, everyMs: e.DB_MAINTENANCE_MS },
    /** Facts that answers state ({{hotline}} in the knowledge base; platform/facts.ts). */
    hotline: e.SERVICE_HOTLINE,
    desk: {
      hours: e.DESK_HOURS,
      timeZone: e.DESK_TIMEZONE,
      queueTimeoutS: e.DESK_QUEUE_TIMEOUT_S,
      idleTimeoutS: e.DESK_IDLE_TIMEOUT_S,
      answerTimeoutS: e.DESK_ANSWER_TIMEOUT_S,
      sweepMs: e.DESK_SWEEP_MS,
    },
  };
}
