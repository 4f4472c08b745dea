-- Migration 5: which Whisper model made a call's transcript, so the call view can say so (a
-- tiny.en transcript reads differently from a small one, and the rep should know which they
-- have). NULL for imported transcripts and for calls not transcribed on this computer yet.
ALTER TABLE calls ADD COLUMN transcribed_with TEXT;
