/** Where a login lands when `to` is missing or refused. */
export const DEFAULT_RETURN = '/h5/';

/**
 * The `to` of /auth/wechat as a local H5 path, or DEFAULT_RETURN: never another host
 * (open redirect). Only paths under /h5/ are accepted; `//evil`, `/\evil`, schemes, control
 * characters and paths that leave /h5/ through dot segments or encoded slashes are refused.
 */
export function safeReturnPath(to: unknown): string {
  if (typeof to !== 'string' || to.length === 0 || to.length > 512) return DEFAULT_RETURN;
  // Backslashes become slashes in browsers; control characters hide tricks in logs and headers.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(to)) return DEFAULT_RETURN;
  if (!to.startsWith('/h5/') && to !== '/h5') return DEFAULT_RETURN;
  let url: URL;
  try {
    url = new URL(to, 'http://local.invalid');
  } catch {
    return DEFAULT_RETURN;
  }
  if (url.origin !== 'http://local.invalid' || !(url.pathname === '/h5' || url.pathname.startsWith('/h5/'))) return DEFAULT_RETURN;
  if (/%2f|%5c/i.test(url.pathname)) return DEFAULT_RETURN;
  return `${url.pathname}${url.search}${url.hash}`;
}
