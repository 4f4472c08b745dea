-- Migration 2: conversation intelligence derived from transcripts.

-- One row of derived conversation intelligence per call; the JSON holds summary, sentiment and metrics.
CREATE TABLE insights (
    call_id          INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    computed_at      TEXT NOT NULL,
    sentiment_score  REAL,
    sentiment_label  TEXT CHECK (sentiment_label IN ('positive', 'neutral', 'negative')),
    body             TEXT NOT NULL
);

CREATE TABLE action_items (
    id          INTEGER PRIMARY KEY,
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due_date    TEXT,
    segment_id  INTEGER REFERENCES segments (id) ON DELETE SET NULL,
    done        INTEGER NOT NULL DEFAULT 0,
    edited      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX action_items_by_call ON action_items (call_id);

CREATE TABLE keywords (
    call_id           INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    term              TEXT NOT NULL,
    count             INTEGER NOT NULL,
    tracked           INTEGER NOT NULL DEFAULT 0,
    first_mention_ms  INTEGER,
    PRIMARY KEY (call_id, term)
) WITHOUT ROWID;

-- The distinct terms of each call, so keyword TF-IDF can weigh a call against the user's own history.
CREATE TABLE call_terms (
    call_id  INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    term     TEXT NOT NULL,
    PRIMARY KEY (call_id, term)
) WITHOUT ROWID;
CREATE TABLE term_doc_freq (
    term   TEXT PRIMARY KEY,
    calls  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER call_terms_insert AFTER INSERT ON call_terms BEGIN
    INSERT INTO term_doc_freq (term, calls) VALUES (new.term, 1)
        ON CONFLICT (term) DO UPDATE SET calls = calls + 1;
END;
CREATE TRIGGER call_terms_delete AFTER DELETE ON call_terms BEGIN
    UPDATE term_doc_freq SET calls = calls - 1 WHERE term = old.term;
    DELETE FROM term_doc_freq WHERE term = old.term AND calls <= 0;
END;

CREATE TABLE tracked_keywords (
    term      TEXT PRIMARY KEY COLLATE NOCASE,
    category  TEXT NOT NULL
);
