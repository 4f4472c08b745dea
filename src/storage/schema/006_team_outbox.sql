-- Migration 6: sharing with the team's PostgreSQL library.
--
-- Every call and action item gets a global id that never changes, so a call pushed twice is one
-- row on the server. While this library is joined to a team, triggers record every change to a
-- call (its row, transcript, insights, action items, participants, consent receipts) in the
-- outbox: one entry per call, whose `changes` counter rises with each further change, so a sync
-- that pushed a snapshot marks the entry done only if nothing changed since it was read.
-- Whether a call may be shared (sharing choice, everyone's consent) is decided at sync time.

ALTER TABLE calls ADD COLUMN global_id TEXT;
UPDATE calls SET global_id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX calls_by_global_id ON calls (global_id);
CREATE TRIGGER calls_get_global_id AFTER INSERT ON calls WHEN new.global_id IS NULL BEGIN
    UPDATE calls SET global_id = lower(hex(randomblob(16))) WHERE id = new.id;
END;

ALTER TABLE action_items ADD COLUMN global_id TEXT;
-- When the rep or a teammate last changed the item by hand (NULL: as the insights made it), and
-- who, so done state and edits flow both ways with the last writer winning.
ALTER TABLE action_items ADD COLUMN updated_at TEXT;
ALTER TABLE action_items ADD COLUMN updated_by TEXT;
UPDATE action_items SET global_id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX action_items_by_global_id ON action_items (global_id);
CREATE TRIGGER action_items_get_global_id AFTER INSERT ON action_items
    WHEN new.global_id IS NULL BEGIN
    UPDATE action_items SET global_id = lower(hex(randomblob(16))) WHERE id = new.id;
END;

-- At most one row: the team this library is joined to. The server address is kept without its
-- password.
CREATE TABLE team_membership (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server          TEXT NOT NULL,
    rep             TEXT NOT NULL,
    joined_at       TEXT NOT NULL,
    share_policy    TEXT NOT NULL CHECK (share_policy IN ('chosen-calls', 'all-calls')),
    last_sync_at    TEXT,
    last_error      TEXT,
    -- The newest teammate edit to action items already applied here (server time).
    pulled_until    TEXT,
    -- The newest team erasure already applied here (server sequence number).
    erasures_seen   INTEGER NOT NULL DEFAULT 0
);

-- The rep's sharing choices: a call, or every call with a contact; `shared = 0` keeps one out
-- even when the policy or its contact would share it.
CREATE TABLE team_shares (
    scope   TEXT NOT NULL CHECK (scope IN ('call', 'contact')),
    key     TEXT NOT NULL COLLATE NOCASE,
    shared  INTEGER NOT NULL CHECK (shared IN (0, 1)),
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE TABLE team_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    global_id   TEXT NOT NULL UNIQUE,
    call_id     INTEGER NOT NULL,
    changes     INTEGER NOT NULL DEFAULT 1,
    queued_at   TEXT NOT NULL
);

-- The call's own row (a call's first UPDATE is the one that gives it its global id).
CREATE TRIGGER team_outbox_call_update AFTER UPDATE ON calls
    WHEN new.global_id IS NOT NULL AND EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        VALUES (new.global_id, new.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_call_delete AFTER DELETE ON calls
    WHEN old.global_id IS NOT NULL AND EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        VALUES (old.global_id, old.id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;

-- Everything else that belongs to a call names it by call_id. In a cascade from a deleted call
-- the call is gone already and the call's own trigger has queued it.
CREATE TRIGGER team_outbox_segments_insert AFTER INSERT ON segments
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_segments_update AFTER UPDATE ON segments
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_segments_delete AFTER DELETE ON segments
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = old.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_action_items_insert AFTER INSERT ON action_items
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_action_items_update AFTER UPDATE ON action_items
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_action_items_delete AFTER DELETE ON action_items
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = old.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_insights_insert AFTER INSERT ON insights
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_insights_update AFTER UPDATE ON insights
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_insights_delete AFTER DELETE ON insights
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = old.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_participants_insert AFTER INSERT ON participants
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_participants_update AFTER UPDATE ON participants
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_participants_delete AFTER DELETE ON participants
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = old.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_consent_receipts_insert AFTER INSERT ON consent_receipts
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_consent_receipts_update AFTER UPDATE ON consent_receipts
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = new.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
CREATE TRIGGER team_outbox_consent_receipts_delete AFTER DELETE ON consent_receipts
    WHEN EXISTS (SELECT 1 FROM team_membership) BEGIN
    INSERT INTO team_outbox (global_id, call_id, queued_at)
        SELECT global_id, id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM calls
        WHERE id = old.call_id AND global_id IS NOT NULL
        ON CONFLICT (global_id) DO UPDATE SET changes = changes + 1;
END;
