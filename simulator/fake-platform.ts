import { randomBytes } from 'node:crypto';
import { renderTemplate, type RenderedTemplate } from './templates.js';
import { apiError, OK, type ApiError } from './api-errors.js';
import { FakeTokens, type IssuedToken } from './tokens.js';
import { validateMenu, type Menu, type MenuButton } from './menu-rules.js';
import { isInteraction, isUserMessage, type Push } from './pushes.js';
import type { PushResult } from './push-driver.js';
import { afterInteraction, afterUserMessage, canType, decideSend, EMPTY_QUOTA, type QuotaState } from './quota.js';
import { SERVICE_UNAVAILABLE, type ReplyFields } from './reply.js';
import type { XmlValue } from './xml.js';

/**
 * The state and rules of the fake WeChat platform: tokens, users, the customer-service
 * quota, the menu, templates, OAuth codes, and each user's timeline for the phone page.
 * Every method takes plain values and returns the JSON WeChat would answer; the Koa
 * routes in fake-api.ts only translate HTTP to these calls.
 */
export interface FakePlatformOptions {
  readonly appId: string;
  readonly appSecret: string;
  /** ms clock */
  readonly now?: () => number;
  /** access_token lifetime, default 7200 s */
  readonly tokenTtlS?: number;
  /** URL prefix of the simulator, used for avatar URLs */
  readonly basePath?: string;
  /** seed two subscribed users, default true */
  readonly seedUsers?: boolean;
  /** the first template msgid; by default one above 2^53, as WeChat's 64-bit ids can be */
  readonly firstTemplateMsgId?: bigint;
}

export interface SimUser {
  readonly openid: string;
  nickname: string;
  readonly headimgurl: string;
  readonly sex: number;
  readonly language: string;
  readonly city: string;
  readonly province: string;
  readonly country: string;
  subscribe: 0 | 1;
  /** seconds */
  subscribe_time: number;
  subscribe_scene: string;
  qr_scene: number;
  qr_scene_str: string;
  quota: QuotaState;
}

export type TimelineKind = 'text' | 'image' | 'voice' | 'video' | 'news' | 'template' | 'event' | 'error' | 'other';

export interface Article {
  readonly title: string;
  readonly description?: string;
  readonly url?: string;
  readonly picurl?: string;
}

export interface TimelineEntry {
  readonly id: number;
  readonly openid: string;
  /** ms */
  readonly at: number;
  /** user: the phone's bubble (green, right); account: the account's bubble (white, left); system: a grey line */
  readonly from: 'user' | 'account' | 'system';
  /** push: sent by the user; passive: a passive reply; custom: the customer-service API; template: a template message */
  readonly via: 'push' | 'passive' | 'custom' | 'template' | 'simulator';
  readonly kind: TimelineKind;
  readonly text: string;
  readonly articles?: readonly Article[];
  readonly url?: string;
  readonly templateId?: string;
  readonly data?: Readonly<Record<string, string>>;
  /** A template message as WeChat shows it (title, first, labelled rows, remark). */
  readonly template?: RenderedTemplate;
  readonly detail?: string;
}

/** Is the notice shown on this user's phone page: theirs, or asked for outside any WeChat user? */
export function isNoticeFor(notice: Notice, openid: string): boolean {
  return notice.openid === undefined || notice.openid === openid;
}

export interface PlatformSnapshot {
  readonly version: 1;
  readonly users: readonly SimUser[];
  readonly timelines: Readonly<Record<string, readonly TimelineEntry[]>>;
  readonly notices: readonly Notice[];
  readonly nextEntryId: number;
  /** A decimal string: template msgids are beyond 2^53, and JSON has no bigint. */
  readonly nextTemplateMsgId: string;
  readonly nameCursor: number;
}

export interface Notice {
  readonly id: number;
  readonly at: number;
  readonly text: string;
  /** The WeChat user whose page asked for it: only that user's phone page shows it. */
  readonly openid?: string;
}

export interface SentTemplate {
  /** decimal: it may exceed 2^53 */
  readonly msgid: string;
  readonly openid: string;
  readonly templateId: string;
  readonly url?: string;
  readonly data: Readonly<Record<string, string>>;
  readonly at: number;
}

export type PlatformEvent =
  | { readonly type: 'timeline'; readonly entry: TimelineEntry }
  | { readonly type: 'notice'; readonly notice: Notice }
  | { readonly type: 'menu'; readonly menu: Menu | null }
  | { readonly type: 'users' }
  | { readonly type: 'typing'; readonly openid: string; readonly typing: boolean };

export interface PlatformStats {
  /** requests to /cgi-bin/token and /cgi-bin/stable_token */
  tokenRequests: number;
  tokensIssued: number;
  /** stable_token requests with force_refresh that did issue a new token */
  forcedRefreshes: number;
  customSends: number;
  templateSends: number;
  pushes: number;
  /** requests per API path, counted by fake-api.ts */
  readonly calls: Record<string, number>;
}

export type Injected = { readonly httpStatus: number } | { readonly errcode: number };

export type AuthorizeOutcome =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'pick-user'; readonly users: readonly SimUser[] }
  | { readonly kind: 'error'; readonly message: string };

type Query = Readonly<Record<string, string | string[] | undefined>>;
type Json = Record<string, unknown>;

const OAUTH_CODE_TTL_MS = 5 * 60 * 1000;
const TIMELINE_CAP = 500;
const NOTICE_CAP = 100;
const SEED_NAMES = ['张三', '李四'];
const NEW_NAMES = ['王五', '赵六', '孙七', '周八', '吴九', '郑十', '陈一', '林二'];

interface OAuthCode {
  readonly openid: string;
  readonly scope: string;
  readonly expiresAt: number;
  used: boolean;
}

export class FakePlatform {
  readonly appId: string;
  readonly stats: PlatformStats = {
    tokenRequests: 0,
    tokensIssued: 0,
    forcedRefreshes: 0,
    customSends: 0,
    templateSends: 0,
    pushes: 0,
    calls: {},
  };
  readonly templates: SentTemplate[] = [];

  private readonly appSecret: string;
  private readonly now: () => number;
  private readonly basePath: string;
  private readonly tokens: FakeTokens;
  private readonly injected = new Map<string, Injected[]>();
  private readonly userMap = new Map<string, SimUser>();
  private readonly timelines = new Map<string, TimelineEntry[]>();
  private readonly noticeList: Notice[] = [];
  private readonly oauthCodes = new Map<string, OAuthCode>();
  private readonly listeners = new Set<(event: PlatformEvent) => void>();
  private storedMenu: Menu | undefined;
  private nextEntryId = 1;
  private nextTemplateMsgId: bigint;
  private nameCursor = 0;

  constructor(opts: FakePlatformOptions) {
    this.appId = opts.appId;
    this.appSecret = opts.appSecret;
    this.now = opts.now ?? Date.now;
    this.tokens = new FakeTokens(this.now, (opts.tokenTtlS ?? 7200) * 1000);
    this.nextTemplateMsgId = opts.firstTemplateMsgId ?? 2n ** 53n + 1n;
    this.basePath = (opts.basePath ?? '').replace(/\/+$/, '');
    if (opts.seedUsers ?? true) {
      for (const nickname of SEED_NAMES) this.addUser({ nickname, subscribeTime: this.now() - 86_400_000 });
    }
  }

  // ── saved state (users, chats, SMS) across restarts ───────────────────────

  /** What a restart keeps: the users, their chats and the notices. Tokens and OAuth codes are not kept, as WeChat's expire. */
  snapshot(): PlatformSnapshot {
    return {
      version: 1,
      users: this.users(),
      timelines: Object.fromEntries(this.timelines),
      notices: [...this.noticeList],
      nextEntryId: this.nextEntryId,
      nextTemplateMsgId: this.nextTemplateMsgId.toString(),
      nameCursor: this.nameCursor,
    };
  }

  /** Replaces the users, chats and notices with a snapshot's (seeded users included). */
  restore(s: PlatformSnapshot): void {
    this.userMap.clear();
    for (const u of s.users) this.userMap.set(u.openid, { ...u });
    this.timelines.clear();
    for (const [openid, list] of Object.entries(s.timelines)) this.timelines.set(openid, [...list]);
    this.noticeList.splice(0, this.noticeList.length, ...s.notices);
    this.nextEntryId = Math.max(this.nextEntryId, s.nextEntryId);
    const savedMsgId = /^\d+$/.test(String(s.nextTemplateMsgId)) ? BigInt(s.nextTemplateMsgId) : 0n;
    if (savedMsgId > this.nextTemplateMsgId) this.nextTemplateMsgId = savedMsgId;
    this.nameCursor = s.nameCursor;
    this.emit({ type: 'users' });
  }

  // ── events for the phone page ────────────────────────────────────────────

  onEvent(listener: (event: PlatformEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: PlatformEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  // ── test controls ────────────────────────────────────────────────────────

  /** Every token issued so far answers 42001 from now on. */
  expireAllTokens(): void {
    this.tokens.expireAll();
  }

  /**
   * The next request to `path` (e.g. '/cgi-bin/message/custom/send') fails: a code in
   * 100..599 is answered as that HTTP status, anything else as {errcode}. Calls queue up.
   */
  failNext(path: string, code: number): void {
    const key = normalisePath(path);
    const failure: Injected = code >= 100 && code <= 599 ? { httpStatus: code } : { errcode: code };
    this.injected.set(key, [...(this.injected.get(key) ?? []), failure]);
  }

  /** Used by fake-api.ts: the injected failure for this request, if any. */
  takeInjectedFailure(path: string): Injected | undefined {
    const queue = this.injected.get(normalisePath(path));
    const failure = queue?.shift();
    if (queue && queue.length === 0) this.injected.delete(normalisePath(path));
    return failure;
  }

  // ── access_token ─────────────────────────────────────────────────────────

  /** GET /cgi-bin/token?grant_type&appid&secret */
  issueToken(q: Query): Json {
    this.stats.tokenRequests += 1;
    if (one(q.grant_type) !== 'client_credential') return apiError(40002);
    const credentialsError = this.checkCredentials(q);
    if (credentialsError) return credentialsError;
    return this.answerToken(this.tokens.issueBasic());
  }

  /** POST /cgi-bin/stable_token {grant_type, appid, secret, force_refresh?} */
  issueStableToken(body: unknown): Json {
    this.stats.tokenRequests += 1;
    if (body === undefined) return apiError(44002);
    if (!isRecord(body)) return apiError(47001);
    if (body.grant_type !== 'client_credential') return apiError(40002);
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const credentialsError = this.checkCredentials({ appid: str(body.appid), secret: str(body.secret) });
    if (credentialsError) return credentialsError;
    const outcome = this.tokens.issueStable(body.force_refresh === true);
    if ('errcode' in outcome) return apiError(outcome.errcode);
    if (outcome.forced) this.stats.forcedRefreshes += 1;
    return this.answerToken(outcome);
  }

  /** 0 when the token may be used, else the errcode WeChat answers. */
  checkAccessToken(token: string | undefined): 0 | 40001 | 41001 | 42001 {
    return this.tokens.check(token);
  }

  private answerToken(issued: IssuedToken): Json {
    if (issued.fresh) this.stats.tokensIssued += 1;
    return { access_token: issued.token, expires_in: issued.expiresInS };
  }

  private checkCredentials(q: Query): ApiError | undefined {
    const appid = one(q.appid);
    const secret = one(q.secret);
    if (!appid) return apiError(41002);
    if (appid !== this.appId) return apiError(40013);
    if (!secret) return apiError(41004);
    if (secret !== this.appSecret) return apiError(40125);
    return undefined;
  }

  // ── users ────────────────────────────────────────────────────────────────

  addUser(input: { nickname?: string; openid?: string; subscribed?: boolean; subscribeTime?: number } = {}): SimUser {
    const openid = input.openid ?? newOpenid();
    const existing = this.userMap.get(openid);
    if (existing) return existing;
    const nickname = input.nickname?.trim() || this.nextName();
    const subscribed = input.subscribed ?? true;
    const user: SimUser = {
      openid,
      nickname,
      headimgurl: `${this.basePath}/ui/avatar/${openid}.svg`,
      sex: 0,
      language: 'zh_CN',
      city: '济南',
      province: '山东',
      country: '中国',
      subscribe: subscribed ? 1 : 0,
      subscribe_time: subscribed ? Math.floor((input.subscribeTime ?? this.now()) / 1000) : 0,
      subscribe_scene: subscribed ? 'ADD_SCENE_SEARCH' : '',
      qr_scene: 0,
      qr_scene_str: '',
      quota: EMPTY_QUOTA,
    };
    this.userMap.set(openid, user);
    this.emit({ type: 'users' });
    return user;
  }

  user(openid: string): SimUser | undefined {
    return this.userMap.get(openid);
  }

  users(): SimUser[] {
    return [...this.userMap.values()];
  }

  userInfo(q: Query): Json {
    const openid = one(q.openid);
    const user = openid ? this.userMap.get(openid) : undefined;
    if (!user) return apiError(40003);
    if (user.subscribe === 0) return { subscribe: 0, openid: user.openid };
    return {
      subscribe: 1,
      openid: user.openid,
      nickname: user.nickname,
      sex: user.sex,
      language: one(q.lang) ?? user.language,
      city: user.city,
      province: user.province,
      country: user.country,
      headimgurl: user.headimgurl,
      subscribe_time: user.subscribe_time,
      remark: '',
      groupid: 0,
      tagid_list: [],
      subscribe_scene: user.subscribe_scene,
      qr_scene: user.qr_scene,
      qr_scene_str: user.qr_scene_str,
    };
  }

  private nextName(): string {
    const name = NEW_NAMES[this.nameCursor % NEW_NAMES.length] ?? '用户';
    const round = Math.floor(this.nameCursor / NEW_NAMES.length);
    this.nameCursor += 1;
    return round === 0 ? name : `${name}${round + 1}`;
  }

  // ── pushes (called by the push driver's hooks) ─────────────────────────────

  /** A push leaves the phone: record what it means for the user and show it. */
  recordPush(push: Push): void {
    this.stats.pushes += 1;
    const at = this.now();
    const user = this.userMap.get(push.FromUserName) ?? this.addUser({ openid: push.FromUserName });
    if (isUserMessage(push)) user.quota = afterUserMessage(user.quota, at);
    if (isInteraction(push)) user.quota = afterInteraction(user.quota, at);
    if (push.MsgType === 'event') this.applyEvent(user, push, at);
    this.emit({ type: 'typing', openid: user.openid, typing: false });
    this.append(user.openid, describePush(push, this.storedMenu));
  }

  /** The account's answer to a push: show the passive reply, or why it failed. */
  recordPushResult(push: Push, result: PushResult): void {
    const openid = push.FromUserName;
    if (result.status === 0) {
      this.append(openid, {
        from: 'system',
        via: 'simulator',
        kind: 'error',
        text: `推送失败：服务器无响应（已尝试 ${result.attempts} 次）`,
        detail: result.problem,
      });
    } else if (result.status < 200 || result.status >= 300) {
      this.append(openid, { from: 'system', via: 'simulator', kind: 'error', text: `推送失败：${result.status}` });
    } else if (result.problem) {
      this.append(openid, { from: 'account', via: 'passive', kind: 'error', text: SERVICE_UNAVAILABLE, detail: result.problem });
    } else if (result.reply) {
      this.append(openid, describeReply(result.reply));
    }
  }

  private applyEvent(user: SimUser, push: Push, at: number): void {
    if (push.Event === 'subscribe') {
      user.subscribe = 1;
      user.subscribe_time = Math.floor(at / 1000);
      const scene = push.EventKey?.startsWith('qrscene_') ? push.EventKey.slice('qrscene_'.length) : '';
      user.subscribe_scene = scene ? 'ADD_SCENE_QR_CODE' : 'ADD_SCENE_SEARCH';
      user.qr_scene = /^\d+$/.test(scene) ? Number(scene) : 0;
      user.qr_scene_str = /^\d+$/.test(scene) ? '' : scene;
      this.emit({ type: 'users' });
    } else if (push.Event === 'unsubscribe') {
      user.subscribe = 0;
      this.emit({ type: 'users' });
    }
  }

  // ── customer-service messages ────────────────────────────────────────────

  sendCustom(body: unknown): Json {
    if (body === undefined) return apiError(44002);
    if (!isRecord(body)) return apiError(47001);
    const user = typeof body.touser === 'string' ? this.userMap.get(body.touser) : undefined;
    if (!user) return apiError(40003);
    if (user.subscribe === 0) return apiError(43004);
    const content = customContent(body);
    if ('errcode' in content) return content;
    const decision = decideSend(user.quota, this.now());
    if (!decision.ok) return apiError(decision.errcode);
    user.quota = decision.state;
    this.stats.customSends += 1;
    this.emit({ type: 'typing', openid: user.openid, typing: false });
    this.append(user.openid, { from: 'account', via: 'custom', ...content });
    return { ...OK };
  }

  typing(body: unknown): Json {
    if (!isRecord(body)) return apiError(47001);
    const user = typeof body.touser === 'string' ? this.userMap.get(body.touser) : undefined;
    if (!user) return apiError(40003);
    if (body.command !== 'Typing' && body.command !== 'CancelTyping') return apiError(47001);
    if (!canType(user.quota, this.now())) return apiError(45080);
    this.emit({ type: 'typing', openid: user.openid, typing: body.command === 'Typing' });
    return { ...OK };
  }

  // ── menu ─────────────────────────────────────────────────────────────────

  createMenu(body: unknown): Json {
    const result = validateMenu(body);
    if (!result.ok) return apiError(result.errcode);
    this.storedMenu = result.menu;
    this.emit({ type: 'menu', menu: result.menu });
    return { ...OK };
  }

  getMenu(): Json {
    if (!this.storedMenu) return apiError(46003);
    return { menu: { button: this.storedMenu.button } };
  }

  deleteMenu(): Json {
    this.storedMenu = undefined;
    this.emit({ type: 'menu', menu: null });
    return { ...OK };
  }

  get menu(): Menu | undefined {
    return this.storedMenu;
  }

  // ── template messages ────────────────────────────────────────────────────

  /** The answer's msgid is a bigint: fake-api.ts writes it as a bare integer, as WeChat does. */
  sendTemplate(body: unknown): Json {
    if (body === undefined) return apiError(44002);
    if (!isRecord(body)) return apiError(47001);
    const user = typeof body.touser === 'string' ? this.userMap.get(body.touser) : undefined;
    if (!user) return apiError(40003);
    if (typeof body.template_id !== 'string' || body.template_id.trim() === '') return apiError(40037);
    if (user.subscribe === 0) return apiError(43004);
    const data = templateData(body.data);
    const url = typeof body.url === 'string' && body.url ? body.url : undefined;
    const msgid = this.nextTemplateMsgId++;
    const sent: SentTemplate = { msgid: msgid.toString(), openid: user.openid, templateId: body.template_id, data, at: this.now(), ...(url ? { url } : {}) };
    this.templates.push(sent);
    this.stats.templateSends += 1;
    this.append(user.openid, {
      from: 'account',
      via: 'template',
      kind: 'template',
      text: data.first ?? data.thing1 ?? body.template_id,
      templateId: body.template_id,
      data,
      template: renderTemplate(body.template_id, data),
      ...(url ? { url } : {}),
    });
    return { ...OK, msgid };
  }

  // ── OAuth (snsapi_base) ──────────────────────────────────────────────────

  /**
   * /connect/oauth2/authorize. The "current WeChat user" is the `openid` query param
   * or the phone page's sim_openid cookie; without one, the caller shows a picker.
   */
  authorize(q: Query, cookieOpenid?: string): AuthorizeOutcome {
    if (one(q.appid) !== this.appId) return { kind: 'error', message: 'appid 参数错误' };
    const redirectUri = one(q.redirect_uri);
    if (!redirectUri || !/^https?:\/\//i.test(redirectUri)) return { kind: 'error', message: 'redirect_uri 参数错误' };
    if (one(q.response_type) !== 'code') return { kind: 'error', message: 'response_type 参数错误' };
    const scope = one(q.scope);
    if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') return { kind: 'error', message: 'scope 参数错误' };
    const openid = one(q.openid) || cookieOpenid;
    if (!openid) return { kind: 'pick-user', users: this.users() };
    // Any WeChat user may open an OAuth page, follower or not.
    if (!this.userMap.has(openid)) this.addUser({ openid, subscribed: false });
    const at = this.now();
    for (const [c, entry] of this.oauthCodes) if (entry.expiresAt < at - OAUTH_CODE_TTL_MS) this.oauthCodes.delete(c);
    const code = randomBytes(16).toString('hex');
    this.oauthCodes.set(code, { openid, scope, expiresAt: at + OAUTH_CODE_TTL_MS, used: false });
    return { kind: 'redirect', location: appendQuery(redirectUri, { code, state: one(q.state) ?? '' }) };
  }

  /** /sns/oauth2/access_token: a code works once, within 5 minutes. */
  exchangeOAuthCode(q: Query): Json {
    const credentialsError = this.checkCredentials(q);
    if (credentialsError) return credentialsError;
    const code = one(q.code);
    if (!code) return apiError(41008);
    if (one(q.grant_type) !== 'authorization_code') return apiError(40002);
    const entry = this.oauthCodes.get(code);
    if (!entry) return apiError(40029);
    if (entry.used) return apiError(40163);
    if (this.now() >= entry.expiresAt) return apiError(40029);
    entry.used = true;
    return {
      access_token: randomBytes(48).toString('base64url'),
      expires_in: 7200,
      refresh_token: randomBytes(48).toString('base64url'),
      openid: entry.openid,
      scope: entry.scope,
    };
  }

  // ── timeline and notices for the phone page ──────────────────────────────

  timeline(openid: string): readonly TimelineEntry[] {
    return this.timelines.get(openid) ?? [];
  }

  /** Shows a simulated SMS / e-mail (e.g. a verification code) on the phone page. */
  notify(text: string, openid?: string): Notice {
    const notice: Notice = { id: this.nextEntryId++, at: this.now(), text, ...(openid ? { openid } : {}) };
    this.noticeList.push(notice);
    if (this.noticeList.length > NOTICE_CAP) this.noticeList.shift();
    this.emit({ type: 'notice', notice });
    return notice;
  }

  /** The notices a user's phone page shows: theirs, and those asked for outside any WeChat user. */
  notices(openid?: string): readonly Notice[] {
    return openid === undefined ? this.noticeList : this.noticeList.filter((n) => isNoticeFor(n, openid));
  }

  private append(openid: string, entry: Omit<TimelineEntry, 'id' | 'openid' | 'at'>): TimelineEntry {
    const full: TimelineEntry = { id: this.nextEntryId++, openid, at: this.now(), ...entry };
    const list = this.timelines.get(openid) ?? [];
    list.push(full);
    if (list.length > TIMELINE_CAP) list.shift();
    this.timelines.set(openid, list);
    this.emit({ type: 'timeline', entry: full });
    return full;
  }
}

// ── helpers ────────────────────────────────────────────────────────────────

type EntryContent = Omit<TimelineEntry, 'id' | 'openid' | 'at' | 'from' | 'via'>;

function customContent(body: Record<string, unknown>): EntryContent | ApiError {
  const part = (name: string) => (isRecord(body[name]) ? (body[name] as Record<string, unknown>) : undefined);
  switch (body.msgtype) {
    case 'text': {
      const content = part('text')?.content;
      if (typeof content !== 'string' || content === '') return apiError(44004);
      return { kind: 'text', text: content };
    }
    case 'image': {
      const mediaId = part('image')?.media_id;
      if (typeof mediaId !== 'string' || mediaId === '') return apiError(40007);
      return { kind: 'image', text: '[图片]', detail: mediaId };
    }
    case 'news': {
      const articles = part('news')?.articles;
      if (!Array.isArray(articles) || articles.length < 1 || articles.length > 8) return apiError(45008);
      const list = articles.filter(isRecord).map(toArticle);
      if (list.length !== articles.length || list.some((a) => a.title === '')) return apiError(47001);
      return { kind: 'news', text: list[0]?.title ?? '', articles: list };
    }
    default:
      return apiError(40008);
  }
}

function toArticle(raw: Record<string, unknown>): Article {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    title: str(raw.title) ?? str(raw.Title) ?? '',
    ...(str(raw.description ?? raw.Description) ? { description: str(raw.description ?? raw.Description) } : {}),
    ...(str(raw.url ?? raw.Url) ? { url: str(raw.url ?? raw.Url) } : {}),
    ...(str(raw.picurl ?? raw.PicUrl) ? { picurl: str(raw.picurl ?? raw.PicUrl) } : {}),
  };
}

function templateData(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(raw)) return out;
  for (const [k, v] of Object.entries(raw)) {
    if (isRecord(v) && (typeof v.value === 'string' || typeof v.value === 'number')) out[k] = String(v.value);
  }
  return out;
}

function describePush(push: Push, menu: Menu | undefined): Omit<TimelineEntry, 'id' | 'openid' | 'at'> {
  const user = (kind: TimelineKind, text: string) => ({ from: 'user' as const, via: 'push' as const, kind, text });
  const system = (text: string) => ({ from: 'system' as const, via: 'push' as const, kind: 'event' as const, text });
  switch (push.MsgType) {
    case 'text':
      return user('text', push.Content ?? '');
    case 'image':
      return user('image', '[图片]');
    case 'voice':
      return user('voice', push.Recognition ? `[语音] ${push.Recognition}` : '[语音]');
    case 'video':
      return user('video', '[视频]');
    case 'shortvideo':
      return user('video', '[小视频]');
    case 'location':
      return user('other', `[位置] ${push.Label ?? ''}`.trim());
    case 'link':
      return user('other', `[链接] ${push.Title ?? ''}`.trim());
    case 'event':
      switch (push.Event) {
        case 'subscribe':
          return system(push.EventKey ? `扫码关注了公众号（场景 ${push.EventKey.replace(/^qrscene_/, '')}）` : '关注了公众号');
        case 'unsubscribe':
          return system('取消关注了公众号');
        case 'SCAN':
          return system(`扫描了二维码（场景 ${push.EventKey ?? ''}）`);
        case 'CLICK':
          return system(`点击菜单「${menuName(menu, push.EventKey) ?? push.EventKey ?? ''}」`);
        case 'VIEW':
          return system(`打开菜单链接 ${push.EventKey ?? ''}`);
        case 'LOCATION':
          return system('上报了地理位置');
        default:
          return system(`事件 ${push.Event ?? ''}`);
      }
    default:
      return user('other', `[${push.MsgType}]`);
  }
}

function describeReply(reply: ReplyFields): Omit<TimelineEntry, 'id' | 'openid' | 'at'> {
  const account = (kind: TimelineKind, text: string, extra: Partial<TimelineEntry> = {}) => ({
    from: 'account' as const,
    via: 'passive' as const,
    kind,
    text,
    ...extra,
  });
  const str = (v: XmlValue | undefined) => (typeof v === 'string' ? v : '');
  const sub = (name: string) => (isRecord(reply[name]) ? (reply[name] as Record<string, XmlValue>) : {});
  switch (str(reply.MsgType)) {
    case 'text':
      return account('text', str(reply.Content));
    case 'image':
      return account('image', '[图片]', { detail: str(sub('Image').MediaId) });
    case 'voice':
      return account('voice', '[语音]');
    case 'video':
      return account('video', `[视频] ${str(sub('Video').Title)}`.trim());
    case 'music':
      return account('other', `[音乐] ${str(sub('Music').Title)}`.trim());
    case 'news': {
      const items = sub('Articles').item;
      const list = (Array.isArray(items) ? items : items === undefined ? [] : [items]).flatMap((v) => (isRecord(v) ? [toArticle(v)] : []));
      return account('news', list[0]?.title ?? '', { articles: list });
    }
    case 'transfer_customer_service':
      return { from: 'system', via: 'passive', kind: 'event', text: '已转入微信多客服' };
    default:
      return account('other', `[${str(reply.MsgType)}]`);
  }
}

function menuName(menu: Menu | undefined, key: string | undefined): string | undefined {
  if (!menu || !key) return undefined;
  const all: MenuButton[] = menu.button.flatMap((b) => [b, ...(b.sub_button ?? [])]);
  return all.find((b) => b.key === key)?.name;
}

function appendQuery(uri: string, params: Record<string, string>): string {
  const hash = uri.indexOf('#');
  const base = hash === -1 ? uri : uri.slice(0, hash);
  const fragment = hash === -1 ? '' : uri.slice(hash);
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}${new URLSearchParams(params).toString()}${fragment}`;
}

function newOpenid(): string {
  // Real openids are 28 characters of [A-Za-z0-9_-], starting with "o".
  return `o${randomBytes(21).toString('base64url')}`;
}

function normalisePath(path: string): string {
  const p = path.split('?')[0] ?? '';
  return `/${p.replace(/^\/+/, '').replace(/\/+$/, '')}`;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
