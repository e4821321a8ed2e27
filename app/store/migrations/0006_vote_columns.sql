-- Schema 6: each Snapshot proposal's votes as columns, synced incrementally. A cache: the next
-- verification fetches what is missing, so it is not preserved on recovery.
CREATE TABLE snapshot_vote_columns (
    hub_url     TEXT NOT NULL,
    proposal    TEXT NOT NULL,
    strategies  INTEGER NOT NULL,            -- strategy scores per vote
    votes       INTEGER NOT NULL,            -- rows in the stored table (one per voter)
    cursor      INTEGER NOT NULL,            -- creation time of the newest vote fetched
    final       INTEGER NOT NULL DEFAULT 0,  -- 1: fetched after the proposal closed; never again
    voters      BLOB NOT NULL,               -- voter addresses, lower case (.npy bytes array)
    created     BLOB NOT NULL,               -- creation times, little-endian int64
    columns     BLOB NOT NULL,               -- the VoteTable (app.tally.rows.table_to_bytes)
    fetched_at  INTEGER NOT NULL,
    PRIMARY KEY (hub_url, proposal)
);
