-- The team library, version 1. Run by `zapis team setup` as a role that may create roles
-- (the database owner), in one transaction. Every rep and manager logs in as their own role;
-- PostgreSQL's row-level security decides what each one reads and writes, so a bug in a client
-- cannot show a rep another rep's calls.

DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zapis_rep') THEN
        CREATE ROLE zapis_rep NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zapis_manager') THEN
        CREATE ROLE zapis_manager NOLOGIN;
    END IF;
END $$;
GRANT zapis_rep TO zapis_manager;

CREATE SCHEMA zapis;
GRANT USAGE ON SCHEMA zapis TO zapis_rep;

CREATE TABLE zapis.schema_version (version integer NOT NULL);
INSERT INTO zapis.schema_version VALUES (1);
GRANT SELECT ON zapis.schema_version TO zapis_rep;

-- The people on the team. A removed rep keeps their shared calls in the library (the account's
-- history is the team's) but can no longer log in or write.
CREATE TABLE zapis.reps (
    role_name     text PRIMARY KEY,
    display_name  text NOT NULL,
    is_manager    boolean NOT NULL DEFAULT false,
    added_at      timestamptz NOT NULL DEFAULT now(),
    removed_at    timestamptz
);
GRANT SELECT ON zapis.reps TO zapis_rep;

-- The team's own settings: which calls a rep who joins shares until they choose otherwise.
CREATE TABLE zapis.team_settings (
    id                    integer PRIMARY KEY CHECK (id = 1),
    default_share_policy  text NOT NULL DEFAULT 'chosen-calls'
                          CHECK (default_share_policy IN ('chosen-calls', 'all-calls'))
);
INSERT INTO zapis.team_settings (id) VALUES (1);
GRANT SELECT ON zapis.team_settings TO zapis_rep;
GRANT UPDATE ON zapis.team_settings TO zapis_manager;

-- Which reps work an account: they see each other's calls with it.
CREATE TABLE zapis.account_members (
    account  text NOT NULL,
    rep      text NOT NULL REFERENCES zapis.reps (role_name) ON DELETE CASCADE,
    PRIMARY KEY (account, rep)
);
GRANT SELECT ON zapis.account_members TO zapis_rep;

CREATE TABLE zapis.calls (
    global_id        text PRIMARY KEY,
    rep              text NOT NULL REFERENCES zapis.reps (role_name),
    title            text NOT NULL,
    started_at       timestamptz NOT NULL,
    duration_ms      bigint NOT NULL,
    language         text NOT NULL,
    source           text NOT NULL,
    account          text,
    sentiment_label  text,
    sentiment_score  double precision,
    insights         jsonb,
    -- Talk metrics for the team view, taken from the call's insights when it is pushed: the
    -- rep's share of the talking (0..1), the questions the rep asked, and the longest stretch
    -- the customer side talked without the rep.
    rep_talk_share                 real,
    rep_questions                  integer,
    longest_customer_monologue_ms  bigint,
    -- Kept by a trigger on zapis.action_items, so the team view is one scan of the period's
    -- calls rather than a join over every item (and that item's own policy check).
    open_action_items  integer NOT NULL DEFAULT 0,
    pushed_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_by_rep ON zapis.calls (rep, started_at DESC);
CREATE INDEX calls_by_start ON zapis.calls (started_at);
CREATE INDEX calls_by_account ON zapis.calls (account, started_at DESC);

CREATE TABLE zapis.participants (
    call_id  text NOT NULL REFERENCES zapis.calls (global_id) ON DELETE CASCADE,
    seq      integer NOT NULL,
    name     text NOT NULL,
    email    text,
    role     text NOT NULL,
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX participants_by_email ON zapis.participants (lower(email));

CREATE TABLE zapis.consent_receipts (
    call_id            text NOT NULL REFERENCES zapis.calls (global_id) ON DELETE CASCADE,
    seq                integer NOT NULL,
    participant_name   text NOT NULL,
    participant_email  text,
    decision           text NOT NULL,
    decided_at         timestamptz NOT NULL,
    notice_version     text NOT NULL,
    language           text NOT NULL,
    method             text NOT NULL,
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX consent_by_email ON zapis.consent_receipts (lower(participant_email));

-- 'simple' text search: calls are in English and Serbian, and a language's stemmer would
-- mangle the other's words.
CREATE TABLE zapis.segments (
    call_id   text NOT NULL REFERENCES zapis.calls (global_id) ON DELETE CASCADE,
    seq       integer NOT NULL,
    speaker   text NOT NULL,
    role      text NOT NULL,
    start_ms  bigint NOT NULL,
    end_ms    bigint NOT NULL,
    text      text NOT NULL,
    words     tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX segments_words ON zapis.segments USING gin (words);

CREATE TABLE zapis.action_items (
    global_id   text PRIMARY KEY,
    call_id     text NOT NULL REFERENCES zapis.calls (global_id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    text        text NOT NULL,
    owner       text NOT NULL,
    due_date    date,
    done        boolean NOT NULL,
    edited      boolean NOT NULL,
    -- The last change by hand and who made it (NULL: as the insights made it); the last writer
    -- wins in both directions.
    updated_at  timestamptz,
    updated_by  text
);
CREATE INDEX action_items_by_call ON zapis.action_items (call_id);
CREATE INDEX action_items_by_update ON zapis.action_items (updated_at);

-- People erased from the whole team: only a hash of their email, so a rep's later sync can
-- neither bring them back nor needs to know who they were.
CREATE TABLE zapis.erasures (
    seq           bigserial PRIMARY KEY,
    subject_hash  text NOT NULL UNIQUE,
    at            timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON zapis.erasures TO zapis_rep;

-- What happened, never what was said.
CREATE TABLE zapis.audit (
    seq     bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text NOT NULL DEFAULT current_user,
    action  text NOT NULL,
    detail  jsonb NOT NULL DEFAULT '{}'
);

-- Whether the logged-in role is an active member, and a manager. SECURITY DEFINER so the
-- policies can read zapis.reps whatever the caller's grants; inside such a function
-- current_user is the function's owner, so these name the caller by session_user.
CREATE FUNCTION zapis.is_active_rep() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, zapis AS $$
    SELECT EXISTS (SELECT 1 FROM zapis.reps WHERE role_name = session_user AND removed_at IS NULL)
$$;
CREATE FUNCTION zapis.is_manager() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, zapis AS $$
    SELECT EXISTS (SELECT 1 FROM zapis.reps
                   WHERE role_name = session_user AND removed_at IS NULL AND is_manager)
$$;
CREATE FUNCTION zapis.my_accounts() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, zapis AS $$
    SELECT account FROM zapis.account_members WHERE rep = session_user
$$;

-- Calls: a rep reads their own and their accounts' calls, a manager the team's; only the rep
-- who recorded a call writes or deletes it. The functions are wrapped in sub-selects so that
-- PostgreSQL evaluates them once per statement, not once per row.
ALTER TABLE zapis.calls ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON zapis.calls TO zapis_rep;
CREATE POLICY calls_read ON zapis.calls FOR SELECT USING (
    (SELECT zapis.is_active_rep()) AND (
        rep = current_user OR (SELECT zapis.is_manager())
        OR account = ANY (ARRAY(SELECT zapis.my_accounts()))));
CREATE POLICY calls_insert ON zapis.calls FOR INSERT
    WITH CHECK (rep = current_user AND (SELECT zapis.is_active_rep()));
CREATE POLICY calls_update ON zapis.calls FOR UPDATE
    USING (rep = current_user AND (SELECT zapis.is_active_rep()))
    WITH CHECK (rep = current_user);
CREATE POLICY calls_delete ON zapis.calls FOR DELETE
    USING (rep = current_user AND (SELECT zapis.is_active_rep()));

-- What belongs to a call is visible exactly when its call is (the subquery runs under the
-- caller's own policies on zapis.calls) and written only by the call's rep.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['participants', 'consent_receipts', 'segments'] LOOP
        EXECUTE format('ALTER TABLE zapis.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON zapis.%I TO zapis_rep', t);
        EXECUTE format($p$CREATE POLICY %I ON zapis.%I FOR SELECT USING (
            EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id))$p$,
            t || '_read', t);
        EXECUTE format($p$CREATE POLICY %I ON zapis.%I FOR ALL USING (
            EXISTS (SELECT 1 FROM zapis.calls c
                    WHERE c.global_id = call_id AND c.rep = current_user))
            WITH CHECK (EXISTS (SELECT 1 FROM zapis.calls c
                    WHERE c.global_id = call_id AND c.rep = current_user))$p$,
            t || '_write', t);
    END LOOP;
END $$;

-- Action items: the call's rep writes them; anyone who sees the call may tick one off or edit
-- it (a manager following up, a teammate on the account), which the rep's next sync pulls.
ALTER TABLE zapis.action_items ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON zapis.action_items TO zapis_rep;
CREATE POLICY action_items_read ON zapis.action_items FOR SELECT USING (
    EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id));
CREATE POLICY action_items_update ON zapis.action_items FOR UPDATE
    USING (EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id))
    WITH CHECK (EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id));
CREATE POLICY action_items_insert ON zapis.action_items FOR INSERT WITH CHECK (
    EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id AND c.rep = current_user));
CREATE POLICY action_items_delete ON zapis.action_items FOR DELETE USING (
    EXISTS (SELECT 1 FROM zapis.calls c WHERE c.global_id = call_id AND c.rep = current_user));

-- A manager erases a person from the whole team: every call they were on (with everything in
-- it), a tombstone so no rep's sync brings them back, and an audit row that keeps only that it
-- happened and how much went. The exclusive advisory lock waits for pushes in flight (each
-- takes it shared), so a call being pushed during the erasure is erased with the rest.
CREATE FUNCTION zapis.erase_person(email text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, zapis AS $$
DECLARE
    victim_calls text[];
    counts jsonb;
BEGIN
    IF NOT zapis.is_manager() THEN
        RAISE EXCEPTION 'only a team manager may erase a person from the team library'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('zapis.erasure'));
    SELECT coalesce(array_agg(DISTINCT call_id), '{}') INTO victim_calls FROM (
        SELECT call_id FROM zapis.participants WHERE lower(participants.email) = lower(erase_person.email)
        UNION
        SELECT call_id FROM zapis.consent_receipts
            WHERE lower(participant_email) = lower(erase_person.email)) found;
    SELECT jsonb_build_object(
        'calls', cardinality(victim_calls),
        'segments', (SELECT count(*) FROM zapis.segments WHERE call_id = ANY (victim_calls)),
        'action_items', (SELECT count(*) FROM zapis.action_items WHERE call_id = ANY (victim_calls)))
        INTO counts;
    DELETE FROM zapis.calls WHERE global_id = ANY (victim_calls);
    INSERT INTO zapis.erasures (subject_hash)
        VALUES (encode(sha256(convert_to(lower(trim(erase_person.email)), 'UTF8')), 'hex'))
        ON CONFLICT (subject_hash) DO NOTHING;
    INSERT INTO zapis.audit (action, detail) VALUES ('person.erased', counts);
    RETURN counts;
END $$;
REVOKE ALL ON FUNCTION zapis.erase_person(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zapis.erase_person(text) TO zapis_manager;

-- A teammate's edit to an action item is stamped with who made it and when, whatever the
-- client sent, so the rep's next sync applies it and the last writer can be told.
CREATE FUNCTION zapis.stamp_teammate_edit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, zapis AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM zapis.calls
                   WHERE global_id = NEW.call_id AND rep = session_user) THEN
        NEW.updated_at := now();
        NEW.updated_by := session_user;
        NEW.edited := true;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER action_items_stamp BEFORE UPDATE ON zapis.action_items
    FOR EACH ROW EXECUTE FUNCTION zapis.stamp_teammate_edit();

-- Team search. `@@` is not leakproof, so under row-level security PostgreSQL must check each
-- segment's policy before it may use the search index: 3 s for a two-word query over a million
-- segments (bench/team.sh). This function runs as the owner and applies the same visibility as
-- calls_read itself: the caller's own calls, the team's for a manager, and the calls of
-- accounts the caller works. Hits come newest call first, each call's lines in order: what a
-- team search is read for ("what did customers say about pricing lately").
--
-- Two steps, because no single plan is good for every query: a common word matches thousands
-- of lines, and ranking them all read 600,000 lines for "sso" over 10 M segments (1.8 s); a
-- phrase or a rare word matches few, and walking the newest lines until enough match read all
-- 10 M for a phrase that never occurs (14 s). So: the newest 200 calls the caller may see
-- first (at most 200 calls' lines, by primary key); only when they hold fewer hits than asked
-- for, every matching line through the search index.
CREATE FUNCTION zapis.search(query text, max_hits integer)
    RETURNS TABLE (global_id text, rep text, title text, started_at timestamptz, speaker text,
                   start_ms bigint, line text, rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, zapis AS $$
DECLARE
    visible CONSTANT text := $v$
        EXISTS (SELECT 1 FROM zapis.reps r
                WHERE r.role_name = session_user AND r.removed_at IS NULL
                  AND (c.rep = session_user OR r.is_manager
                       OR c.account IN (SELECT account FROM zapis.account_members
                                        WHERE rep = session_user))) $v$;
    recent CONSTANT text := format($r$
        WITH c AS MATERIALIZED (SELECT * FROM zapis.calls c WHERE %s
                                ORDER BY c.started_at DESC LIMIT 200)
        SELECT c.global_id, c.rep, c.title, c.started_at, s.speaker, s.start_ms, s.text,
               ts_rank(s.words, websearch_to_tsquery('simple', $1))
        FROM c JOIN zapis.segments s ON s.call_id = c.global_id
        WHERE s.words @@ websearch_to_tsquery('simple', $1)
        ORDER BY c.started_at DESC, s.call_id, s.start_ms LIMIT $2 $r$, visible);
    everywhere CONSTANT text := format($e$
        WITH hit AS MATERIALIZED (
            SELECT c.global_id, c.rep, c.title, c.started_at, s.speaker, s.start_ms, s.text,
                   ts_rank(s.words, websearch_to_tsquery('simple', $1)) AS rank
            FROM zapis.segments s JOIN zapis.calls c ON c.global_id = s.call_id
            WHERE s.words @@ websearch_to_tsquery('simple', $1) AND %s)
        SELECT * FROM hit ORDER BY started_at DESC, global_id, start_ms LIMIT $2 $e$, visible);
    found integer;
BEGIN
    EXECUTE format('SELECT count(*) FROM (%s) x', recent) INTO found USING query, max_hits;
    IF found >= max_hits THEN
        RETURN QUERY EXECUTE recent USING query, max_hits;
    ELSE
        RETURN QUERY EXECUTE everywhere USING query, max_hits;
    END IF;
END $$;
REVOKE ALL ON FUNCTION zapis.search(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION zapis.search(text, integer) TO zapis_rep;

-- The open items of a call, on the call (see zapis.calls.open_action_items).
CREATE FUNCTION zapis.count_open_items() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, zapis AS $$
DECLARE id text;
BEGIN
    FOREACH id IN ARRAY ARRAY[CASE WHEN TG_OP <> 'INSERT' THEN OLD.call_id END,
                              CASE WHEN TG_OP <> 'DELETE' THEN NEW.call_id END] LOOP
        IF id IS NOT NULL THEN
            UPDATE zapis.calls SET open_action_items =
                (SELECT count(*) FROM zapis.action_items WHERE call_id = id AND NOT done)
            WHERE global_id = id;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER action_items_count_open AFTER INSERT OR UPDATE OR DELETE ON zapis.action_items
    FOR EACH ROW EXECUTE FUNCTION zapis.count_open_items();
