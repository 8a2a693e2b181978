-- wx_record_replies: its current body. Applied at every start, after the migrations, inside the
-- migration lock (CREATE OR REPLACE: idempotent). Change the function here, not in a migration;
-- a change of its arguments or return type needs a migration that drops the old one first.
--
-- The push hot path's second statement: stores the passive replies of a batch (with the bot's
-- turn) and marks each push done with its reply XML, so a WeChat retry gets the same answer.
-- "Mark done" matches processed_pushes by an "= ANY (ARRAY(...))" of the batch's keys: without
-- it the planner chose a hash join over a sequential scan (jsonb_to_recordset is estimated at
-- 100 rows and PGlite has no autovacuum statistics), whose cost grew with every push stored.
CREATE OR REPLACE FUNCTION wx_record_replies(p_input jsonb)
RETURNS TABLE (ord int, message_id bigint, done int)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(p_input)
      AS t(ord int, key text, conversation_id int, content text, xml text, turn jsonb)
  ), m AS (
    INSERT INTO messages (conversation_id, direction, sender, kind, content, delivery)
    SELECT conversation_id, 'out', 'bot', 'text', content, 'passive' FROM input WHERE content IS NOT NULL
    RETURNING id, conversation_id
  ), bt AS (
    INSERT INTO bot_turns (conversation_id, question, band, entry_id, suggestions, score)
    SELECT conversation_id, turn->>'question', turn->>'band', (turn->>'entryId')::int,
           NULLIF(turn->'suggestions', 'null'::jsonb), (turn->>'score')::real
    FROM input WHERE turn IS NOT NULL AND jsonb_typeof(turn) = 'object'
  ), done AS (
    UPDATE processed_pushes p SET status = 'done', reply = input.xml, finished_at = now()
    FROM input WHERE p.key = input.key AND p.key = ANY (ARRAY(SELECT key FROM input))
    RETURNING p.key
  )
  SELECT input.ord, m.id AS message_id, (SELECT count(*) FROM done)::int AS done
  FROM input LEFT JOIN m ON m.conversation_id = input.conversation_id AND input.content IS NOT NULL
  ORDER BY input.ord;
END
$fn$;
