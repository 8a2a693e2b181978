/**
 * JSON.stringify that writes bigint values as bare integers, as WeChat writes its 64-bit ids
 * (a template msgid may exceed 2^53), so that a client reading them as JS numbers loses digits here too.
 */
export function stringifyWithBigInts(value: unknown): string {
  const marker = '\u0000bigint:';
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v.toString()}` : v));
  // The marker starts with a NUL (written \u0000), which no text the simulator handles holds.
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
