-- Migration 1: the call library.
-- Timestamps are UTC RFC 3339 text ("2026-11-28T10:36:00Z"); durations and offsets are milliseconds.

CREATE TABLE calls (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    duration_ms  INTEGER NOT NULL DEFAULT 0,
    language     TEXT NOT NULL DEFAULT 'en',
    source       TEXT NOT NULL CHECK (source IN ('recorded', 'imported-audio', 'imported-transcript')),
    status       TEXT NOT NULL CHECK (status IN ('recording', 'processing', 'ready', 'failed', 'interrupted')),
    audio_dir    TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX calls_by_start ON calls (started_at DESC, id DESC);

CREATE TABLE participants (
    id       INTEGER PRIMARY KEY,
    call_id  INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    email    TEXT COLLATE NOCASE,
    role     TEXT NOT NULL CHECK (role IN ('rep', 'customer'))
);
CREATE INDEX participants_by_call ON participants (call_id);
CREATE INDEX participants_by_email ON participants (email);

CREATE TABLE consent_receipts (
    id                 INTEGER PRIMARY KEY,
    call_id            INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    participant_name   TEXT NOT NULL,
    participant_email  TEXT COLLATE NOCASE,
    decision           TEXT NOT NULL CHECK (decision IN ('granted', 'declined', 'withdrawn')),
    decided_at         TEXT NOT NULL,
    notice_version     TEXT NOT NULL,
    language           TEXT NOT NULL,
    method             TEXT NOT NULL CHECK (method IN ('on-screen', 'verbal', 'imported'))
);
CREATE INDEX consent_by_call ON consent_receipts (call_id);

CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    speaker     TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('rep', 'customer')),
    start_ms    INTEGER NOT NULL,
    end_ms      INTEGER NOT NULL,
    text        TEXT NOT NULL,
    confidence  REAL
);
CREATE INDEX segments_by_call ON segments (call_id, start_ms);

-- External-content FTS5 index over segment text, kept in sync by the triggers below.
CREATE VIRTUAL TABLE segments_fts USING fts5 (
    text,
    content = 'segments',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER segments_fts_update AFTER UPDATE OF text ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO segments_fts (rowid, text) VALUES (new.id, new.text);
END;

-- What happened, never what was said: erasures keep only that they happened.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
