import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The trained @nlpjs/nlp model on disk, keyed by a hash of everything that shapes it: the
 * training utterances and labels, the tokenizer, the @nlpjs package versions and this file's
 * format. An unchanged base starts without retraining; any change gives a new key.
 */

/**
 * Bump when the stored shape or the training recipe changes without the inputs changing.
 * 2: trained with @nlpjs/nlp's Nlp directly instead of through the all-in-one package's
 * NlpManager, whose container also held every language and the full language guesser: models
 * written by format 1 are ignored and retrained once.
 */
const FORMAT = 2;
const PREFIX = 'nlu-';

interface Stored {
  key: string;
  format: number;
  createdAt: string;
  model: string;
}

export function modelKey(parts: object): string {
  return createHash('sha256').update(JSON.stringify({ format: FORMAT, ...parts })).digest('hex');
}

export function modelFile(cacheDir: string, key: string): string {
  return join(cacheDir, `${PREFIX}${key.slice(0, 24)}.json`);
}

/** The stored model for `key`, or null when there is none or it cannot be read. */
export async function readModel(cacheDir: string, key: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(modelFile(cacheDir, key), 'utf8');
  } catch {
    return null;
  }
  try {
    const stored = JSON.parse(text) as Stored;
    return stored.key === key && stored.format === FORMAT && typeof stored.model === 'string' ? stored.model : null;
  } catch {
    return null;
  }
}

/**
 * Writes through a temporary file and a rename, so an instance starting at the same moment
 * reads either nothing or a whole model. Older models in the folder are removed.
 */
export async function writeModel(cacheDir: string, key: string, model: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const file = modelFile(cacheDir, key);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const stored: Stored = { key, format: FORMAT, createdAt: new Date().toISOString(), model };
  await writeFile(tmp, JSON.stringify(stored));
  await rename(tmp, file);
  const mine = file.slice(cacheDir.length + 1);
  for (const name of await readdir(cacheDir)) {
    if (name.startsWith(PREFIX) && name.endsWith('.json') && name !== mine) await rm(join(cacheDir, name), { force: true });
  }
  return file;
}
