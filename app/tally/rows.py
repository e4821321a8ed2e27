"""Row operations on ``VoteTable``: keep some rows, append tables, and store a table as bytes.

The vote cache keeps a proposal's votes as a table, adds the votes fetched since, and drops the
ones a re-vote replaced; a stored table is read back with no JSON parsing at all.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import msgspec
import numpy as np

from app.errors import InputError
from app.tally.table import OTHER, IntArray, VoteTable

_ARRAYS = (
    "kinds",
    "ints",
    "list_offsets",
    "list_items",
    "map_offsets",
    "map_keys",
    "map_values",
    "powers",
)


def _offsets(lengths: IntArray) -> IntArray:
    offsets = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _take_csr(offsets: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """New offsets for ``rows``, and the positions of their elements in the old arrays."""
    lengths = np.diff(offsets)[rows]
    new_offsets = _offsets(lengths)
    shift = np.repeat(offsets[:-1][rows] - new_offsets[:-1], lengths)
    return new_offsets, shift + np.arange(int(new_offsets[-1]), dtype=np.int64)


def take_rows(table: VoteTable, rows: IntArray) -> VoteTable:
    """The table of ``rows`` (row numbers, in the order given)."""
    rows = np.asarray(rows, dtype=np.int64)
    list_offsets, list_positions = _take_csr(table.list_offsets, rows)
    map_offsets, map_positions = _take_csr(table.map_offsets, rows)
    kinds = table.kinds[rows]
    others = {new: table.others[int(rows[new])] for new in np.flatnonzero(kinds == OTHER).tolist()}
    return VoteTable(
        kinds=kinds,
        ints=table.ints[rows],
        list_offsets=list_offsets,
        list_items=table.list_items[list_positions],
        map_offsets=map_offsets,
        map_keys=table.map_keys[map_positions],
        map_values=table.map_values[map_positions],
        others=others,
        powers=table.powers[rows],
    )


def concat_tables(tables: Sequence[VoteTable], strategies_count: int) -> VoteTable:
    """The rows of every table, one table after the other."""
    if any(t.strategies_count != strategies_count for t in tables):
        raise InputError(
            "Votes with different numbers of strategy scores cannot be counted together."
        )
    sizes = [t.size for t in tables]
    starts = np.cumsum([0, *sizes])
    others: dict[int, object] = {}
    for start, table in zip(starts.tolist(), tables, strict=False):
        others.update((start + row, choice) for row, choice in table.others.items())
    return VoteTable(
        kinds=np.concatenate([np.zeros(0, np.uint8), *(t.kinds for t in tables)]),
        ints=np.concatenate([np.zeros(0, np.int64), *(t.ints for t in tables)]),
        list_offsets=_offsets(
            np.concatenate([np.zeros(0, np.int64), *(np.diff(t.list_offsets) for t in tables)])
        ),
        list_items=np.concatenate([np.zeros(0, np.int64), *(t.list_items for t in tables)]),
        map_offsets=_offsets(
            np.concatenate([np.zeros(0, np.int64), *(np.diff(t.map_offsets) for t in tables)])
        ),
        map_keys=np.concatenate([np.zeros(0, np.int64), *(t.map_keys for t in tables)]),
        map_values=np.concatenate([np.zeros(0, np.float64), *(t.map_values for t in tables)]),
        others=others,
        powers=np.concatenate(
            [np.zeros((0, 1 + strategies_count), np.float64), *(t.powers for t in tables)]
        ),
    )


def table_to_bytes(table: VoteTable) -> bytes:
    """The table as one ``.npz`` blob (numbers) plus its odd choices as JSON."""
    buffer = io.BytesIO()
    odd = msgspec.json.encode([[row, choice] for row, choice in table.others.items()])
    arrays = {name: getattr(table, name) for name in _ARRAYS}
    np.savez(buffer, others=np.frombuffer(odd, dtype=np.uint8), **arrays)
    return buffer.getvalue()


def table_from_bytes(data: bytes) -> VoteTable:
    """A table stored by ``table_to_bytes``."""
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in _ARRAYS}
        odd = msgspec.json.decode(stored["others"].tobytes())
    return VoteTable(**arrays, others={int(row): choice for row, choice in odd})
