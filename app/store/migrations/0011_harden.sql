-- Schema 11 (issue #22): rows that could not be read are quarantined here and shown, never left to
-- block the rest; wrong-password failures persist so the delay grows across processes.
CREATE TABLE store_quarantine (
    table_name  TEXT NOT NULL,               -- where the row was
    row_key     TEXT NOT NULL,               -- its id (or rowid) there
    problem     TEXT NOT NULL,               -- what could not be read
    raw         BLOB,                        -- the bytes as found, for a later repair
    found_at    INTEGER NOT NULL,
    PRIMARY KEY (table_name, row_key)
);

CREATE TABLE unlock_failures (
    address         TEXT PRIMARY KEY,        -- EIP-55 checksum address
    failures        INTEGER NOT NULL,        -- wrong passwords in a row
    last_failure_at INTEGER NOT NULL         -- unix seconds
);
