-- Schema 7: hardware wallet accounts (Ledger, Trezor). No secret exists on this computer for
-- them: the accounts row says kind 'hardware' (its derivation_path is the device path) and
-- hardware_accounts keeps which device it came from. SQLite cannot widen a CHECK in place, so
-- accounts is rebuilt with its rows, in the same order, and its index.
CREATE TABLE accounts_v6 (
    address         TEXT PRIMARY KEY,
    label           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('local', 'watch', 'hardware')),
    position        INTEGER NOT NULL,
    source          TEXT NOT NULL,             -- ... | watch | ledger | trezor
    derivation_path TEXT,
    created_at      INTEGER NOT NULL
);
INSERT INTO accounts_v6 (address, label, kind, position, source, derivation_path, created_at)
    SELECT address, label, kind, position, source, derivation_path, created_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v6 RENAME TO accounts;
CREATE UNIQUE INDEX accounts_position ON accounts (position);
CREATE TABLE hardware_accounts (
    address     TEXT PRIMARY KEY REFERENCES accounts (address) ON DELETE CASCADE,
    vendor      TEXT NOT NULL CHECK (vendor IN ('ledger', 'trezor')),
    fingerprint TEXT NOT NULL,   -- 8 hex digits naming the device's seed (app.keys.hardware.base)
    model       TEXT NOT NULL    -- "Nano S Plus", "Safe 3", ... as the device said when added
);
