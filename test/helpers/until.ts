/**
 * Polls `probe` until it returns a truthy value and resolves with it; after `ms` it fails with
 * "condition not met in time" and what `explain` returns (the state the test was waiting on).
 */
export async function until<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  explain: () => unknown = () => '',
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in time: ${JSON.stringify(await explain())}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
