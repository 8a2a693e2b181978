import type Router from '@koa/router';
import type { Redis } from 'ioredis';
import type { H5State } from './h5-state.js';
import { memoryRateLimiter, redisRateLimiter } from '../platform/rate-limit.js';
import type { ChatCommands } from '../chat/router.js';
import type { Db } from '../db/client.js';
import type { StaffState } from '../staff/staff-session.js';
import type { Logger } from '../platform/logger.js';
import type { WeChatApi } from '../wechat/api-client.js';
import { adminApplicationsRoutes, myApplicationsRoutes } from './applications.routes.js';
import { ApplicationsService } from './applications.service.js';
import { profileRoutes } from './profile.routes.js';
import { ProfileService } from './profile.service.js';
import { serviceCodeRoutes } from './service-code.routes.js';
import { SERVICE_CODE_LIMIT, ServiceCodeLookup, serviceCodeChatCommand } from './service-code.js';

export interface AccountsDeps {
  db: Db;
  api: Pick<WeChatApi, 'sendTemplate'>;
  logger: Logger;
  /** Server mode: the lookup limit is shared by every instance. Embedded mode counts in memory. */
  redis?: Redis;
  /** Prefix of the limiter's Redis keys (a deployment's namespace goes in front). */
  redisPrefix?: string;
  /** The application-result template (DEFAULT_RESULT_TEMPLATE_ID when absent). */
  templateId?: string;
  /** e.g. `${publicBaseUrl}/h5/#/home/profile`: where the template message links to. */
  profileUrl?: string;
}

/**
 * The accounts module's services and routes: 个人中心 (profile, points, ranking), applications
 * (the user's and the console's), and the service-code lookup with its chat command.
 * The H5 routes need the H5 session middleware (ctx.state.h5) before them; the admin routes need
 * staffSession().
 */
export function accountsModule(deps: AccountsDeps) {
  const limiter = deps.redis ? redisRateLimiter(deps.redis, SERVICE_CODE_LIMIT, deps.redisPrefix ?? 'h5:service-code:') : memoryRateLimiter(SERVICE_CODE_LIMIT);
  const profiles = new ProfileService(deps.db);
  const applications = new ApplicationsService(deps);
  const serviceCodes = new ServiceCodeLookup(deps.db, limiter);
  return {
    profiles,
    applications,
    serviceCodes,
    /** /api/h5/me, /api/h5/me/points, /api/h5/points/ranking, /api/h5/me/applications, /api/h5/service-code. */
    h5Routes: [profileRoutes(profiles, deps.db), myApplicationsRoutes(applications), serviceCodeRoutes(serviceCodes)] as Array<Router<H5State>>,
    /** /api/admin/applications (admins; staffSession() before it). */
    adminRoutes: [adminApplicationsRoutes(applications)] as Array<Router<StaffState>>,
    /** For new ConversationRouter(bot, human, undefined, chatCommands): "服务编码 <全称>" in chat. */
    chatCommands: { serviceCode: serviceCodeChatCommand(serviceCodes) } satisfies ChatCommands,
  };
}

export type AccountsModule = ReturnType<typeof accountsModule>;
