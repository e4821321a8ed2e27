-- Schema 8: when a key made here was last backed up (exported as a keystore file). A key created
-- on this device and never backed up is lost with the device; removing it warns first.
CREATE TABLE account_backups (
    address     TEXT PRIMARY KEY,   -- EIP-55 checksum address
    backed_up_at INTEGER NOT NULL   -- unix seconds
);
