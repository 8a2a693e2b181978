import type { Middleware } from 'koa';
import koaHelmet from 'koa-helmet';

/**
 * The browser-facing hardening headers (helmet): one policy that the H5 pages (Vue + Vant),
 * the staff console (Element Plus) and the simulator page all run under.
 *  - Scripts only from our own origin: Vite emits no inline script, so no 'unsafe-inline'.
 *  - Styles may be inline: Vant and Element Plus set style attributes and inject small <style>
 *    blocks at run time, and the login retry page carries its own. Inline CSS cannot run code.
 *  - Images from https anywhere: customers' avatars and WeChat's headimgurl live on other hosts.
 *  - Framing only by ourselves: the simulator shows the H5 pages inside its phone frame.
 *  - HSTS only when the public address is https: on plain http it would lock a dev machine out.
 */
export function securityHeaders(opts: { https: boolean }): Middleware {
  return koaHelmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        frameSrc: ["'self'"],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Our images and pages may be shown by WeChat's own clients (news pictures, template links).
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: opts.https ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
    xFrameOptions: { action: 'sameorigin' },
  });
}
