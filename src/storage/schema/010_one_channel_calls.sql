-- Migration 10: recordings with everyone on one channel (a mono import), and the rep's voice.
-- In such a call no track is the rep's: every line's speaker comes from telling the voices
-- apart, the rep's included, and a line is the rep's when its voice carries the rep's name.
ALTER TABLE calls ADD COLUMN one_channel INTEGER NOT NULL DEFAULT 0 CHECK (one_channel IN (0, 1));

-- The rep's voiceprint from the microphone track of a call (a unit-length CAM++ vector, f32
-- little-endian): how a one-channel recording tells which voice is the rep's. Biometric: it
-- never leaves this library and goes with its call.
CREATE TABLE rep_voiceprints (
    call_id     INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    voiceprint  BLOB NOT NULL
);
