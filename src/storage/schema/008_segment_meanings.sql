-- Migration 8: a sentence vector per transcript line (all-MiniLM-L6-v2, 384 dimensions stored as
-- little-endian f16), for search by meaning. Derived from the line's text: it goes with the line
-- (a new transcript, an erased call) and is never shared with the team.
CREATE TABLE segment_vectors (
    segment_id  INTEGER PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    vector      BLOB NOT NULL
);
CREATE INDEX segment_vectors_by_call ON segment_vectors (call_id);
