"""Vote columns straight from JSON bytes, with msgspec's typed decoder.

The usual vote is a plain int, a list of ints or a mapping of keys to numbers, with a number as
balance and a list of numbers as scores. msgspec decodes such rows into slot-only structs (no
dicts, no garbage-collector tracking) in one C pass, and the table is built from them with no
per-vote Python code. A row of any other shape (a string or boolean choice, a float in a ranking,
a number too large for a double...) makes the typed decode fail; the whole input is then read
again with the general decoder, so odd JSON still gets snapshot.js's semantics from the table's
"other" rows. Either way the table is the same, and so is every result.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from operator import attrgetter
from typing import Any

import msgspec
import numpy as np

from app.errors import InputError
from app.tally.table import FloatArray, VoteTable, build_table

Choice = int | list[int] | dict[str, float]


class TallyRow(msgspec.Struct, gc=False):
    """One vote of a tally document, as snapshot.js's voting classes take it."""

    choice: Choice
    balance: float
    scores: list[float]


class TallyRows(msgspec.Struct, gc=False):
    """The votes of a tally document (its other fields are read by the general decoder)."""

    votes: list[TallyRow]


_ROWS = msgspec.json.Decoder(TallyRows)
_CHOICES = msgspec.json.Decoder(list[Choice])
_CHOICE = attrgetter("choice")
_BALANCE = attrgetter("balance")
_SCORES = attrgetter("scores")


@contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a decoder allocates many small objects.

    Decoded values hold no cycles; without the pause, every 700 allocations start a collection
    that walks everything allocated so far, which doubles the time of a large decode.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def typed_rows(data: bytes) -> list[TallyRow] | None:
    """The document's votes as typed rows, or None when some row needs the general decoder."""
    try:
        with no_collection():
            return _ROWS.decode(data).votes
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None


def choices_decoder(general: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
    """A reader of odd choices (a JSON array of them) that gives what the exact path holds.

    The exact path reads a whole document with the typed decoder when every vote fits
    ``TallyRow``, and only then: so the choices are typed when all of them fit ``Choice``
    (``{"01": 0}`` then holds 0.0), and otherwise all are read by ``general``.
    """

    def decode(text: bytes) -> Any:
        try:
            return _CHOICES.decode(text)
        except (msgspec.ValidationError, msgspec.DecodeError):
            return general(text)

    return decode


def table_from_rows(rows: Sequence[Any], strategies_count: int) -> VoteTable:
    """A table of rows with ``choice``, ``balance`` and ``scores`` attributes (typed rows)."""
    return table_from_columns(
        list(map(_CHOICE, rows)),
        np.fromiter(map(_BALANCE, rows), dtype=np.float64, count=len(rows)),
        list(map(_SCORES, rows)),
        strategies_count,
    )


def table_from_columns(
    choices: list[object], balances: FloatArray, scores: list[list[float]], strategies_count: int
) -> VoteTable:
    """A table of decoded columns: choices, balances as doubles and one score list per vote."""
    if strategies_count < 0:
        raise InputError("The number of strategies cannot be negative.")
    count = len(scores)
    lengths = np.fromiter(map(len, scores), dtype=np.int64, count=count)
    if count and (lengths != strategies_count).any():
        position = int(np.flatnonzero(lengths != strategies_count)[0])
        raise InputError(
            f"Vote #{position + 1} has {int(lengths[position])} strategy scores, "
            f"but the proposal has {strategies_count} strategies."
        )
    flat = np.fromiter(
        chain.from_iterable(scores), dtype=np.float64, count=count * strategies_count
    )
    return build_table(choices, balances, flat.reshape(count, strategies_count))
