"""Vote choices as numpy arrays, one row per vote, validated the way snapshot.js validates them.

Well-formed rows (ints for single-choice, lists of ints for the ranking types, ``{"1": weight}``
mappings with canonical keys) are checked and converted in bulk; any other row goes through
``is_valid_choice`` one by one, so odd JSON still gets JavaScript semantics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from app.errors import InputError
from app.tally.folds import FloatArray
from app.tally.jsvalue import is_js_number, number_value, object_entries
from app.tally.validity import is_valid_choice

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
UNRANKED = -1
MAX_BITMASK_CHOICES = 62


@dataclass(frozen=True)
class FlatLists:
    """The rows whose choice is a list of plain ints, flattened."""

    rows: IntArray  # which vote each element belongs to
    rank: IntArray  # the element's position inside its list
    values: IntArray  # the element (a 1-based choice number, maybe out of range)
    lengths: IntArray  # list length per vote (0 for other rows)
    simple: BoolArray  # per vote: a list of plain ints


def flatten_int_lists(choices: tuple[object, ...]) -> FlatLists:
    """Find the votes whose choice is a list of ints and flatten them in vote order."""
    count = len(choices)
    lists: Sequence[list[Any]]
    if set(map(type, choices)) <= {list}:
        is_list, lists = np.ones(count, dtype=np.bool_), cast("tuple[list[Any], ...]", choices)
    else:
        is_list = np.array([type(c) is list for c in choices], dtype=np.bool_)
        lists = [c for c in choices if type(c) is list]
    lengths = np.zeros(count, dtype=np.int64)
    lengths[is_list] = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    size = int(lengths.sum())
    rows = np.repeat(np.arange(count), lengths)
    ints: Iterator[Any]
    if set(map(type, chain.from_iterable(lists))) <= {int}:  # exactly int: bool is excluded
        simple, ints = is_list, chain.from_iterable(lists)
    else:
        elements = list(chain.from_iterable(lists))
        element_is_int = type_mask(elements, (int,))
        simple = is_list & (np.bincount(rows[~element_is_int], minlength=count) == 0)
        ints = iter(_zero_unless(elements, element_is_int, 0))
    try:
        values = np.fromiter(ints, dtype=np.int64, count=size)
    except OverflowError:
        return _without_huge_ints(choices)
    starts = np.cumsum(lengths) - lengths
    rank = np.arange(size, dtype=np.int64) - starts[rows]
    return FlatLists(rows, rank, values, lengths, simple)


def type_mask(items: list[Any], kinds: tuple[type, ...]) -> BoolArray:
    """Per item: is its type exactly one of ``kinds``? Fast when every item qualifies."""
    if set(map(type, items)) <= set(kinds):
        return np.ones(len(items), dtype=np.bool_)
    return np.fromiter((type(i) in kinds for i in items), dtype=np.bool_, count=len(items))


def _zero_unless(items: list[Any], keep: BoolArray, zero: object) -> list[Any]:
    return [item if ok else zero for item, ok in zip(items, keep.tolist(), strict=True)]


def _without_huge_ints(choices: tuple[object, ...]) -> FlatLists:
    # An int beyond int64 cannot index a choice; send those rows to the per-vote path.
    limit = 2**62
    cleaned = tuple(
        None if type(c) is list and any(type(e) is int and abs(e) > limit for e in c) else c
        for c in choices
    )
    flat = flatten_int_lists(cleaned)
    odd = np.array([a is not b for a, b in zip(cleaned, choices, strict=True)], dtype=np.bool_)
    return FlatLists(flat.rows, flat.rank, flat.values, flat.lengths, flat.simple & ~odd)


def list_checks(flat: FlatLists, count: int, choices_count: int) -> tuple[BoolArray, BoolArray]:
    """Per vote: all elements in 1..n and none repeated; plus the (vote, choice) membership."""
    in_range = (flat.values >= 1) & (flat.values <= choices_count)
    out_of_range = np.bincount(flat.rows[~in_range], minlength=count) > 0
    if choices_count <= MAX_BITMASK_CHOICES:
        repeated, member = _bitmask_membership(flat, in_range, count, choices_count)
    else:
        hits = np.zeros((count, choices_count), dtype=np.int64)
        np.add.at(hits, (flat.rows[in_range], flat.values[in_range] - 1), 1)
        repeated = np.asarray((hits > 1).any(axis=1), dtype=np.bool_)
        member = hits > 0
    return flat.simple & ~out_of_range & ~repeated, member


def _bitmask_membership(
    flat: FlatLists, in_range: BoolArray, count: int, choices_count: int
) -> tuple[BoolArray, BoolArray]:
    """One bit per choice: a list repeats a choice exactly when its bits' sum exceeds their OR."""
    shift = np.where(in_range, flat.values - 1, 0)
    bits = np.where(in_range, np.left_shift(1, shift), 0)
    nonempty = flat.lengths > 0
    starts = (np.cumsum(flat.lengths) - flat.lengths)[nonempty]
    union = np.zeros(count, dtype=np.int64)
    total = np.zeros(count, dtype=np.int64)
    if bits.size:
        union[nonempty] = np.bitwise_or.reduceat(bits, starts)
        total[nonempty] = np.add.reduceat(bits, starts)
    member = (union[:, None] >> np.arange(choices_count)) & 1
    return total != union, member.astype(np.bool_)


def encode_single(choices: tuple[object, ...], choices_count: int) -> IntArray:
    """0-based choice per vote, or -1 when snapshot.js ignores the vote."""
    simple = np.array([type(c) is int for c in choices], dtype=np.bool_)
    index = np.full(len(choices), -1, dtype=np.int64)
    if simple.any():
        ints = np.array([c if -(2**62) < c < 2**62 else 0 for c in _pick(choices, simple)])  # type: ignore[operator]
        in_range = (ints >= 1) & (ints <= choices_count)
        index[simple] = np.where(in_range, ints - 1, -1)
    for row in np.flatnonzero(~simple):
        choice = choices[row]
        if is_valid_choice("single-choice", choice, choices_count):
            index[row] = int(number_value(choice)) - 1  # type: ignore[arg-type]
    return index


def _pick(items: tuple[object, ...], mask: BoolArray) -> list[object]:
    return [item for item, keep in zip(items, mask.tolist(), strict=True) if keep]


def slow_rows(
    choices: tuple[object, ...],
    simple: BoolArray,
    accept: Callable[[object], bool],
    fill: Callable[[int, object], None],
) -> BoolArray:
    """Validate the non-simple rows one by one; ``fill`` writes each valid row's encoding."""
    valid = np.zeros(len(choices), dtype=np.bool_)
    for row in np.flatnonzero(~simple).tolist():
        if accept(choices[row]):
            valid[row] = True
            fill(row, choices[row])
    return valid


def encode_approval(choices: tuple[object, ...], choices_count: int) -> tuple[BoolArray, BoolArray]:
    """Valid mask and approved choices per vote (numbers only: "2" validates, counts nowhere)."""
    flat = flatten_int_lists(choices)
    valid, member = list_checks(flat, len(choices), choices_count)

    def fill(row: int, choice: object) -> None:
        for item in choice:  # type: ignore[attr-defined]
            if is_js_number(item):
                member[row, int(number_value(item)) - 1] = True

    valid |= slow_rows(
        choices, flat.simple, lambda c: is_valid_choice("approval", c, choices_count), fill
    )
    member[~valid] = False
    return valid, member


def encode_positions(
    choices: tuple[object, ...], choices_count: int, *, voting_type: str, partial: bool
) -> tuple[BoolArray, IntArray]:
    """Valid mask and each candidate's rank position per vote (UNRANKED if not ranked)."""
    flat = flatten_int_lists(choices)
    valid, _ = list_checks(flat, len(choices), choices_count)
    lengths_ok = (flat.lengths >= 1) & (flat.lengths <= choices_count)
    valid &= lengths_ok if partial else flat.lengths == choices_count
    positions = np.full((len(choices), max(choices_count, 1)), UNRANKED, dtype=np.int64)
    keep = valid[flat.rows]
    positions[flat.rows[keep], flat.values[keep] - 1] = flat.rank[keep]
    variant = "legacy" if partial else "current"

    def accept(choice: object) -> bool:
        return is_valid_choice(voting_type, choice, choices_count, copeland_variant=variant)

    def fill(row: int, choice: object) -> None:
        items = _numeric_items(choice)
        for rank, item in enumerate(items):
            positions[row, item - 1] = rank

    valid |= slow_rows(choices, flat.simple, accept, fill)
    return valid, positions[:, :choices_count]


def encode_rankings(choices: tuple[object, ...], choices_count: int) -> tuple[BoolArray, IntArray]:
    """Valid mask and, per vote, the 0-based candidates in ranked order (full rankings only)."""
    flat = flatten_int_lists(choices)
    valid, _ = list_checks(flat, len(choices), choices_count)
    valid &= flat.lengths == choices_count
    rankings = np.zeros((len(choices), choices_count), dtype=np.int64)
    rankings[valid] = flat.values[valid[flat.rows]].reshape(-1, choices_count) - 1

    def fill(row: int, choice: object) -> None:
        rankings[row] = [item - 1 for item in _numeric_items(choice)]

    def accept(choice: object) -> bool:
        return is_valid_choice("ranked-choice", choice, choices_count)

    valid |= slow_rows(choices, flat.simple, accept, fill)
    return valid, rankings


def _numeric_items(choice: object) -> list[int]:
    items: list[object] = list(choice)  # type: ignore[call-overload]
    if not all(is_js_number(item) for item in items):
        raise InputError(
            "A ranked-choice ballot ranks choices by strings or other non-numbers; snapshot.js "
            "tallies such ballots inconsistently, so they cannot be re-counted.",
            detail=repr(items),
        )
    return [int(number_value(item)) for item in items]  # type: ignore[arg-type]


def encode_weights(
    choices: tuple[object, ...], choices_count: int, voting_type: str
) -> tuple[BoolArray, FloatArray, FloatArray]:
    """Valid mask, per-choice values (NaN where absent) and each vote's value sum."""
    count = len(choices)
    weights = np.full((count, choices_count), np.nan, dtype=np.float64)
    sums = np.zeros(count, dtype=np.float64)
    simple, valid = _bulk_weights(choices, choices_count, weights, sums)
    keys = [str(i + 1) for i in range(choices_count)]

    def fill(row: int, choice: object) -> None:
        entries = dict(object_entries(choice))  # type: ignore[arg-type]
        total = 0.0
        for value in entries.values():
            total += number_value(value)  # type: ignore[arg-type]
        sums[row] = total
        for i, key in enumerate(keys):
            if key in entries:
                weights[row, i] = number_value(entries[key])  # type: ignore[arg-type]

    weights[~simple] = np.nan
    valid |= slow_rows(
        choices, simple, lambda c: is_valid_choice(voting_type, c, choices_count), fill
    )
    return valid, weights, sums


def _bulk_weights(
    choices: tuple[object, ...], choices_count: int, weights: FloatArray, sums: FloatArray
) -> tuple[BoolArray, BoolArray]:
    """Fill rows that are dicts of canonical keys "1".."n" to plain int/float values."""
    count = len(choices)
    key_index = {str(i + 1): i for i in range(choices_count)}
    is_dict = np.array([type(c) is dict for c in choices], dtype=np.bool_)
    dicts: list[dict[Any, Any]] = _pick(choices, is_dict)  # type: ignore[assignment]
    lengths = np.zeros(count, dtype=np.int64)
    lengths[is_dict] = np.fromiter(map(len, dicts), dtype=np.int64, count=len(dicts))
    rows = np.repeat(np.arange(count), lengths)
    keys = chain.from_iterable(dicts)
    columns = np.fromiter(
        map(key_index.get, keys, repeat(-1)), dtype=np.int64, count=int(lengths.sum())
    )
    values = list(chain.from_iterable(map(dict.values, dicts)))
    plain = type_mask(values, (int, float)) & (columns >= 0)
    numbers = values if plain.all() else _zero_unless(values, plain, 0.0)
    try:
        plain_values = np.fromiter(numbers, dtype=np.float64, count=len(values))
    except OverflowError:
        plain_values = np.zeros(len(values), dtype=np.float64)
        plain &= False
    plain &= ~np.isnan(plain_values)  # NaN is not >= 0: leave it to the per-vote check
    odd = np.bincount(rows[~plain], minlength=count) > 0
    simple = is_dict & ~odd & (lengths > 0)
    keep = simple[rows]
    weights[rows[keep], columns[keep]] = plain_values[keep]
    present = np.nan_to_num(weights[simple], nan=0.0)
    running = np.zeros(present.shape[0], dtype=np.float64)
    for column in range(choices_count):  # ascending key order, as Object.values lists them
        running = running + present[:, column]
    sums[simple] = running
    negative = np.bincount(rows[keep & (plain_values < 0)], minlength=count) > 0
    positive = np.bincount(rows[keep & (plain_values > 0)], minlength=count) > 0
    return simple, simple & ~negative & positive
