-- Migration 9: calls pushed to a team library that keeps sentence vectors whose lines' vectors
-- are still to go. A sync pushes calls first (the team sees them in seconds) and their vectors
-- after, each far costlier for the server to index (see src/team/meaning.sql); what a sync
-- did not get to waits here for the next.
CREATE TABLE team_meanings_due (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    global_id   TEXT NOT NULL UNIQUE,
    call_id     INTEGER NOT NULL
);
