-- Schema 10: the outbox records the sequencer each envelope is sent to (the GraphQL hub and the
-- sequencer are separate services on Snapshot), and when a transiently refused envelope may be
-- tried again (backoff while its timestamp is inside the sequencer's window).
ALTER TABLE snapshot_outbox ADD COLUMN sequencer_url TEXT NOT NULL DEFAULT '';
ALTER TABLE snapshot_outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
-- Rows written before: hub_url held the URL they were POSTed to. Snapshot's own hubs take no
-- POST / (their sequencer is another host), so those rows are pointed at the real sequencer.
UPDATE snapshot_outbox SET sequencer_url = CASE rtrim(hub_url, '/')
    WHEN 'https://hub.snapshot.org' THEN 'https://seq.snapshot.org/'
    WHEN 'https://testnet.hub.snapshot.org' THEN 'https://testnet.seq.snapshot.org/'
    ELSE rtrim(hub_url, '/') || '/'
END;
