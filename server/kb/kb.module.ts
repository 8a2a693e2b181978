import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Unsubscribe } from '../platform/module.js';
import { registerCandidateListeners } from './candidates.listeners.js';
import { kbAdminService } from './kb-admin.adapter.js';
import { kbAdminRoutes } from './kb-admin.routes.js';

export interface KbModuleDeps {
  db: Db;
  bus: Bus;
  /**
   * Offer FAQ candidates from closed escalations. They come from the knowledge-base bot's turns:
   * on only when that bot answers (a replaced bot leaves the candidates alone).
   */
  offerCandidates: boolean;
}

/** The knowledge base: the console's API (staffSession() before it) and the FAQ candidates. */
export function kbModule(deps: KbModuleDeps) {
  const admin = kbAdminService({ db: deps.db, bus: deps.bus });
  const listeners: Unsubscribe[] = deps.offerCandidates ? [registerCandidateListeners(deps.bus, deps.db)] : [];
  return {
    admin,
    /** /api/kb/… for the console. */
    staffRoutes: [kbAdminRoutes(admin)],
    listeners,
  };
}

export type KbModule = ReturnType<typeof kbModule>;
