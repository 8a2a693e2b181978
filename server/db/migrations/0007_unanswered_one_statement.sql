-- The unanswered log wrote one UPDATE per distinct wording inside one transaction (about 30 per
-- 100 ms batch under load), and PGlite ran every push behind it. A batch is now one statement
-- (server/kb/unanswered.service.ts); the current body is server/db/functions/kb_merge_variants.sql. This function merges a
-- cluster's example wordings: those it has, then the new ones (distinct) that are neither its
-- representative text nor already kept, in the order they came, up to p_cap in all.
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
