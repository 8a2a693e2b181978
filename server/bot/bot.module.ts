import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Logger } from '../platform/logger.js';
import { unsubscribeAll } from '../platform/module.js';
import { fromRoot } from '../platform/paths.js';
import { loadChitchat } from '../kb/kb.service.js';
import { KbBot } from './kb-bot.js';
import { registerKnowledgeListeners } from './knowledge.listeners.js';
import { createNlu } from './nlu/index.js';
import { seedKnowledge } from './seed/load.js';
import type { IntentSeed } from './types.js';

export interface BotDeps {
  db: Db;
  bus: Bus;
  logger: Logger;
  cacheDir: string;
  publicBaseUrl?: string;
}

/**
 * The knowledge-base bot: seeds the knowledge base on first start, loads the NLU model
 * (trained once, then read from the on-disk cache), builds the index and keeps it fresh.
 * close() ends its subscriptions and flushes its ledger.
 */
export async function botModule(deps: BotDeps) {
  const seedDir = fromRoot('server', 'bot', 'seed');
  const seeded = await seedKnowledge(deps.db, { seedDir, bus: deps.bus });
  if (seeded.entriesAdded > 0) deps.logger.info(seeded, 'knowledge base seeded');
  const [chitchat, intents] = await Promise.all([
    loadChitchat(deps.db),
    readFile(join(seedDir, 'intents.json'), 'utf8').then((t) => JSON.parse(t) as IntentSeed[]),
  ]);
  const nlu = await createNlu({ chitchat, intents, cacheDir: join(deps.cacheDir, 'nlu'), logger: deps.logger });
  const bot = new KbBot({ db: deps.db, bus: deps.bus, logger: deps.logger, nlu, publicBaseUrl: deps.publicBaseUrl });
  // Listening before the first load: a change made meanwhile rebuilds the index again.
  const listeners = registerKnowledgeListeners(deps.bus, bot);
  try {
    await bot.reload();
  } catch (err) {
    unsubscribeAll(listeners);
    throw err;
  }
  return {
    bot,
    listeners,
    async close() {
      unsubscribeAll(listeners);
      await bot.close();
    },
  };
}

export type BotModule = Awaited<ReturnType<typeof botModule>>;
