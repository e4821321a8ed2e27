"""The local SQLite store: caches, the outbox, initiatives and sync cursors (never keys)."""
