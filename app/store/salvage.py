"""Read rows straight from the pages of a damaged SQLite file, when SQLite itself refuses it.

A file whose header was overwritten, or that was cut short, is "not a database" to SQLite, yet
most of its pages still hold intact records. This scans every page of the file (and of its
``-wal``, whose frames hold the newest pages) for table-leaf cells, decodes their records
(https://www.sqlite.org/fileformat2.html), and yields the value tuples. Callers recognise their
rows by shape (``looks_like_account``, ``looks_like_outbox``); nothing here trusts a byte.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Final

Value = int | float | str | bytes | None
DEFAULT_PAGE_SIZE: Final = 4096
_LEAF_TABLE: Final = 0x0D
_WAL_MAGIC: Final = (0x377F0682, 0x377F0683)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        if pos + i >= len(data):
            raise IndexError("varint past the end")
        byte = data[pos + i]
        if i == 8:
            return (value << 8) | byte, pos + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    raise IndexError("unreachable")


def _value(serial: int, data: bytes, pos: int) -> tuple[Value, int]:
    sizes = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}
    if serial == 0:
        return None, pos
    if serial in sizes:
        size = sizes[serial]
        return int.from_bytes(data[pos : pos + size], "big", signed=True), pos + size
    if serial == 7:
        return struct.unpack(">d", data[pos : pos + 8])[0], pos + 8
    if serial in (8, 9):
        return serial - 8, pos
    if serial >= 12:
        size = (serial - 12) // 2
        chunk = data[pos : pos + size]
        if len(chunk) != size:
            raise IndexError("value past the end")
        return (chunk if serial % 2 == 0 else chunk.decode("utf-8")), pos + size
    raise ValueError(f"reserved serial type {serial}")


def decode_record(payload: bytes) -> tuple[Value, ...]:
    """The values of one record; ``ValueError``/``IndexError``/``UnicodeError`` when damaged."""
    header_size, pos = _varint(payload, 0)
    if not 0 < header_size <= len(payload):
        raise ValueError("bad record header")
    serials = []
    while pos < header_size:
        serial, pos = _varint(payload, pos)
        serials.append(serial)
    values, body = [], header_size
    for serial in serials:
        value, body = _value(serial, payload, body)
        values.append(value)
    return tuple(values)


class _File:
    """The pages of one database (or WAL) file, by page number."""

    def __init__(self, pages: dict[int, bytes], page_size: int) -> None:
        self.pages = pages
        self.page_size = page_size


def _page_size_of(header: bytes) -> int:
    if len(header) >= 18 and header[:16] == b"SQLite format 3\x00":
        raw = int.from_bytes(header[16:18], "big")
        size = 65536 if raw == 1 else raw
        if size >= 512 and size & (size - 1) == 0:
            return size
    return DEFAULT_PAGE_SIZE


def _db_pages(data: bytes, page_size: int) -> dict[int, bytes]:
    return {n + 1: data[n * page_size : (n + 1) * page_size] for n in range(len(data) // page_size)}


def _wal_pages(data: bytes) -> tuple[dict[int, bytes], int]:
    if len(data) < 32 or int.from_bytes(data[:4], "big") not in _WAL_MAGIC:
        return {}, 0
    page_size = int.from_bytes(data[8:12], "big")
    if page_size < 512 or page_size & (page_size - 1):
        return {}, 0
    pages: dict[int, bytes] = {}
    pos = 32
    while pos + 24 + page_size <= len(data):
        number = int.from_bytes(data[pos : pos + 4], "big")
        if number:
            pages[number] = data[pos + 24 : pos + 24 + page_size]  # later frames are newer
        pos += 24 + page_size
    return pages, page_size


def _payload(file: _File, page: bytes, pos: int, size: int) -> bytes:
    """A cell's payload, following overflow pages when the file still has them."""
    usable = file.page_size
    max_local = usable - 35
    if size <= max_local:
        return page[pos : pos + size]
    min_local = (usable - 12) * 32 // 255 - 23
    local = min_local + (size - min_local) % (usable - 4)
    if local > max_local:
        local = min_local
    parts = [page[pos : pos + local]]
    next_page = int.from_bytes(page[pos + local : pos + local + 4], "big")
    remaining, seen = size - local, set()
    while remaining > 0 and next_page in file.pages and next_page not in seen:
        seen.add(next_page)
        overflow = file.pages[next_page]
        take = min(remaining, usable - 4)
        parts.append(overflow[4 : 4 + take])
        remaining -= take
        next_page = int.from_bytes(overflow[:4], "big")
    if remaining > 0:
        raise IndexError("overflow chain lost")
    return b"".join(parts)


def _leaf_cells(file: _File, number: int, page: bytes) -> Iterator[bytes]:
    offset = 100 if number == 1 else 0
    if len(page) < offset + 8 or page[offset] != _LEAF_TABLE:
        return
    cells = int.from_bytes(page[offset + 3 : offset + 5], "big")
    for i in range(min(cells, file.page_size // 4)):
        at = offset + 8 + 2 * i
        pointer = int.from_bytes(page[at : at + 2], "big")
        try:
            size, pos = _varint(page, pointer)
            _rowid, pos = _varint(page, pos)
            yield _payload(file, page, pos, size)
        except (IndexError, ValueError):
            continue


def scan_records(db_path: Path) -> Iterator[tuple[Value, ...]]:
    """Every decodable record in the file at ``db_path`` and its ``-wal``, file pages first."""
    data = db_path.read_bytes() if db_path.exists() else b""
    db = _File(_db_pages(data, _page_size_of(data[:100])), _page_size_of(data[:100]))
    wal_path = Path(f"{db_path}-wal")
    wal_pages, wal_size = _wal_pages(wal_path.read_bytes() if wal_path.exists() else b"")
    sources = [db]
    if wal_pages:
        sources.append(_File({**db.pages, **wal_pages}, wal_size))
    for file, pages in ((db, db.pages), *((s, wal_pages) for s in sources[1:])):
        for number, page in pages.items():
            for payload in _leaf_cells(file, number, page):
                try:
                    yield decode_record(payload)
                except (IndexError, ValueError, UnicodeError, struct.error):  # a cut record
                    continue


def _is_text(value: Value, *, min_len: int = 0, max_len: int = 10_000) -> bool:
    return isinstance(value, str) and min_len <= len(value) <= max_len


def looks_like_account(values: tuple[Value, ...]) -> bool:
    """address, label, kind, position, source, derivation_path, created_at (schema 2)."""
    if len(values) != 7:
        return False
    address, label, kind, position, source, path, created = values
    return (
        _is_text(address, min_len=42, max_len=42)
        and str(address).startswith("0x")
        and _is_text(label, max_len=200)
        and kind in ("local", "watch")
        and isinstance(position, int)
        and _is_text(source, max_len=40)
        and (path is None or _is_text(path, max_len=100))
        and isinstance(created, int)
    )


def looks_like_outbox(values: tuple[Value, ...]) -> bool:
    """id, hub_url, kind, address, envelope, status, attempts, last_error, receipt, times; from
    schema 10 on also sequencer_url and next_attempt_at (rows written earlier lack them)."""
    if len(values) == 13 and not (_is_text(values[11]) and isinstance(values[12], int)):
        return False
    if len(values) not in (11, 13):
        return False
    message_id, hub, kind, address, envelope, status = values[:6]
    return (
        _is_text(message_id, min_len=66, max_len=66)
        and _is_text(hub, min_len=1)
        and _is_text(kind, min_len=1, max_len=40)
        and _is_text(address, min_len=42, max_len=42)
        and _is_text(envelope, min_len=2, max_len=1_000_000)
        and status in ("pending", "accepted", "rejected")
        and isinstance(values[6], int)
        and isinstance(values[9], int)
        and isinstance(values[10], int)
    )
