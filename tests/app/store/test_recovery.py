"""A damaged store is rebuilt keeping preserved rows; kill -9 mid-write loses nothing committed."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from app.store.database import connect, transaction
from app.store.recovery import integrity_problem, open_store


def _fill(path: Path) -> None:
    conn = connect(path)
    with transaction(conn):
        for i in range(50):
            conn.execute("INSERT INTO settings VALUES (?, ?)", (f"key{i}", f"value{i}"))
    # A big cache table written after the preserved rows, so the file's last pages are cache.
    conn.execute("CREATE TABLE bulk_cache (payload BLOB)")
    with transaction(conn):
        for _ in range(400):
            conn.execute("INSERT INTO bulk_cache VALUES (randomblob(3000))")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _damage_tail(path: Path, pages: int = 40) -> None:
    data = bytearray(path.read_bytes())
    page_size = 4096
    start = len(data) - pages * page_size
    data[start:] = b"\xa5" * (len(data) - start)
    path.write_bytes(bytes(data))


def test_a_healthy_store_opens_without_recovery(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _fill(path)
    opened = open_store(path)
    assert not opened.recovered
    assert opened.conn.execute("SELECT count(*) FROM settings").fetchone()[0] == 50


def test_a_damaged_store_is_rebuilt_keeping_preserved_rows(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _fill(path)
    _damage_tail(path)
    assert integrity_problem(path) is not None
    opened = open_store(path)
    assert opened.recovered
    assert opened.salvaged["settings"] == 50
    rows = dict(opened.conn.execute("SELECT key, value FROM settings").fetchall())
    assert rows == {f"key{i}": f"value{i}" for i in range(50)}
    tables = {r[0] for r in opened.conn.execute("SELECT name FROM sqlite_master")}
    assert "bulk_cache" not in tables  # the cache starts empty and is fetched again
    assert opened.damaged_copy is not None
    assert opened.damaged_copy.exists()  # never deleted
    assert integrity_problem(path) is None


def test_garbage_instead_of_a_store_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"garbage" * 1000)
    opened = open_store(path)
    assert opened.recovered
    assert opened.salvaged == dict.fromkeys(opened.salvaged, 0)
    assert opened.damaged_copy is not None
    assert opened.damaged_copy.read_bytes() == b"garbage" * 1000


def test_kill_9_during_writes_keeps_every_committed_transaction_whole(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    connect(path).close()
    writer = textwrap.dedent(
        """
        import sys
        from app.store.database import connect, transaction
        conn = connect(sys.argv[1])
        i = 0
        while True:
            with transaction(conn):
                conn.execute("INSERT INTO settings VALUES (?, 'a')", (f"{i}a",))
                conn.execute("INSERT INTO settings VALUES (?, 'b')", (f"{i}b",))
            i += 1
            if i == 20:
                print("writing", flush=True)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", writer, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert integrity_problem(path) is None
    conn = sqlite3.connect(path)
    keys = {row[0] for row in conn.execute("SELECT key FROM settings")}
    conn.close()
    committed = {k[:-1] for k in keys}
    assert len(committed) >= 20
    assert all(f"{i}a" in keys and f"{i}b" in keys for i in committed)  # no half transaction
    assert committed == {str(i) for i in range(len(committed))}  # no gap
