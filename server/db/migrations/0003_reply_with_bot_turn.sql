-- One statement fewer per push: the bot's turn is stored in the same statement as the passive
-- reply. The current body is server/db/functions/wx_record_replies.sql. An input item may carry "turn":
-- {question, band, entryId, suggestions, score}; see server/chat/push-turn.repo.ts.
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
    FROM input WHERE p.key = input.key
    RETURNING p.key
  )
  SELECT input.ord, m.id AS message_id, (SELECT count(*) FROM done)::int AS done
  FROM input LEFT JOIN m ON m.conversation_id = input.conversation_id AND input.content IS NOT NULL
  ORDER BY input.ord;
END
$fn$;
