-- Schema 8: when a key made here was last backed up (exported as a keystore file). A key created
-- on this device and never backed up is lost with the device; removing it warns first.
CREATE TABLE account_backups (
    address     TEXT PRIMARY KEY,   -- EIP-55 checksum address
    backed_up_at INTEGER NOT NULL   -- unix seconds
);

-- ENS reverse names of voters, verified forward, cached per chain (re-read after a day).
CREATE TABLE ens_names (
    chain_id    INTEGER NOT NULL,
    address     TEXT NOT NULL,      -- EIP-55 checksum address
    name        TEXT NOT NULL,      -- "" when the address has no (verified) primary name
    checked_at  INTEGER NOT NULL,   -- unix seconds
    PRIMARY KEY (chain_id, address)
);
