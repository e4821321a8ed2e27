-- Schema 5: the on-chain proposals the board last read, per chain and governor, so the board
-- stays readable offline. A cache: rebuilt by the next sync, not preserved on recovery.
CREATE TABLE onchain_cache (
    chain_id       INTEGER NOT NULL,
    governor       TEXT NOT NULL,
    proposal_id    TEXT NOT NULL,            -- decimal text: OZ ids do not fit in SQLite integers
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    state          INTEGER NOT NULL,
    vote_start     INTEGER NOT NULL,
    vote_end       INTEGER NOT NULL,
    eta            INTEGER NOT NULL,
    account        TEXT NOT NULL DEFAULT '', -- whose receipt account_voted describes
    account_voted  INTEGER NOT NULL DEFAULT 0,
    block_number   INTEGER NOT NULL,
    fetched_at     INTEGER NOT NULL,
    PRIMARY KEY (chain_id, governor, proposal_id)
);
