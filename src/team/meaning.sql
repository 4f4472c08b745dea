-- Search by meaning in the team library: each shared transcript line may carry its sentence
-- vector (all-MiniLM-L6-v2, 384 numbers, made on the rep's machine), indexed with pgvector's
-- HNSW for the nearest lines by cosine. Added by `zapis team setup` when the database has the
-- `vector` extension (a superuser's `CREATE EXTENSION vector`); without it the team searches
-- by words alone. @vector@ is the schema the extension lives in.
--
-- The vectors live in a table of their own, not on the lines: putting a vector into the HNSW
-- graph costs milliseconds (about 6 ms a line at a million lines, bench/team.sh), a hundred
-- times what the line itself costs. A sync pushes a rep's calls first, so the team sees them
-- in seconds, and their vectors after; a call pushed again (a ticked-off item, a renamed
-- voice) keeps the vectors of the lines whose words did not change instead of indexing them
-- all again.

-- The first version kept the vector on zapis.segments; a library set up with it moves here.
DROP FUNCTION IF EXISTS zapis.search_by_meaning(real[], integer);
ALTER TABLE zapis.segments DROP COLUMN IF EXISTS meaning;

-- `words_md5`: the md5 of the line's text the vector was made from, so a line whose words
-- changed loses its stale vector when its call is pushed again.
CREATE TABLE zapis.segment_meanings (
    call_id    text NOT NULL REFERENCES zapis.calls (global_id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    words_md5  text NOT NULL,
    meaning    @vector@.vector(384) NOT NULL,
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX segment_meanings_hnsw ON zapis.segment_meanings
    USING hnsw (meaning @vector@.vector_cosine_ops);

-- Visible with its call, written only by the call's rep (as the lines themselves).
ALTER TABLE zapis.segment_meanings ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON zapis.segment_meanings TO zapis_rep;
CREATE POLICY segment_meanings_read ON zapis.segment_meanings FOR SELECT USING (
    EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id));
CREATE POLICY segment_meanings_write ON zapis.segment_meanings FOR ALL USING (
    EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id AND c.rep = current_user))
    WITH CHECK (EXISTS (SELECT 1 FROM zapis.calls c
                        WHERE c.global_id = call_id AND c.rep = current_user));

-- The lines nearest in meaning to `query` (a sentence vector; an array, so a client needs no
-- knowledge of pgvector's type) among those the caller may see, nearest first.
-- SECURITY DEFINER for the same reason as zapis.search: through the policies PostgreSQL cannot
-- walk the index in distance order. The caller's visibility is the calls policy's rule, by
-- session_user. pgvector's iterative index scan keeps walking the graph while lines the
-- caller may not see are filtered out, so a rep on few accounts still gets `max_hits` lines;
-- its relaxed order is put right by the final sort.
CREATE FUNCTION zapis.search_by_meaning(query real[], max_hits integer)
    RETURNS TABLE (global_id text, rep text, title text, started_at timestamptz, speaker text,
                   start_ms bigint, line text, similarity real)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, zapis, @vector@
    SET hnsw.iterative_scan = 'relaxed_order' AS $$
    WITH near AS MATERIALIZED (
        SELECT m.call_id, m.seq, m.meaning <=> query::vector(384) AS distance
        FROM zapis.segment_meanings m JOIN zapis.calls c ON c.global_id = m.call_id
        WHERE EXISTS (SELECT 1 FROM zapis.reps r
                      WHERE r.role_name = session_user AND r.removed_at IS NULL
                        AND (c.rep = session_user OR r.is_manager
                             OR c.account IN (SELECT a.account FROM zapis.account_members a
                                              WHERE a.rep = session_user)))
        ORDER BY m.meaning <=> query::vector(384)
        LIMIT max_hits)
    SELECT c.global_id, c.rep, c.title, c.started_at, s.speaker, s.start_ms, s.text,
           (1 - n.distance)::real
    FROM near n JOIN zapis.calls c ON c.global_id = n.call_id
         JOIN zapis.segments s ON s.call_id = n.call_id AND s.seq = n.seq
    ORDER BY n.distance, c.global_id, s.start_ms
$$;
REVOKE ALL ON FUNCTION zapis.search_by_meaning(real[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zapis.search_by_meaning(real[], integer) TO zapis_rep;
