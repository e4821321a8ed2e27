"""``VoteTable``: a proposal's votes as columns, the form the tally engine counts from.

Building a table is the structural step that JSON parsing is in snapshot.js: each vote's choice is
classified (a plain int, a list of plain ints, a mapping with array-index keys, or anything else)
and flattened into arrays; balances and strategy scores become float arrays. Nothing is judged
here: which votes count, and whether balances and scores are usable numbers, is decided by the
tally itself, with snapshot.js's rules. Choices of the "anything else" kind (strings, floats,
booleans, nested values, ints beyond 64 bits...) are kept as they are and checked one by one with
JavaScript semantics.

A table is immutable and can be counted any number of times (both Copeland variants, say).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from app.errors import InputError
from app.tally.records import TallyVote

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
KindArray = npt.NDArray[np.uint8]

INT, LIST, MAPPING, OTHER = 0, 1, 2, 3
_KIND_OF_TYPE: dict[type, int] = {int: INT, list: LIST, dict: MAPPING}
_INT64 = 2**63
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")
_MAX_ARRAY_INDEX = 2**32 - 2
_NO_KEY = -1


def _empty_ints() -> IntArray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class VoteTable:
    """Votes in their original order, one row per vote.

    - ``kinds[row]``: ``INT``, ``LIST``, ``MAPPING`` or ``OTHER``;
    - ``ints[row]``: the choice of an ``INT`` row (0 elsewhere);
    - ``list_offsets`` / ``list_items``: the elements of ``LIST`` rows (plain ints), row ``r``
      owning ``list_items[list_offsets[r]:list_offsets[r + 1]]`` (no elements for other rows);
    - ``map_offsets`` / ``map_keys`` / ``map_values``: the entries of ``MAPPING`` rows in
      insertion order, keys as numbers (every key is a canonical array index such as "3"), values
      as doubles (every value a finite plain int or float);
    - ``others``: the untouched choice of every ``OTHER`` row;
    - ``powers`` (votes, 1 + strategies): each vote's balance, then its score per strategy.
    """

    kinds: KindArray
    ints: IntArray
    list_offsets: IntArray
    list_items: IntArray
    map_offsets: IntArray
    map_keys: IntArray
    map_values: FloatArray
    others: Mapping[int, object]
    powers: FloatArray

    @property
    def balances(self) -> FloatArray:
        return self.powers[:, 0]

    @property
    def scores(self) -> FloatArray:
        return self.powers[:, 1:]

    @property
    def size(self) -> int:
        return int(self.kinds.shape[0])

    @property
    def strategies_count(self) -> int:
        return int(self.powers.shape[1]) - 1

    def list_lengths(self) -> IntArray:
        """Elements per row (0 for rows that are not ``LIST``)."""
        return np.diff(self.list_offsets)

    def map_lengths(self) -> IntArray:
        """Entries per row (0 for rows that are not ``MAPPING``)."""
        return np.diff(self.map_offsets)

    @classmethod
    def from_votes(cls, votes: Sequence[TallyVote], strategies_count: int) -> VoteTable:
        """A table of ``TallyVote`` records; InputError if a balance or score is not a number."""
        balances = _floats(map(_BALANCE, votes), "balance")
        scores = _score_matrix(list(map(_SCORES, votes)), strategies_count)
        return build_table(list(map(_CHOICE, votes)), balances, scores)

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any]], strategies_count: int) -> VoteTable:
        """A table of JSON vote objects ``{"choice", "balance", "scores"}``, as json.loads gives."""
        try:
            choices = list(map(_GET_CHOICE, rows))
            balances = _floats(map(_GET_BALANCE, rows), "balance")
            per_vote = list(map(_GET_SCORES, rows))
        except (KeyError, TypeError) as exc:
            raise InputError(
                "Every vote must be an object with choice, balance and scores.", detail=str(exc)
            ) from exc
        return build_table(choices, balances, _score_matrix(per_vote, strategies_count))


_BALANCE = attrgetter("balance")
_SCORES = attrgetter("scores")
_CHOICE = attrgetter("choice")
_GET_CHOICE = itemgetter("choice")
_GET_BALANCE = itemgetter("balance")
_GET_SCORES = itemgetter("scores")


def _floats(values: Iterable[object], what: str) -> FloatArray:
    items = list(values)
    if not set(map(type, items)) <= {int, float}:
        bad = next(item for item in items if type(item) not in (int, float))
        raise InputError(f"A vote's {what} is not a usable number: {bad!r}.")
    try:
        return np.fromiter(items, dtype=np.float64, count=len(items))
    except OverflowError:
        return np.array([_to_double(item) for item in items], dtype=np.float64)


def _to_double(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:
        return math.inf if value > 0 else -math.inf  # type: ignore[operator]


def _score_matrix(per_vote: list[Any], strategies_count: int) -> FloatArray:
    if strategies_count < 0:
        raise InputError("The number of strategies cannot be negative.")
    if not set(map(type, per_vote)) <= {list, tuple}:
        raise InputError("A vote's strategy scores must be a list of numbers.")
    if set(map(len, per_vote)) - {strategies_count}:
        position = next(i for i, s in enumerate(per_vote) if len(s) != strategies_count)
        raise InputError(
            f"Vote #{position + 1} has {len(per_vote[position])} strategy scores, "
            f"but the proposal has {strategies_count} strategies."
        )
    flat = _floats(chain.from_iterable(per_vote), "score")
    return flat.reshape(len(per_vote), strategies_count)


def build_table(choices: list[object], balances: FloatArray, scores: FloatArray) -> VoteTable:
    """Classify and flatten ``choices`` (one per vote) next to their balances and scores."""
    count = len(choices)
    types = list(map(type, choices))
    kinds = np.fromiter(map(_KIND_OF_TYPE.get, types, repeat(OTHER)), dtype=np.uint8, count=count)
    ints = np.zeros(count, dtype=np.int64)
    rows = np.flatnonzero(kinds == INT)
    if rows.size:
        values = _pick(choices, rows)
        try:
            ints[rows] = np.fromiter(values, dtype=np.int64, count=rows.size)
        except OverflowError:
            fits = np.array([-_INT64 <= v < _INT64 for v in values], dtype=np.bool_)
            ints[rows[fits]] = [v for v, ok in zip(values, fits.tolist(), strict=True) if ok]
            _demote(kinds, rows[~fits])
    list_offsets, list_items = _flatten_lists(choices, kinds)
    map_offsets, map_keys, map_values = _flatten_mappings(choices, kinds)
    return VoteTable(
        kinds=kinds,
        ints=ints,
        list_offsets=list_offsets,
        list_items=list_items,
        map_offsets=map_offsets,
        map_keys=map_keys,
        map_values=map_values,
        others=_other_rows(choices, kinds),
        powers=_powers(balances, scores),
    )


def _powers(balances: FloatArray, scores: FloatArray) -> FloatArray:
    powers = np.empty((balances.shape[0], 1 + scores.shape[1]), dtype=np.float64)
    powers[:, 0] = balances
    powers[:, 1:] = scores
    return powers


def _pick(items: list[object], rows: IntArray) -> list[Any]:
    if rows.size == len(items):
        return items
    mask = np.zeros(len(items), dtype=np.bool_)
    mask[rows] = True
    return list(compress(items, mask.tolist()))


def _demote(kinds: KindArray, rows: Any) -> None:
    kinds[np.asarray(rows, dtype=np.int64)] = OTHER


def _other_rows(choices: list[object], kinds: KindArray) -> dict[int, object]:
    return {row: choices[row] for row in np.flatnonzero(kinds == OTHER).tolist()}


def _offsets(lengths: IntArray) -> IntArray:
    offsets = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _flatten_lists(choices: list[object], kinds: KindArray) -> tuple[IntArray, IntArray]:
    """CSR of the rows whose choice is a list of plain ints (other lists become ``OTHER``)."""
    count = len(choices)
    rows = np.flatnonzero(kinds == LIST)
    lists: list[list[Any]] = _pick(choices, rows)
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    elements = list(chain.from_iterable(lists))
    if not set(map(type, elements)) <= {int}:  # exactly int: bool is excluded
        owner = np.repeat(np.arange(len(lists)), lengths)
        plain = np.fromiter((type(e) is int for e in elements), dtype=np.bool_, count=len(elements))
        odd = np.unique(owner[~plain])
        _demote(kinds, rows[odd])
        return _flatten_lists(choices, kinds)
    try:
        items = np.fromiter(elements, dtype=np.int64, count=len(elements))
    except OverflowError:
        huge = [i for i, lst in enumerate(lists) if any(not -_INT64 <= e < _INT64 for e in lst)]
        _demote(kinds, rows[huge])
        return _flatten_lists(choices, kinds)
    all_lengths = np.zeros(count, dtype=np.int64)
    all_lengths[rows] = lengths
    return _offsets(all_lengths), items


def _flatten_mappings(
    choices: list[object], kinds: KindArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """CSR of the rows whose choice is a mapping of array-index keys to finite plain numbers."""
    count = len(choices)
    rows = np.flatnonzero(kinds == MAPPING)
    if rows.size == 0:
        return np.zeros(count + 1, dtype=np.int64), _empty_ints(), np.zeros(0, dtype=np.float64)
    mappings: list[dict[Any, Any]] = _pick(choices, rows)
    lengths = np.fromiter(map(len, mappings), dtype=np.int64, count=len(mappings))
    size = int(lengths.sum())
    keys = np.fromiter(
        map(_KEY_CACHE.get, chain.from_iterable(mappings), repeat(_UNCACHED)),
        dtype=np.int64,
        count=size,
    )
    uncached = np.flatnonzero(keys == _UNCACHED)
    if uncached.size:
        all_keys = list(chain.from_iterable(mappings))
        keys[uncached] = [_key_number(all_keys[i]) for i in uncached.tolist()]
    values = list(chain.from_iterable(map(dict.values, mappings)))
    plain = np.ones(size, dtype=np.bool_)
    if not set(map(type, values)) <= {int, float}:
        plain = np.fromiter((type(v) in (int, float) for v in values), dtype=np.bool_, count=size)
        values = [v if ok else 0.0 for v, ok in zip(values, plain.tolist(), strict=True)]
    try:
        numbers = np.fromiter(values, dtype=np.float64, count=size)
    except OverflowError:
        numbers = np.array([_to_double(v) for v in values], dtype=np.float64)
    plain &= np.isfinite(numbers) & (keys != _NO_KEY)
    if not plain.all():
        owner = np.repeat(np.arange(len(mappings)), lengths)
        _demote(kinds, rows[np.unique(owner[~plain])])
        return _flatten_mappings(choices, kinds)
    all_lengths = np.zeros(count, dtype=np.int64)
    all_lengths[rows] = lengths
    return _offsets(all_lengths), keys, numbers


_KEY_CACHE: dict[object, int] = {str(i): i for i in range(1024)}
_UNCACHED = -2


def _key_number(key: object) -> int:
    """The number of a canonical array-index key ("0", "7", "12"), or -1 for any other key."""
    if type(key) is str and _ARRAY_INDEX.fullmatch(key) and int(key) <= _MAX_ARRAY_INDEX:
        return int(key)
    return _NO_KEY
