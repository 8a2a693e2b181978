import { randomBytes } from 'node:crypto';
import { MENU_ERRORS } from './menu-rules.js';

/**
 * The platform's global return codes used by the simulator, with WeChat's own
 * (English) errmsg texts. developers.weixin.qq.com "全局返回码说明".
 */
export const ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40007: 'invalid media_id',
  40008: 'invalid message type',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40163: 'code been used',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  42001: 'access_token expired',
  43004: 'require subscribe',
  44002: 'empty post data',
  44004: 'empty content',
  45008: 'article size out of limit',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  45080: 'typing is allowed only within 30 seconds after the user message',
  46003: 'menu no exist',
  ...MENU_ERRORS,
};

export type ApiError = {
  readonly errcode: number;
  readonly errmsg: string;
};

export function apiError(errcode: number): ApiError {
  // WeChat appends a request id to every error message.
  return { errcode, errmsg: `${ERRMSG[errcode] ?? 'error'} rid: ${randomBytes(6).toString('hex')}` };
}

export const OK = { errcode: 0, errmsg: 'ok' } as const;

export function isApiError(v: unknown): v is ApiError {
  return typeof v === 'object' && v !== null && typeof (v as ApiError).errcode === 'number' && (v as ApiError).errcode !== 0;
}
