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

export type Role = 'customer' | 'vip' | 'unit_admin' | 'internal' | 'agent' | 'technician' | 'admin';

export interface UserBrief {
  id: number;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  roles: Role[];
  /** The manual's marks next to the name: VIP, TAD (internal staff), 管理员 (unit administrator). */
  badges: Array<'VIP' | 'TAD' | '管理员'>;
}

export interface SessionInfo {
  /** Came through WeChat OAuth (an openid is attached to this session). */
  wechat: boolean;
  /** Logged in: the account (bound to the openid when wechat). null → show the bind / login page. */
  user: UserBrief | null;
}

export interface LoginInput {
  /** User name, mobile or e-mail. */
  account: string;
  password: string;
}

export interface CodeRequest {
  purpose: 'register' | 'reset';
  channel: 'sms' | 'email';
  /** A mainland mobile number (11 digits starting with 1) or an e-mail address. */
  to: string;
}

export interface RegisterInput {
  mobile: string;
  code: string;
  password: string;
  displayName: string;
  /** Optional at registration; the exact full unit name (bound only if it exists). */
  unitFullName?: string;
}

export interface ResetInput {
  channel: 'sms' | 'email';
  to: string;
  code: string;
  newPassword: string;
}

export interface Profile extends UserBrief {
  mobile: string | null;
  email: string | null;
  unit: { fullName: string; serviceCode: string; serviceLevel: string | null; serviceValidUntil: string | null } | null;
  points: number;
  wechatBound: boolean;
}

export interface ProfileInput {
  displayName: string;
  email?: string | null;
  avatarUrl?: string | null;
}

export interface PasswordChange {
  oldPassword: string;
  newPassword: string;
}

/** After a password change or reset: what else happened, in words for the user. */
export interface PasswordChanged {
  ok: true;
  /** How many other WeChat users were unbound from the account. */
  unboundWechat: number;
  message: string;
}

/** A WeChat user bound to the account (its next OAuth login is silent). */
export interface WechatBinding {
  id: number;
  /** Masked: oAbc****wxyz. */
  openid: string;
  /** ISO time; null for a binding made before the time was recorded. */
  boundAt: string | null;
  /** The WeChat user of this session. */
  current: boolean;
}

export interface PointsEntry {
  id: number;
  /** e.g. ask_question, first_read, favourite, survey. */
  reason: string;
  /** Chinese label of the reason. */
  label: string;
  points: number;
  createdAt: string;
}

export interface PointsPage {
  balance: number;
  items: PointsEntry[];
  total: number;
  page: number;
  pageSize: number;
}

export interface RankingRow {
  rank: number;
  displayName: string;
  points: number;
}

export type ApplicationKind = 'vip_admin' | 'internal';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

export interface Application {
  id: number;
  kind: ApplicationKind;
  status: ApplicationStatus;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface AdminApplication extends Application {
  user: { id: number; username: string; displayName: string; unitName: string | null };
  decidedBy: string | null;
}

export type ServiceCodeResult =
  | { found: true; fullName: string; serviceCode: string }
  | { found: false; message: string };
