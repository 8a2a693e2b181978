import type { Bus } from '../platform/bus.js';
import type { Unsubscribe } from '../platform/module.js';
import type { KbBot } from './kb-bot.js';

/** 'knowledge.changed' (from any instance) → the bot rebuilds its index. */
export function registerKnowledgeListeners(bus: Bus, bot: Pick<KbBot, 'scheduleReload'>): Unsubscribe[] {
  return [bus.on('knowledge.changed', () => bot.scheduleReload())];
}
