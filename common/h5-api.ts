/**
 * The H5 (mobile) API: the Vue + Vant pages under /h5/ use it. JSON; the user's
 * session is the httpOnly cookie `h5_session` (SameSite=Lax, Secure behind https), kept in a
 * server-side store. State-changing requests must come from our own origin (Origin check) —
 * a foreign Origin gets 403 `bad_origin`. Errors use ApiErrorBody (common/staff-api.ts).
 * Server: server/auth/ (login, OAuth, binding, codes) and server/accounts/ (profile, points,
 * applications, service code). Client: h5/src/api/.
 *
 * OAuth silent login (browser redirects, not JSON):
 *   GET  /auth/wechat?to=<h5 route, e.g. /h5/#/home/profile>
 *        → 302 to WECHAT_OAUTH_BASE/connect/oauth2/authorize?appid&redirect_uri=…/auth/wechat/callback
 *          &response_type=code&scope=snsapi_base&state=<random, also in the httpOnly cookie h5_oauth_state>#wechat_redirect
 *   GET  /auth/wechat/bind → 302 to /auth/wechat?to=/h5/#/home/profile (the short link chat messages carry)
 *   GET  /auth/wechat/callback?code&state
 *        → checks state, exchanges the code (WECHAT_API_BASE/sns/oauth2/access_token), starts the
 *          session (openid; the bound account if any) → 302 to `to` (a local /h5/ path only).
 *          Bad state, reused or expired code (40029/40163): a friendly Chinese retry page (HTML, 400).
 *
 * JSON routes:
 *   GET  /api/h5/session                        → SessionInfo (never 401: tells the page what to show)
 *   POST /api/h5/login      LoginInput          → SessionInfo   (binds the session's openid when present)
 *   POST /api/h5/codes      CodeRequest         → { sent: true, expiresInS: 300, simulated: boolean }
 *   POST /api/h5/register   RegisterInput       → SessionInfo   (mobile + SMS code; binds the openid)
 *   POST /api/h5/password/reset  ResetInput     → PasswordChanged (by mobile or e-mail code; ends every session and
 *                                                 unbinds every WeChat but the one resetting)
 *   POST /api/h5/logout                         → { ok: true, unboundWechat }  (inside WeChat the openid is unbound: the next menu tap shows the login form)
 *   GET  /api/h5/me                             → Profile                      (login required: 401 not_logged_in)
 *   PUT  /api/h5/me         ProfileInput        → Profile
 *   POST /api/h5/me/password  PasswordChange    → PasswordChanged (ends every other session of the account and
 *                                                 unbinds every WeChat but this session's)
 *   GET  /api/h5/me/wechat                      → { items: WechatBinding[] }
 *   DELETE /api/h5/me/wechat/:id                → { ok: true }  (unbinds it and ends its sessions; 404 not_found)
 *   GET  /api/h5/me/points?page=               → PointsPage
 *   GET  /api/h5/points/ranking                 → { items: RankingRow[]; me: RankingRow | null }
 *   GET  /api/h5/me/applications                → { items: Application[] }
 *   POST /api/h5/me/applications  { kind }      → Application   (409 already_pending; 400 invalid_input for a role already held)
 *   POST /api/h5/service-code  { fullName }     → ServiceCodeResult   (rate-limited: 429 rate_limited)
 * Staff (console, staff session cookie, admin):
 *   GET  /api/admin/applications?status=pending&page=  → Page<AdminApplication>
 *   POST /api/admin/applications/:id/approve            → AdminApplication   (404 not_found; 409 already_decided)
 *   POST /api/admin/applications/:id/reject  { reason } → AdminApplication   (404 not_found; 409 already_decided)
 *
 * Error codes: 400 invalid_input (also: applying for a role already held) | bad_code (wrong or
 * expired SMS/e-mail code) | wrong_password · 401 not_logged_in · 403 bad_origin | forbidden ·
 * 404 not_found · 409 taken (user name/mobile/e-mail in use) | already_pending | already_decided
 * (an application decided before) · 423 locked (5 failed logins in 15 minutes; message says when to retry) ·
 * 429 rate_limited (codes, lookups; message says when to retry).
 */

import type { z } from 'zod';
import type * as S from './h5-schemas.js';

// The shapes are the zod schemas of common/h5-schemas.ts (what the server validates and the
// OpenAPI document is generated from); the types here are inferred from them.

export type Role = z.infer<typeof S.RoleSchema>;
export type UserBrief = z.infer<typeof S.UserBriefSchema>;
export type SessionInfo = z.infer<typeof S.SessionInfoSchema>;
export type LoginInput = z.input<typeof S.LoginInputSchema>;
export type CodeRequest = z.input<typeof S.CodeRequestSchema>;
export type CodeSent = z.infer<typeof S.CodeSentSchema>;
export type RegisterInput = z.input<typeof S.RegisterInputSchema>;
export type ResetInput = z.input<typeof S.ResetInputSchema>;
export type Profile = z.infer<typeof S.ProfileSchema>;
export type ProfileInput = z.input<typeof S.ProfileInputSchema>;
export type PasswordChange = z.input<typeof S.PasswordChangeSchema>;
/** After a password change or reset: what else happened, in words for the user. */
export type PasswordChanged = z.infer<typeof S.PasswordChangedSchema>;
export type LogoutResult = z.infer<typeof S.LogoutResultSchema>;
/** A WeChat user bound to the account (its next OAuth login is silent). */
export type WechatBinding = z.infer<typeof S.WechatBindingSchema>;
export type PointsEntry = z.infer<typeof S.PointsEntrySchema>;
export type PointsPage = z.infer<typeof S.PointsPageSchema>;
export type RankingRow = z.infer<typeof S.RankingRowSchema>;
export type Ranking = z.infer<typeof S.RankingSchema>;
export type ApplicationKind = z.infer<typeof S.ApplicationKindSchema>;
export type ApplicationStatus = z.infer<typeof S.ApplicationStatusSchema>;
export type Application = z.infer<typeof S.ApplicationSchema>;
export type AdminApplication = z.infer<typeof S.AdminApplicationSchema>;
export type ServiceCodeResult = z.infer<typeof S.ServiceCodeResultSchema>;
