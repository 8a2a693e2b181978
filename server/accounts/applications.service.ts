import { and, desc, eq, sql } from 'drizzle-orm';
import type { AdminApplication, Application, ApplicationKind, ApplicationStatus } from '../../common/h5-api.js';
import type { Page } from '../../common/kb-api.js';
import type { StaffMe } from '../../common/staff-api.js';
import type { Db, Tx } from '../db/client.js';
import { customers, staff } from '../db/schema.js';
import { AppError, BadRequest, NotFound } from '../http/errors.js';
import type { Logger } from '../platform/logger.js';
import { hashOpenid } from '../platform/logger.js';
import type { WeChatApi } from '../wechat/api-client.js';
import { accounts, applications, units } from './schema.js';

export const APPLICATION_KINDS = ['vip_admin', 'internal'] as const satisfies readonly ApplicationKind[];
export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const satisfies readonly ApplicationStatus[];

export const KIND_LABELS: Record<ApplicationKind, string> = { vip_admin: 'VIP及单位管理员', internal: '内部员工' };

/**
 * The template message that tells the user the decision. A real Official Account configures its
 * own template id (the lead wires it from the configuration); the simulator accepts any id.
 * Fields follow WeChat's classic layout: first, keyword1..3, remark.
 */
export const DEFAULT_RESULT_TEMPLATE_ID = 'application_result';

export const applicationTexts = {
  alreadyPending: '您已提交过该申请，正在审核中，请耐心等待',
  alreadyGranted: (kind: ApplicationKind) => `您已是${KIND_LABELS[kind]}，无需再申请`,
  alreadyDecided: '该申请已处理过',
};

export interface ApplicationsDeps {
  db: Db;
  /** Only sendTemplate is used: tests pass a fake. */
  api: Pick<WeChatApi, 'sendTemplate'>;
  logger: Logger;
  templateId?: string;
  /** Where the template message links to (个人中心), e.g. https://host/h5/#/home/profile. */
  profileUrl?: string;
}

/** Applications for VIP + unit administrator and for internal staff, decided by staff with a reason. */
export class ApplicationsService {
  constructor(private readonly deps: ApplicationsDeps) {}

  /** The user's own applications, newest first. */
  async listMine(accountId: number): Promise<{ items: Application[] }> {
    const rows = await this.deps.db.select().from(applications).where(eq(applications.accountId, accountId)).orderBy(desc(applications.createdAt), desc(applications.id));
    return { items: rows.map(toApplication) };
  }

  /** One pending application per kind; none for a role the account already has. */
  async apply(accountId: number, kind: ApplicationKind): Promise<Application> {
    return this.deps.db.transaction(async (tx) => {
      // Lock the account row: two taps at once must not create two pending applications.
      const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for('update');
      if (!account) throw new NotFound('account', accountId);
      if (kind === 'vip_admin' ? account.vip && account.unitAdmin : account.internalStaff) throw new BadRequest(applicationTexts.alreadyGranted(kind), 'invalid_input');
      const [pending] = await tx
        .select({ id: applications.id })
        .from(applications)
        .where(and(eq(applications.accountId, accountId), eq(applications.kind, kind), eq(applications.status, 'pending')));
      if (pending) throw new AppError(409, 'already_pending', applicationTexts.alreadyPending);
      const [row] = await tx.insert(applications).values({ accountId, kind }).returning();
      return toApplication(row!);
    });
  }

  /** The staff list, oldest pending first when filtering by pending, else newest first. */
  async list(query: { status?: ApplicationStatus; page: number; pageSize: number }): Promise<Page<AdminApplication>> {
    const where = query.status ? eq(applications.status, query.status) : undefined;
    const order = query.status === 'pending' ? [applications.createdAt, applications.id] : [desc(applications.createdAt), desc(applications.id)];
    const [rows, [count]] = await Promise.all([
      this.adminRows().where(where).orderBy(...order).limit(query.pageSize).offset((query.page - 1) * query.pageSize),
      this.deps.db.select({ n: sql<number>`count(*)::int` }).from(applications).where(where),
    ]);
    return { items: rows.map(toAdminApplication), total: count?.n ?? 0, page: query.page, pageSize: query.pageSize };
  }

  /** Approves: the account gets VIP + unit administrator, or internal staff; the user is told. */
  async approve(id: number, by: StaffMe): Promise<AdminApplication> {
    await this.deps.db.transaction(async (tx) => {
      const app = await decide(tx, id, 'approved', null, by);
      const flags = app.kind === 'vip_admin' ? { vip: true, unitAdmin: true } : { internalStaff: true };
      await tx.update(accounts).set(flags).where(eq(accounts.id, app.accountId));
    });
    return this.afterDecision(id);
  }

  /** Rejects with a reason the user sees in 个人中心 and in the template message. */
  async reject(id: number, reason: string, by: StaffMe): Promise<AdminApplication> {
    await this.deps.db.transaction((tx) => decide(tx, id, 'rejected', reason, by));
    return this.afterDecision(id);
  }

  private async afterDecision(id: number): Promise<AdminApplication> {
    const [row] = await this.adminRows().where(eq(applications.id, id));
    const decided = toAdminApplication(row!);
    await this.notify(decided);
    return decided;
  }

  /** Tells every WeChat user bound to the account. Never fatal: the decision stands if WeChat fails. */
  private async notify(app: AdminApplication): Promise<void> {
    const bound = await this.deps.db.select({ openid: customers.openid }).from(customers).where(eq(customers.accountId, app.user.id));
    const approved = app.status === 'approved';
    for (const { openid } of bound) {
      try {
        await this.deps.api.sendTemplate({
          openid,
          templateId: this.deps.templateId ?? DEFAULT_RESULT_TEMPLATE_ID,
          ...(this.deps.profileUrl ? { url: this.deps.profileUrl } : {}),
          data: {
            first: { value: approved ? `您的${KIND_LABELS[app.kind]}申请已通过` : `您的${KIND_LABELS[app.kind]}申请未通过` },
            keyword1: { value: KIND_LABELS[app.kind] },
            keyword2: { value: approved ? '已通过' : '未通过' },
            keyword3: { value: formatTime(app.decidedAt) },
            remark: { value: approved ? '感谢您的支持，相关权限已开通。' : `原因：${app.reason ?? '无'}。如有疑问请拨打服务热线 400-658-6000。` },
          },
        });
      } catch (err) {
        this.deps.logger.warn({ err: (err as Error).message, openid: hashOpenid(openid), application: app.id }, 'application result template message failed');
      }
    }
  }

  private adminRows() {
    return this.deps.db
      .select({ application: applications, account: { id: accounts.id, username: accounts.username, displayName: accounts.displayName }, unitName: units.fullName, decidedBy: staff.displayName })
      .from(applications)
      .innerJoin(accounts, eq(accounts.id, applications.accountId))
      .leftJoin(units, eq(units.id, accounts.unitId))
      .leftJoin(staff, eq(staff.id, applications.decidedBy))
      .$dynamic();
  }
}

/** Moves a pending application to its decision; anything already decided is refused (409). */
async function decide(tx: Tx, id: number, status: 'approved' | 'rejected', reason: string | null, by: StaffMe) {
  const [row] = await tx
    .update(applications)
    .set({ status, reason, decidedBy: by.id, decidedAt: new Date() })
    .where(and(eq(applications.id, id), eq(applications.status, 'pending')))
    .returning();
  if (row) return row;
  const [exists] = await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, id));
  if (!exists) throw new NotFound('application', id);
  throw new AppError(409, 'already_decided', applicationTexts.alreadyDecided);
}

type ApplicationRow = typeof applications.$inferSelect;

function toApplication(r: ApplicationRow): Application {
  return {
    id: r.id,
    kind: r.kind as ApplicationKind,
    status: r.status as ApplicationStatus,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  };
}

function toAdminApplication(r: { application: ApplicationRow; account: { id: number; username: string; displayName: string }; unitName: string | null; decidedBy: string | null }): AdminApplication {
  return { ...toApplication(r.application), user: { ...r.account, unitName: r.unitName }, decidedBy: r.decidedBy };
}

/** 2024-05-01 09:30 (China time: the users are there). */
function formatTime(iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}
