import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { ServiceFacts } from '../platform/facts.js';
import type { Logger } from '../platform/logger.js';
import type { Bot, HumanService } from './ports.js';
import { PushHandler } from './push-handler.js';
import { ConversationRouter, type ChatCommands } from './router.js';

export interface ChatDeps {
  db: Db;
  bus: Bus;
  logger: Logger;
  /** The ports the upper modules plug in: the bot, the human service, the chat commands. */
  bot: Bot;
  human: HumanService;
  commands?: ChatCommands;
  /** Hard budget for the passive reply, from the push's arrival. */
  replyBudgetMs: number;
  /** Filled into replies: platform/facts.ts. */
  facts: ServiceFacts;
}

/**
 * The conversation: the router that gives each message to the bot, the human service or a
 * command, and the push handler behind POST /wechat. drain() at shutdown waits for in-flight
 * pushes and their late answers.
 */
export function chatModule(deps: ChatDeps) {
  const router = new ConversationRouter(deps.bot, deps.human, undefined, deps.commands);
  const pushHandler = new PushHandler({ db: deps.db, router, bus: deps.bus, logger: deps.logger, replyBudgetMs: deps.replyBudgetMs, facts: deps.facts });
  return {
    router,
    pushHandler,
    drain: () => pushHandler.drain(),
  };
}

export type ChatModule = ReturnType<typeof chatModule>;
