/** A WeChat API answer with a non-zero errcode. */
export class WeChatApiError extends Error {
  constructor(readonly errcode: number, readonly errmsg: string, readonly endpoint: string) {
    super(`WeChat ${endpoint} failed: ${errcode} ${errmsg}`);
    this.name = 'WeChatApiError';
  }
}

/** The request did not get a WeChat answer at all (network error, timeout, HTTP 5xx). Retryable. */
export class WeChatTransportError extends Error {
  constructor(message: string, readonly endpoint: string) {
    super(`WeChat ${endpoint} unreachable: ${message}`);
    this.name = 'WeChatTransportError';
  }
}

/** errcodes that mean "the access_token is invalid or expired": refresh once and retry. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/** Documented errcodes of the custom-send API that a sender must handle. */
export const ERR = {
  invalidOpenid: 40003,
  outOfWindow: 45015,
  overQuota: 45047,
  typingOutOfWindow: 45080,
  oauthCodeInvalid: 40029,
  oauthCodeUsed: 40163,
} as const;
