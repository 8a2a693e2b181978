-- kb_merge_variants: its current body. Applied at every start, after the migrations, inside the
-- migration lock (CREATE OR REPLACE: idempotent). Change the function here, not in a migration;
-- a change of its arguments or return type needs a migration that drops the old one first.
--
-- Merges an unanswered cluster's example wordings in one statement: those it has, then the new
-- ones (distinct) that are neither its representative text nor already kept, in the order they
-- came, up to p_cap in all. The unanswered log writes a whole batch with one UPDATE using it.
CREATE OR REPLACE FUNCTION kb_merge_variants(p_variants jsonb, p_text text, p_new jsonb, p_cap int)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $fn$
  SELECT p_variants || COALESCE((
    SELECT jsonb_agg(w.v ORDER BY w.o) FROM (
      SELECT a.v, a.o
      FROM jsonb_array_elements(COALESCE(p_new, '[]'::jsonb)) WITH ORDINALITY AS a(v, o)
      WHERE a.v <> to_jsonb(p_text) AND NOT p_variants @> jsonb_build_array(a.v)
      ORDER BY a.o
      LIMIT GREATEST(0, p_cap - jsonb_array_length(p_variants))
    ) w
  ), '[]'::jsonb)
$fn$;
