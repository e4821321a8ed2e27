-- Schema 1: settings as key/value pairs. Later migrations add one area each:
-- 0002 accounts, 0003 snapshot cache + outbox, 0004 pipeline drafts + manual links.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
