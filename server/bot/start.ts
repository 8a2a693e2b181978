import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/client.js';
import type { Bus } from '../platform/bus.js';
import type { Logger } from '../platform/logger.js';
import { fromRoot } from '../platform/paths.js';
import { registerCandidateListeners } from '../kb/candidates.listeners.js';
import { loadChitchat } from '../kb/kb.service.js';
import { KbBot } from './kb-bot.js';
import { createNlu } from './nlu/index.js';
import { seedKnowledge } from './seed/load.js';
import type { IntentSeed } from './types.js';

export interface StartedBot {
  bot: KbBot;
  close(): Promise<void>;
}

/**
 * Starts the knowledge-base bot: seeds the knowledge base on first start, loads the NLU model
 * (trained once, then read from the on-disk cache), builds the index, and listens for closed
 * escalations to offer FAQ candidates.
 */
export async function startBot(o: { db: Db; bus: Bus; logger: Logger; cacheDir: string; publicBaseUrl?: string }): Promise<StartedBot> {
  const seedDir = fromRoot('server', 'bot', 'seed');
  const seeded = await seedKnowledge(o.db, { seedDir, bus: o.bus });
  if (seeded.entriesAdded > 0) o.logger.info(seeded, 'knowledge base seeded');
  const [chitchat, intents] = await Promise.all([
    loadChitchat(o.db),
    readFile(join(seedDir, 'intents.json'), 'utf8').then((t) => JSON.parse(t) as IntentSeed[]),
  ]);
  const nlu = await createNlu({ chitchat, intents, cacheDir: join(o.cacheDir, 'nlu'), logger: o.logger });
  const bot = await KbBot.create({ db: o.db, bus: o.bus, logger: o.logger, nlu, publicBaseUrl: o.publicBaseUrl });
  const offCandidates = registerCandidateListeners(o.bus, o.db);
  return {
    bot,
    async close() {
      offCandidates();
      await bot.close();
    },
  };
}
