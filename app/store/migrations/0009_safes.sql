-- Schema 9: the Safes (multisig accounts) this device follows, and the votes and transactions their
-- owners are approving. A request is durable from the moment it is opened: each owner's signature is
-- stored as it arrives, so a partly-signed vote survives a restart and waits for the rest.
CREATE TABLE safes (
    address    TEXT NOT NULL,               -- checksummed
    chain_id   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    owners     TEXT NOT NULL,               -- JSON list, in the Safe's order, as last read
    threshold  INTEGER NOT NULL,
    version    TEXT NOT NULL,
    read_at    INTEGER NOT NULL,
    PRIMARY KEY (address, chain_id)
);

CREATE TABLE safe_requests (
    id         TEXT PRIMARY KEY,            -- the hash owners approve (0x hex)
    safe       TEXT NOT NULL,
    chain_id   INTEGER NOT NULL,
    kind       TEXT NOT NULL,               -- 'snapshot' or 'transaction'
    summary    TEXT NOT NULL,               -- one sentence: what the Safe does
    payload    TEXT NOT NULL,               -- JSON: the Snapshot message or the Safe transaction
    owners     TEXT NOT NULL,               -- JSON list: who may sign
    threshold  INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'collecting',  -- collecting | ready | done
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE safe_signatures (
    request_id TEXT NOT NULL REFERENCES safe_requests(id) ON DELETE CASCADE,
    owner      TEXT NOT NULL,
    signature  TEXT NOT NULL,               -- 0x hex, 65 bytes
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (request_id, owner)
);
