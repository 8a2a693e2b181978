-- The push hot path as two functions: PL/pgSQL caches their plans per session,
-- which makes a one-push batch ~2.7x cheaper than sending the same statement as text.
-- Both take a batch as a JSON array; see server/chat/push-turn.repo.ts. Their current bodies are
-- in server/db/functions/ (applied at every start); this is only the first version.
CREATE OR REPLACE FUNCTION wx_record_inbound(p_input jsonb)
RETURNS TABLE (
  ord int, claimed boolean,
  customer_id int, subscribed boolean, last_interaction_at timestamptz, customer_created_at timestamptz,
  conversation_id int, status text, assignee_id int, conversation_created_at timestamptz, conversation_updated_at timestamptz,
  message_id bigint, released int
) LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(p_input)
      AS t(ord int, key text, openid text, at timestamptz, kind text, content text, payload jsonb, subscribed boolean)
  ), claim AS (
    INSERT INTO processed_pushes (key) SELECT key FROM input ON CONFLICT DO NOTHING RETURNING key
  ), cin AS (
    SELECT input.* FROM input JOIN claim USING (key)
  ), touched AS (
    -- A message or an interaction: the 48 h window opens again; the subscription is unchanged.
    INSERT INTO customers (openid, last_interaction_at)
    SELECT openid, at FROM cin WHERE subscribed IS NULL
    ON CONFLICT (openid) DO UPDATE SET last_interaction_at = COALESCE(EXCLUDED.last_interaction_at, customers.last_interaction_at)
    RETURNING *
  ), resubscribed AS (
    -- subscribe / unsubscribe (an unsubscribe carries no interaction time).
    INSERT INTO customers (openid, last_interaction_at, subscribed)
    SELECT openid, at, subscribed FROM cin WHERE subscribed IS NOT NULL
    ON CONFLICT (openid) DO UPDATE SET
      last_interaction_at = COALESCE(EXCLUDED.last_interaction_at, customers.last_interaction_at),
      subscribed = EXCLUDED.subscribed
    RETURNING *
  ), cust AS (
    SELECT * FROM touched UNION ALL SELECT * FROM resubscribed
  ), existing AS (
    -- LATERAL ... LIMIT 1: one index probe per customer, never a scan of all conversations.
    SELECT c.* FROM cust CROSS JOIN LATERAL (
      SELECT * FROM conversations c
      WHERE c.customer_id = cust.id AND c.channel = 'wechat' AND c.status <> 'closed'
      LIMIT 1
    ) c
  ), created AS (
    INSERT INTO conversations (customer_id, channel)
    SELECT cust.id, 'wechat' FROM cust WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.customer_id = cust.id)
    ON CONFLICT DO NOTHING RETURNING *
  ), conv AS (
    SELECT * FROM existing UNION ALL SELECT * FROM created
  ), msg AS (
    INSERT INTO messages (conversation_id, direction, sender, kind, content, payload, wechat_key)
    SELECT conv.id, 'in', 'customer', cin.kind, cin.content, cin.payload, cin.key
    FROM cin JOIN cust ON cust.openid = cin.openid JOIN conv ON conv.customer_id = cust.id
    RETURNING id, wechat_key
  ), released AS (
    UPDATE outbox o SET status = 'pending', next_attempt_at = now()
    WHERE o.id IN (
      SELECT h.id FROM cin CROSS JOIN LATERAL (
        SELECT id FROM outbox WHERE openid = cin.openid AND status = 'held'
      ) h WHERE cin.at IS NOT NULL
    )
    RETURNING o.openid
  )
  SELECT
    input.ord,
    claim.key IS NOT NULL AS claimed,
    cust.id AS customer_id, cust.subscribed, cust.last_interaction_at, cust.created_at AS customer_created_at,
    conv.id AS conversation_id, conv.status, conv.assignee_id, conv.created_at AS conversation_created_at,
    conv.updated_at AS conversation_updated_at,
    msg.id AS message_id,
    (SELECT count(*) FROM released r WHERE r.openid = input.openid)::int AS released
  FROM input
    LEFT JOIN claim ON claim.key = input.key
    LEFT JOIN cust ON cust.openid = input.openid AND claim.key IS NOT NULL
    LEFT JOIN conv ON conv.customer_id = cust.id
    LEFT JOIN msg ON msg.wechat_key = input.key
  ORDER BY input.ord;
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION wx_record_replies(p_input jsonb)
RETURNS TABLE (ord int, message_id bigint, done int)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(p_input)
      AS t(ord int, key text, conversation_id int, content text, xml text)
  ), m AS (
    INSERT INTO messages (conversation_id, direction, sender, kind, content, delivery)
    SELECT conversation_id, 'out', 'bot', 'text', content, 'passive' FROM input WHERE content IS NOT NULL
    RETURNING id, conversation_id
  ), done AS (
    UPDATE processed_pushes p SET status = 'done', reply = input.xml, finished_at = now()
    FROM input WHERE p.key = input.key
    RETURNING p.key
  )
  SELECT input.ord, m.id AS message_id, (SELECT count(*) FROM done)::int AS done
  FROM input LEFT JOIN m ON m.conversation_id = input.conversation_id AND input.content IS NOT NULL
  ORDER BY input.ord;
END
$fn$;
