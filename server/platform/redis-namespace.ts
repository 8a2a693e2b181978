/**
 * The prefix of every Redis key and channel of one deployment. Instances that share a database
 * are one deployment and must share the namespace; deployments (or test runs) on other
 * databases of the same Redis must not see each other's events, tokens or throttles.
 * So the namespace is derived from the database's name: no setting to get wrong.
 */
export function redisNamespace(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'wxdesk';
  let name = '';
  try {
    name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\/+/, ''));
  } catch {
    /* a malformed URL is refused by the config first; keep the default */
  }
  return name ? `wxdesk:${name}` : 'wxdesk';
}
