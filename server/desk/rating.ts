/**
 * Reading a satisfaction rating from what the customer typed: a digit 1-5 first, then an optional
 * comment ("5", "4 回复很快", "3分，还行"). "1个问题" or "500元" are not ratings.
 */
export const RATING_TTL_MS = 24 * 3_600_000;

export function parseRating(text: string): { score: number; comment: string | null } | null {
  const m = /^\s*([1-5])(?:\s*[分星])?(?=$|[\s,，.。!！、:：;；~～])[\s,，.。!！、:：;；~～]*([\s\S]*)$/.exec(text);
  if (!m) return null;
  const comment = m[2]!.trim();
  return { score: Number(m[1]), comment: comment ? comment.slice(0, 500) : null };
}

export function ratingStillOpen(askedAt: Date | null, now: number): boolean {
  return askedAt !== null && now - askedAt.getTime() < RATING_TTL_MS;
}
