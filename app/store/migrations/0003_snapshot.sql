-- Schema 3: Snapshot. The outbox keeps every signed envelope until the hub answers for good;
-- the cache keeps hub reads (spaces, proposals, votes, vp, follows) for offline use.
CREATE TABLE snapshot_outbox (
    id          TEXT PRIMARY KEY,            -- the EIP-712 digest (message id)
    hub_url     TEXT NOT NULL,               -- the sequencer the envelope goes to
    kind        TEXT NOT NULL,               -- vote, vote-array, proposal, follow, ...
    address     TEXT NOT NULL,
    envelope    TEXT NOT NULL,               -- the exact JSON body to POST
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'rejected')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,                        -- last transient problem, or the final rejection
    receipt     TEXT,                        -- JSON of the hub's receipt once accepted
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX snapshot_outbox_pending ON snapshot_outbox (status, created_at);

CREATE TABLE snapshot_cache (
    hub_url     TEXT NOT NULL,
    kind        TEXT NOT NULL,               -- space, spaces, proposal, proposals, vp, follows
    key         TEXT NOT NULL,               -- the query's arguments, canonical JSON
    payload     TEXT NOT NULL,               -- the hub's JSON answer
    fetched_at  INTEGER NOT NULL,
    PRIMARY KEY (hub_url, kind, key)
);

CREATE TABLE snapshot_votes (
    hub_url     TEXT NOT NULL,
    id          TEXT NOT NULL,
    proposal    TEXT NOT NULL,
    voter       TEXT NOT NULL,
    created     INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    PRIMARY KEY (hub_url, id)
);
CREATE INDEX snapshot_votes_by_proposal ON snapshot_votes (hub_url, proposal, created);
