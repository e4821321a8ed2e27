"""Write tests/fixtures/store/schema_N.db: a store at each schema version, with sample rows.

Run once per new schema version (and commit the file): the upgrade test then proves that a store
written by that version opens in every later one with its rows intact.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.store.database import load_migrations, migrate

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "store"

# Rows that exist from a given version on: (version, table, columns, values).
ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
T0 = 1_700_000_000
ACCOUNT_COLUMNS = (
    "address",
    "label",
    "kind",
    "position",
    "source",
    "derivation_path",
    "created_at",
)
OUTBOX_COLUMNS = (
    "id",
    "hub_url",
    "kind",
    "address",
    "envelope",
    "status",
    "attempts",
    "created_at",
    "updated_at",
)
SAMPLES = (
    (1, "settings", ("key", "value"), ("fixture", "kept")),
    (2, "accounts", ACCOUNT_COLUMNS, (ADDRESS, "Main", "watch", 0, "watch", None, T0)),
    (3, "snapshot_outbox", OUTBOX_COLUMNS,
     ("0x" + "ab" * 32, "http://127.0.0.1:1/", "vote", ADDRESS, "{}", "pending", 0, T0, T0)),
    (4, "initiatives", ("id", "org", "title", "created_at", "updated_at"),
     ("fixture1", "braintrust", "Lower the fee", T0, T0)),
    (9, "safe_requests",
     ("id", "safe", "chain_id", "kind", "summary", "payload", "owners", "threshold", "created_at",
      "updated_at"),
     ("0x" + "cd" * 32, ADDRESS, 1, "snapshot", "Safe votes", "{}", f'["{ADDRESS}"]', 1, T0, T0)),
)  # fmt: skip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    migrations = load_migrations()
    for version in range(1, len(migrations) + 1):
        path = OUT / f"schema_{version}.db"
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path, isolation_level=None)
        migrate(conn, migrations[:version])
        for since, table, columns, values in SAMPLES:
            if since <= version:
                marks = ", ".join("?" for _ in values)
                conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)  # noqa: S608
        conn.execute("VACUUM")
        conn.close()
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
