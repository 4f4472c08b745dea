-- Search by meaning, step 2: vectors found at once, put into the HNSW graph afterwards.
-- Putting a line into pgvector's HNSW graph costs the server 3 to 7 ms (bench/team.sh), so a
-- rep joining with 2,000 calls (200,000 lines) waited 10 to 20 minutes before the team found
-- them by meaning. Now a sync puts the vectors into zapis.segment_meanings_fresh, a plain table
-- that takes them as fast as the lines themselves, and the search compares the query with each
-- of them exactly (no index) besides walking the graph. Every sync afterwards moves about 30 s
-- worth of them into the graph (zapis.index_fresh_meanings), whoever's they are, so the table
-- drains over the following syncs (a 2,000-call backlog in 17 to 45 of them, bench/team.sh).
-- Applied by `zapis team setup` after meaning.sql; @vector@ is pgvector's schema.

CREATE TABLE zapis.segment_meanings_fresh (
    call_id    text NOT NULL REFERENCES zapis.calls (global_id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    words_md5  text NOT NULL,
    meaning    @vector@.vector(384) NOT NULL,
    PRIMARY KEY (call_id, seq)
);

-- The same rule as the graph's: visible with its call, written only by the call's rep.
ALTER TABLE zapis.segment_meanings_fresh ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON zapis.segment_meanings_fresh TO zapis_rep;
CREATE POLICY segment_meanings_fresh_read ON zapis.segment_meanings_fresh FOR SELECT USING (
    EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id));
CREATE POLICY segment_meanings_fresh_write ON zapis.segment_meanings_fresh FOR ALL USING (
    EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id AND c.rep = current_user))
    WITH CHECK (EXISTS (SELECT 1 FROM zapis.calls c
                        WHERE c.global_id = call_id AND c.rep = current_user));

-- Moves up to `max_lines` (at most 1,000) fresh vectors into the graph and returns how many it
-- moved. Any member may run it for everyone's lines (SECURITY DEFINER): it changes where a
-- vector is kept, not what anyone can see or what it says. It locks each line's call as well
-- as the line, before any work, skipping what another transaction holds: two syncs move
-- different lines at once, and a call being removed or erased is left alone (locking only the
-- line, the graph insert's foreign-key check would wait for the call at the end, while the
-- call's deletion waited for the line: a deadlock). A call pushed again is not held up: its
-- push deletes a reworded line's waiting vector before its placed one (see sync.rs).
CREATE FUNCTION zapis.index_fresh_meanings(max_lines integer) RETURNS integer
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, zapis, @vector@ AS $$
    WITH picked AS MATERIALIZED (
        SELECT f.call_id, f.seq
        FROM zapis.segment_meanings_fresh f JOIN zapis.calls c ON c.global_id = f.call_id
        LIMIT LEAST(max_lines, 1000)
        FOR UPDATE OF f SKIP LOCKED
        FOR KEY SHARE OF c SKIP LOCKED),
    moved AS (
        DELETE FROM zapis.segment_meanings_fresh f
        USING picked p WHERE f.call_id = p.call_id AND f.seq = p.seq
        RETURNING f.call_id, f.seq, f.words_md5, f.meaning),
    placed AS (
        INSERT INTO zapis.segment_meanings (call_id, seq, words_md5, meaning)
        SELECT call_id, seq, words_md5, meaning FROM moved
        ON CONFLICT (call_id, seq) DO UPDATE
            SET words_md5 = EXCLUDED.words_md5, meaning = EXCLUDED.meaning
        RETURNING 1)
    SELECT count(*)::integer FROM placed
$$;
REVOKE ALL ON FUNCTION zapis.index_fresh_meanings(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zapis.index_fresh_meanings(integer) TO zapis_rep;

-- As meaning.sql's, plus the fresh lines, each compared with the query: the nearest of both,
-- under the same visibility rule. A manager may see every fresh line, so they are all compared;
-- a rep's fresh lines are looked up from the calls the rep may see (by the calls' indexes and
-- the fresh table's key), so a teammate's long backlog waiting to go into the graph costs a
-- rep's search nothing. `manager` is an init plan, so only one of the two branches runs.
CREATE OR REPLACE FUNCTION zapis.search_by_meaning(query real[], max_hits integer)
    RETURNS TABLE (global_id text, rep text, title text, started_at timestamptz, speaker text,
                   start_ms bigint, line text, similarity real)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, zapis, @vector@
    SET hnsw.iterative_scan = 'relaxed_order' AS $$
    WITH in_graph AS MATERIALIZED (
        SELECT m.call_id, m.seq, m.meaning <=> query::vector(384) AS distance
        FROM zapis.segment_meanings m JOIN zapis.calls c ON c.global_id = m.call_id
        WHERE EXISTS (SELECT 1 FROM zapis.reps r
                      WHERE r.role_name = session_user AND r.removed_at IS NULL
                        AND (c.rep = session_user OR r.is_manager
                             OR c.account IN (SELECT a.account FROM zapis.account_members a
                                              WHERE a.rep = session_user)))
        ORDER BY m.meaning <=> query::vector(384)
        LIMIT max_hits),
    fresh AS MATERIALIZED (
        SELECT f.call_id, f.seq, f.meaning <=> query::vector(384) AS distance
        FROM zapis.segment_meanings_fresh f
        WHERE (SELECT r.is_manager FROM zapis.reps r
               WHERE r.role_name = session_user AND r.removed_at IS NULL)
        UNION ALL
        SELECT c.global_id, f.seq, f.meaning <=> query::vector(384)
        FROM zapis.calls c
             -- OFFSET 0 keeps this a lookup per call: joined plainly, the planner scans the
             -- whole fresh table (60 ms against 1 ms with 180,000 lines waiting, bench/team.sh).
             CROSS JOIN LATERAL (SELECT w.seq, w.meaning FROM zapis.segment_meanings_fresh w
                                 WHERE w.call_id = c.global_id OFFSET 0) f
        WHERE NOT coalesce((SELECT r.is_manager FROM zapis.reps r
                            WHERE r.role_name = session_user AND r.removed_at IS NULL), true)
          AND (c.rep = session_user
               OR c.account IN (SELECT a.account FROM zapis.account_members a
                                WHERE a.rep = session_user))
        ORDER BY 3
        LIMIT max_hits),
    near AS (
        SELECT * FROM in_graph UNION ALL SELECT * FROM fresh
        ORDER BY distance
        LIMIT max_hits)
    SELECT c.global_id, c.rep, c.title, c.started_at, s.speaker, s.start_ms, s.text,
           (1 - n.distance)::real
    FROM near n JOIN zapis.calls c ON c.global_id = n.call_id
         JOIN zapis.segments s ON s.call_id = n.call_id AND s.seq = n.seq
    ORDER BY n.distance, c.global_id, s.start_ms
$$;
