import { z } from 'zod';

/**
 * The environment, validated once. Only server/main.ts (and CLIs) call loadConfig();
 * everything else receives a Config. Names are fixed by issue #2: operators rely on them.
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
    HOST: z.string().trim().default('0.0.0.0'),
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
  });

export interface WeChatCredentials {
  appId: string;
  appSecret: string;
  token: string;
  aesKey?: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Rebuildable files (the trained NLU model); default DATA_DIR/cache. */
  cacheDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Real credentials; undefined means "run the built-in simulator". */
  wechat?: WeChatCredentials;
  apiBase: string;
  oauthBase: string;
  maxSkewS: number;
  publicBaseUrl?: string;
  replyBudgetMs: number;
  logLevel: string;
  /** Database housekeeping (server/db/maintenance.ts). */
  maintenance: { pushLogRetentionH: number; everyMs: number };
  desk: DeskConfig;
}

/** The human service's rules (issue #4). */
export interface DeskConfig {
  /** "always", or opening hours such as "mon-fri 08:30-17:30, sat 09:00-12:00". */
  hours: string;
  timeZone: string;
  queueTimeoutS: number;
  idleTimeoutS: number;
  /** An assigned chat whose customer waits this long for the agent goes to another agent. */
  answerTimeoutS: number;
  /** How often the timeout sweeper runs. */
  sweepMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const wechat =
    e.WECHAT_APPID && e.WECHAT_APPSECRET && e.WECHAT_TOKEN
      ? { appId: e.WECHAT_APPID, appSecret: e.WECHAT_APPSECRET, token: e.WECHAT_TOKEN, aesKey: e.WECHAT_AES_KEY }
      : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
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
