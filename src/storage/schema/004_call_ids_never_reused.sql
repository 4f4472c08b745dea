-- Migration 4: call ids are never reused.
-- A call's id names its audio folder, its export files and its audit entries. With a plain INTEGER
-- PRIMARY KEY, SQLite hands the id of the newest deleted call to the next call, so anything left
-- of the old call under that id (a folder whose removal failed, an audit line) would be read as
-- the new call's. AUTOINCREMENT never hands out an id twice. SQLite cannot add AUTOINCREMENT to a
-- table in place: the table is rebuilt with foreign keys off (Zapis migrates before it turns them
-- on), keeping every id, so the rows that reference calls stay valid.

CREATE TABLE calls_rebuilt (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO calls_rebuilt (id, title, started_at, ended_at, duration_ms, language, source, status,
                           audio_dir, created_at)
    SELECT id, title, started_at, ended_at, duration_ms, language, source, status, audio_dir,
           created_at
    FROM calls;
DROP TABLE calls;
ALTER TABLE calls_rebuilt RENAME TO calls;
CREATE INDEX calls_by_start ON calls (started_at DESC, id DESC);

-- Ids already handed out before this version and since deleted are known from the audit log
-- ("call.created" names "call N"): start above the highest of them too.
DELETE FROM sqlite_sequence WHERE name = 'calls';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'calls', max(
        coalesce((SELECT max(id) FROM calls), 0),
        coalesce((SELECT max(CAST(substr(subject, 6) AS INTEGER)) FROM audit_log
                  WHERE subject LIKE 'call %'), 0));
