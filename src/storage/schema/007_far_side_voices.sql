-- Migration 7: the far side's voices, told apart by diarization after the call.
-- segments.voice says which voice of call_voices spoke a customer line (NULL: not diarized, or a
-- rep line); segments.speaker keeps the label shown, so everything that reads segments follows.
ALTER TABLE segments ADD COLUMN voice INTEGER;

CREATE TABLE call_voices (
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    voice       INTEGER NOT NULL,
    label       TEXT NOT NULL,
    named_by    TEXT NOT NULL CHECK (named_by IN ('anonymous', 'only-remote', 'introduction', 'earlier-call', 'user')),
    speech_ms   INTEGER NOT NULL,
    -- A unit-length CAM++ voiceprint (f32 little-endian). Biometric: it never leaves this
    -- library (not shared with the team), and goes with the call when the call is erased.
    voiceprint  BLOB,
    PRIMARY KEY (call_id, voice)
);
