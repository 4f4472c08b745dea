-- Search by meaning in the team library: each shared transcript line may carry its sentence
-- vector (all-MiniLM-L6-v2, 384 numbers, made on the rep's machine), indexed with pgvector's
-- HNSW for the nearest lines by cosine. Added by `zapis team setup` when the database has the
-- `vector` extension (a superuser's `CREATE EXTENSION vector`); without it the team searches
-- by words alone. @vector@ is the schema the extension lives in.

ALTER TABLE zapis.segments ADD COLUMN meaning @vector@.vector(384);
CREATE INDEX segments_meaning ON zapis.segments USING hnsw (meaning @vector@.vector_cosine_ops);

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
        SELECT s.call_id, s.speaker, s.start_ms, s.text, s.meaning <=> query::vector(384) AS distance
        FROM zapis.segments s JOIN zapis.calls c ON c.global_id = s.call_id
        WHERE s.meaning IS NOT NULL
          AND EXISTS (SELECT 1 FROM zapis.reps r
                      WHERE r.role_name = session_user AND r.removed_at IS NULL
                        AND (c.rep = session_user OR r.is_manager
                             OR c.account IN (SELECT m.account FROM zapis.account_members m
                                              WHERE m.rep = session_user)))
        ORDER BY s.meaning <=> query::vector(384)
        LIMIT max_hits)
    SELECT c.global_id, c.rep, c.title, c.started_at, n.speaker, n.start_ms, n.text,
           (1 - n.distance)::real
    FROM near n JOIN zapis.calls c ON c.global_id = n.call_id
    ORDER BY n.distance, c.global_id, n.start_ms
$$;
REVOKE ALL ON FUNCTION zapis.search_by_meaning(real[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zapis.search_by_meaning(real[], integer) TO zapis_rep;
