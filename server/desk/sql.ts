import { sql, type SQL } from 'drizzle-orm';

/**
 * When we received the customer's last message, by our clock: the quota's sends are counted from
 * here (WeChat's CreateTime, in last_interaction_at, may be skewed against our created_at).
 * Needs the customer as `cu`.
 */
export const lastInboundAt = sql`(SELECT max(m.created_at) FROM messages m JOIN conversations cc ON cc.id = m.conversation_id
  WHERE cc.customer_id = cu.id AND m.direction = 'in' AND m.kind <> 'unsubscribe')`;

/**
 * The queue's serving order, the one definition: the VIP lane first, then whoever has waited
 * longest, ties by id. Positions, assignment and the console's list all use it.
 */
export function servingOrder(alias?: 'c'): SQL {
  return alias ? sql.raw(`${alias}.lane, ${alias}.queued_at, ${alias}.id`) : sql.raw('lane, queued_at, id');
}
