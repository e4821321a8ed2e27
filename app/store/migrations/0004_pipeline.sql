-- Schema 4: the pipeline. Local drafts (phase 1) and the user's manual links between phase
-- artefacts and initiatives. Both are preserved when a damaged store is rebuilt.
CREATE TABLE initiatives (
    id                  TEXT PRIMARY KEY,
    org                 TEXT NOT NULL,
    title               TEXT NOT NULL,
    body                TEXT NOT NULL DEFAULT '',
    discussion_url      TEXT NOT NULL DEFAULT '',
    needs_onchain       INTEGER NOT NULL DEFAULT 1,
    forum_replies       INTEGER,               -- from the Discourse thread, when reachable
    forum_last_activity INTEGER,               -- unix seconds
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX initiatives_by_org ON initiatives (org, updated_at);

CREATE TABLE initiative_links (
    org           TEXT NOT NULL,
    item_key      TEXT NOT NULL,               -- e.g. temperature:0xab.., onchain:7
    initiative_id TEXT,                        -- NULL: the user unlinked the item
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (org, item_key)
);
