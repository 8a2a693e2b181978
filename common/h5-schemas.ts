import { z } from 'zod';
import { INT4_MAX, storableText } from './api-fields.js';
import { listOf, pageOf } from './staff-schemas.js';

/**
 * The H5 contract (common/h5-api.ts) as zod schemas: the H5 and admin-applications routers parse
 * their input with the request schemas, the pages' types are inferred from them, and the OpenAPI
 * document is generated from them.
 */

const int = () => z.number().int();
const dateTime = () => z.iso.datetime({ offset: true });

export const RoleSchema = z
  .enum(['customer', 'vip', 'unit_admin', 'internal', 'agent', 'technician', 'admin'])
  .describe("Everyone is a customer; the other roles come from the account's flags.");

export const UserBriefSchema = z.object({
  id: int(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  roles: z.array(RoleSchema),
  badges: z.array(z.enum(['VIP', 'TAD', '管理员'])).describe('The marks next to the name: VIP, TAD (internal staff), 管理员 (unit administrator).'),
});

export const SessionInfoSchema = z.object({
  wechat: z.boolean().describe('Came through WeChat OAuth (an openid is attached to this session).'),
  user: UserBriefSchema.nullable().describe('Logged in: the account (bound to the openid when wechat). null: show the bind / login page.'),
});

export const CodeSentSchema = z.object({
  sent: z.literal(true).describe('Also for a reset code to an unknown address, which is not sent (the answer does not tell).'),
  expiresInS: int().describe('300'),
  simulated: z.boolean().describe('The code is only simulated (shown on the simulator phone page), not really sent.'),
});

export const OkResponseSchema = z.object({ ok: z.literal(true) });
export const LogoutResultSchema = z.object({ ok: z.literal(true), unboundWechat: z.boolean().describe('Whether this WeChat user was unbound from the account.') });

/** After a password change or reset: what else happened, in words for the user. */
export const PasswordChangedSchema = z.object({
  ok: z.literal(true),
  unboundWechat: int().describe('How many other WeChat users were unbound from the account.'),
  message: z.string(),
});

/** A WeChat user bound to the account (its next OAuth login is silent). */
export const WechatBindingSchema = z.object({
  id: int(),
  openid: z.string().describe('Masked: oAbc****wxyz.'),
  boundAt: z.string().nullable().describe('ISO time; null for a binding made before the time was recorded.'),
  current: z.boolean().describe('The WeChat user of this session.'),
});
export const WechatBindingListSchema = listOf(WechatBindingSchema);

export const ProfileSchema = UserBriefSchema.extend({
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  unit: z.object({ fullName: z.string(), serviceCode: z.string(), serviceLevel: z.string().nullable(), serviceValidUntil: z.string().nullable() }).nullable(),
  points: int().describe('The balance.'),
  wechatBound: z.boolean().describe('A WeChat user is bound to the account.'),
});

export const PointsEntrySchema = z.object({
  id: int(),
  reason: z.string().describe('e.g. register, ask_question, first_read, favourite, survey.'),
  label: z.string().describe('The reason in Chinese.'),
  points: int(),
  createdAt: dateTime(),
});
export const PointsPageSchema = pageOf(PointsEntrySchema).extend({ balance: int() }).describe('The ledger, newest first, 20 a page.');

export const RankingRowSchema = z.object({ rank: int().describe('Ties share a rank.'), displayName: z.string(), points: int() });
export const RankingSchema = z
  .object({ items: z.array(RankingRowSchema), me: RankingRowSchema.nullable().describe('null while the caller has no points.') })
  .describe('The top 20 by points, and the caller.');

export const APPLICATION_KINDS = ['vip_admin', 'internal'] as const;
export const ApplicationKindSchema = z.enum(APPLICATION_KINDS).describe('vip_admin: VIP and unit administrator; internal: internal staff.');
export const ApplicationStatusSchema = z.enum(['pending', 'approved', 'rejected']);

export const ApplicationSchema = z.object({
  id: int(),
  kind: ApplicationKindSchema,
  status: ApplicationStatusSchema,
  reason: z.string().nullable().describe('Why it was rejected.'),
  createdAt: dateTime(),
  decidedAt: dateTime().nullable(),
});
export const ApplicationListSchema = listOf(ApplicationSchema);

export const AdminApplicationSchema = ApplicationSchema.extend({
  user: z.object({ id: int(), username: z.string(), displayName: z.string(), unitName: z.string().nullable() }),
  decidedBy: z.string().nullable().describe('The display name of the staff member who decided.'),
});
export const AdminApplicationPageSchema = pageOf(AdminApplicationSchema);

export const ServiceCodeResultSchema = z.discriminatedUnion('found', [
  z.object({ found: z.literal(true), fullName: z.string(), serviceCode: z.string() }),
  z.object({ found: z.literal(false), message: z.string().describe('What to check, and the hotline (zh-CN).') }),
]);

// ---- requests ----------------------------------------------------------------------------------
// The login routes answer any refusal with one message (请检查填写的内容); the service checks the
// finer rules (mobile format, password length 8–64) after these.

const password = (max: number) => z.string().max(max).meta({ format: 'password' });
const channel = z.enum(['sms', 'email']);

export const LoginInputSchema = z.object({
  account: z.string().trim().min(1).max(128).describe('User name, mobile or e-mail (trimmed).'),
  password: password(256).min(1),
});

export const CodeRequestSchema = z.object({
  purpose: z.enum(['register', 'reset']).describe('register: by SMS only.'),
  channel,
  to: z.string().trim().min(1).max(128).describe('A mainland mobile number (11 digits starting with 1) or an e-mail address.'),
});

const NEW_PASSWORD = 'Enforced by the service after this check: 8–64 characters (invalid_input, 密码长度为8到64位).';

export const RegisterInputSchema = z.object({
  mobile: z.string().trim().max(32).describe('A mainland mobile number; it becomes the user name.'),
  code: z.string().trim().max(16).describe('The SMS code.'),
  password: password(256).describe(NEW_PASSWORD),
  displayName: z.string().trim().min(1).max(32),
  unitFullName: z.string().trim().max(200).optional().describe('The exact full unit name: the account is bound to the unit only if it exists.'),
});

export const ResetInputSchema = z.object({
  channel,
  to: z.string().trim().max(128).describe('The mobile or e-mail the code was sent to.'),
  code: z.string().trim().max(16),
  newPassword: password(256).describe(NEW_PASSWORD),
});

export const PasswordChangeSchema = z.object({ oldPassword: password(256), newPassword: password(256).describe(NEW_PASSWORD) });

/** "" and null remove the field; absent keeps it. */
const optionalText = (schema: z.ZodString) =>
  z
    .union([schema, z.literal(''), z.null()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v || null));

export const ProfileInputSchema = z.object({
  displayName: z.string({ error: '请填写昵称' }).trim().min(1, '请填写昵称').max(30, '昵称最多30个字'),
  email: optionalText(z.string().trim().max(100, '邮箱最多100个字').email('邮箱格式不正确')).describe(
    'An e-mail address; "" or null removes it; absent keeps it. Must not belong to another account (409 taken).',
  ),
  // https only: the pages are served over https (and their CSP allows https images), so an
  // http:// picture would never show.
  avatarUrl: optionalText(
    z
      .string()
      .trim()
      .max(500, '头像地址太长')
      .regex(/^(https:\/\/|\/)\S+$/, '头像地址须以 https:// 开头（或站内地址 /）'),
  ).describe('https:// or a site path; "" or null removes it; absent keeps it.'),
});

export const ApplyRequestSchema = z.object({ kind: z.enum(APPLICATION_KINDS, { error: '申请类型须为 vip_admin 或 internal' }) });

export const RejectRequestSchema = z.object({
  reason: storableText(z.string({ error: '请填写驳回原因' }).trim().min(1, '请填写驳回原因').max(200, '驳回原因最多200个字'), '驳回原因').describe(
    'Trimmed; the user sees it in 个人中心 and in the template message.',
  ),
});

/** The longest unit name a lookup normalises; the raw text may be twice as long (spaces, brackets). */
export const SERVICE_CODE_NAME_MAX = 100;
export const ServiceCodeRequestSchema = z.object({
  fullName: z
    .string({ error: '请输入单位全称' })
    .max(SERVICE_CODE_NAME_MAX * 2, `单位全称最多${SERVICE_CODE_NAME_MAX}个字`)
    .describe("The unit's exact full name (after normalisation 1–100 characters; never a prefix or an abbreviation)."),
});

export const PointsQuerySchema = z.object({
  page: z.coerce.number({ error: '页码无效' }).int('页码无效').min(1, '页码无效').max(10_000, '页码无效').default(1),
});

export const AdminApplicationsQuerySchema = z.object({
  status: z
    .enum(['pending', 'approved', 'rejected'], { error: '状态须为 pending、approved 或 rejected' })
    .optional()
    .or(z.literal('').transform(() => undefined))
    .describe('Absent or empty: every status.'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const BindingIdSchema = z.coerce.number().int().positive().max(INT4_MAX);
