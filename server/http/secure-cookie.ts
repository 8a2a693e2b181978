import type { Context } from 'koa';

/**
 * Whether a session cookie is Secure: the request came over https (directly, or through a
 * trusted proxy saying X-Forwarded-Proto), or the public address (PUBLIC_BASE_URL) is https.
 * In the second case it also tells `cookies`, which otherwise refuses to set a Secure cookie
 * on a request it believes is http.
 */
export function secureCookie(ctx: Context, alwaysSecure: boolean): boolean {
  if (alwaysSecure) (ctx.cookies as unknown as { secure: boolean }).secure = true;
  return ctx.secure || alwaysSecure;
}
