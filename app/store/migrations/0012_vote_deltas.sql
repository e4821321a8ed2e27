-- Schema 12 (issue #20): the votes a re-verification fetched, appended after the proposal's stored
-- columns (0006) instead of rewriting all of them; the next load merges them in (a re-vote
-- replaces), and they are folded into the base row once they reach an eighth of it, or when the
-- proposal closes.
-- A store written before has no deltas: its base rows are read as they are. A cache, like 0006.
CREATE TABLE snapshot_vote_deltas (
    hub_url     TEXT NOT NULL,
    proposal    TEXT NOT NULL,
    seq         INTEGER NOT NULL,            -- 1, 2, ... in the order they were fetched
    votes       INTEGER NOT NULL,            -- rows in this delta (as fetched, not yet merged)
    voters      BLOB NOT NULL,               -- as in snapshot_vote_columns
    created     BLOB NOT NULL,
    columns     BLOB NOT NULL,
    fetched_at  INTEGER NOT NULL,
    PRIMARY KEY (hub_url, proposal, seq)
);
