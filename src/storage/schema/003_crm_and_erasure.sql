-- Migration 3: CRM contacts and accounts, and erasure bookkeeping.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    domain      TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT NOT NULL,
    title       TEXT,
    phone       TEXT,
    account_id  INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    crm_source  TEXT,
    crm_id      TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE call_contacts (
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    linked_by   TEXT NOT NULL CHECK (linked_by IN ('email', 'manual')),
    PRIMARY KEY (call_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX call_contacts_by_contact ON call_contacts (contact_id);

-- Audio files whose deletion failed after their rows were erased; retried at the next start.
CREATE TABLE pending_file_deletions (
    path       TEXT PRIMARY KEY,
    queued_at  TEXT NOT NULL
);
