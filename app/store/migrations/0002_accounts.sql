-- Schema 2: accounts (keys issue). Non-secret metadata only: the sealed keys live in the OS keyring.
CREATE TABLE accounts (
    address         TEXT PRIMARY KEY,          -- EIP-55 checksum address
    label           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('local', 'watch')),
    position        INTEGER NOT NULL,          -- display order, 0-based
    source          TEXT NOT NULL,             -- created | private_key | mnemonic | keystore | watch
    derivation_path TEXT,                      -- for mnemonic imports, e.g. m/44'/60'/0'/0/0
    created_at      INTEGER NOT NULL           -- unix seconds
);
CREATE UNIQUE INDEX accounts_position ON accounts (position);
