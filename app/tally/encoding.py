"""Which votes count, and their choices as arrays: snapshot.js's ``isValidChoice`` over a table.

Rows of the plain kinds (``INT``, ``LIST``, ``MAPPING``) are judged in bulk with array
operations; ``OTHER`` rows go through ``is_valid_choice`` one by one, so odd JSON still gets
JavaScript semantics, and their encodings are merged back in vote order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.voting import VotingType
from app.errors import InputError
from app.tally.folds import FloatArray
from app.tally.jsvalue import is_js_number, number_value, object_entries
from app.tally.table import INT, LIST, MAPPING, IntArray, VoteTable
from app.tally.validity import is_valid_choice

BoolArray = npt.NDArray[np.bool_]
UNRANKED = -1
MAX_BITMASK_CHOICES = 62


@dataclass(frozen=True)
class Entries:
    """(vote, choice[, value]) triples of the valid votes, in vote order.

    ``owners`` are row numbers in the table, ``targets`` 0-based choices; ``values`` carries the
    mapping value of weighted and quadratic ballots (empty otherwise).
    """

    owners: IntArray
    targets: IntArray
    values: FloatArray


def check_numbers(table: VoteTable) -> None:
    """Raise InputError unless every balance and score is finite and not negative."""
    powers = table.powers
    if powers.size == 0 or (powers.min() >= 0 and powers.max() < np.inf):
        return  # one pass each over every number: the usual case
    bad = ~np.isfinite(powers) | (powers < 0)
    row, column = np.unravel_index(int(np.argmax(bad)), powers.shape)
    what = "balance" if column == 0 else "score"
    raise InputError(
        f"Vote #{int(row) + 1} has an unusable {what} ({float(powers[row, column])!r}): voting "
        "power must be a finite number that is not negative."
    )


def encode_single(table: VoteTable, choices_count: int) -> IntArray:
    """0-based choice per vote, or -1 when snapshot.js ignores the vote."""
    ints = table.ints
    ok = (table.kinds == INT) & (ints >= 1) & (ints <= choices_count)
    index = np.where(ok, ints - 1, -1)
    for row, choice in table.others.items():
        if is_valid_choice(VotingType.SINGLE_CHOICE, choice, choices_count):
            index[row] = int(number_value(choice)) - 1  # type: ignore[arg-type]
    return index


def _rows_of(offsets: IntArray, positions: IntArray) -> IntArray:
    """The row owning each flattened element position."""
    return np.searchsorted(offsets, positions, side="right") - 1


def _list_validity(table: VoteTable, choices_count: int, shortest: int, longest: int) -> BoolArray:
    """Per row: a list of ints with a length in range, every element 1..n, none repeated."""
    offsets, items = table.list_offsets, table.list_items
    lengths = np.diff(offsets)
    valid = (table.kinds == LIST) & (lengths >= shortest) & (lengths <= longest)
    if items.size == 0:
        return np.asarray(valid, dtype=np.bool_)
    out_of_range = (items < 1) | (items > choices_count)
    if out_of_range.any():
        valid[_rows_of(offsets, np.flatnonzero(out_of_range))] = False
    valid &= ~_repeats(offsets, items, lengths, choices_count)
    return np.asarray(valid, dtype=np.bool_)


def _repeats(
    offsets: IntArray, items: IntArray, lengths: IntArray, choices_count: int
) -> BoolArray:
    """Per row: some element occurs twice (elements outside 1..n are ignored)."""
    repeated = np.zeros(lengths.shape[0], dtype=np.bool_)
    nonempty = np.flatnonzero(lengths > 1)
    if nonempty.size == 0:
        return repeated
    if choices_count <= MAX_BITMASK_CHOICES:
        # One bit per choice: a list repeats a choice exactly when its bits' sum exceeds their OR.
        bits = np.left_shift(1, np.clip(items - 1, 0, MAX_BITMASK_CHOICES))
        starts = offsets[:-1][lengths > 0]
        union = np.bitwise_or.reduceat(bits, starts)
        total = np.add.reduceat(bits, starts)
        repeated[lengths > 0] = union != total
        return repeated
    owners = np.repeat(np.arange(lengths.shape[0]), lengths)
    keys = owners * (choices_count + 1) + np.clip(items, 0, choices_count)
    ordered = np.sort(keys)
    repeated[ordered[1:][ordered[1:] == ordered[:-1]] // (choices_count + 1)] = True
    return repeated


def _kept_elements(offsets: IntArray, valid: BoolArray) -> tuple[IntArray, BoolArray | slice]:
    """For the flattened elements of the valid rows: each one's row, and which elements they are."""
    lengths = np.diff(offsets)
    rows = np.arange(valid.shape[0])
    if bool(valid.all()):
        return np.repeat(rows, lengths), slice(None)
    return np.repeat(rows, lengths * valid), np.repeat(valid, lengths)


def _slow_rows(
    table: VoteTable, accept: Callable[[object], bool], fill: Callable[[int, object], None]
) -> list[int]:
    """Validate the ``OTHER`` rows one by one; ``fill`` records each valid row's encoding."""
    valid = []
    for row, choice in table.others.items():
        if accept(choice):
            valid.append(row)
            fill(row, choice)
    return valid


def encode_approval(table: VoteTable, choices_count: int) -> tuple[BoolArray, Entries]:
    """Valid mask and the (vote, choice) pairs approved (numbers only: "2" counts nowhere)."""
    valid = _list_validity(table, choices_count, 0, choices_count)
    owners, picked = _kept_elements(table.list_offsets, valid)
    fast = Entries(owners, table.list_items[picked] - 1, _NO_VALUES)
    extra: list[tuple[int, int]] = []

    def fill(row: int, choice: object) -> None:
        for item in choice:  # type: ignore[attr-defined]
            if is_js_number(item):
                extra.append((row, int(number_value(item)) - 1))

    def accept(choice: object) -> bool:
        return is_valid_choice(VotingType.APPROVAL, choice, choices_count)

    slow = _slow_rows(table, accept, fill)
    valid[slow] = True
    return valid, _merge(fast, extra)


_NO_VALUES = np.zeros(0, dtype=np.float64)


def _merge(
    fast: Entries, extra: list[tuple[int, int]], values: list[float] | None = None
) -> Entries:
    """Add the slow rows' entries and restore vote order (a stable sort by row)."""
    if not extra:
        return fast
    more = np.array(extra, dtype=np.int64).reshape(-1, 2)
    owners = np.concatenate([fast.owners, more[:, 0]])
    order = np.argsort(owners, kind="stable")
    targets = np.concatenate([fast.targets, more[:, 1]])[order]
    merged_values = (
        np.concatenate([fast.values, np.array(values, dtype=np.float64)])[order]
        if values is not None
        else _NO_VALUES
    )
    return Entries(owners[order], targets, merged_values)


def encode_rankings(
    table: VoteTable, choices_count: int, *, voting_type: str, partial: bool = False
) -> tuple[BoolArray, IntArray]:
    """Valid mask and, per valid vote, its 0-based candidates in ranked order.

    Full rankings (ranked-choice, current Copeland) give a (valid votes, n) matrix; partial ones
    (legacy Copeland) pad each row with ``UNRANKED``.
    """
    n = choices_count
    if partial:
        valid = _list_validity(table, n, 1, n)
        rankings = _padded_rankings(table, valid, n)
    else:
        valid, rankings = _full_rankings(table, n)
    variant = "legacy" if partial else "current"

    def accept(choice: object) -> bool:
        return is_valid_choice(voting_type, choice, n, copeland_variant=variant)

    slow: dict[int, list[int]] = {}

    def fill(row: int, choice: object) -> None:
        slow[row] = [item - 1 for item in _numeric_items(choice)]

    _slow_rows(table, accept, fill)
    if not slow:
        return valid, rankings
    # Rare: merge the one-by-one rows back in vote order.
    merged = np.full((table.size, n), UNRANKED, dtype=np.int64)
    merged[valid] = rankings
    for row, ranking in slow.items():
        merged[row, : len(ranking)] = ranking
        valid[row] = True
    return valid, merged[valid]


def _full_rankings(table: VoteTable, n: int) -> tuple[BoolArray, IntArray]:
    """Rows that rank every choice exactly once, and those rankings (0-based)."""
    offsets, items = table.list_offsets, table.list_items
    lengths = np.diff(offsets)
    candidates = (table.kinds == LIST) & (lengths == n)
    valid = np.zeros(table.size, dtype=np.bool_)
    if n == 0 or not candidates.any():
        return valid, np.zeros((0, n), dtype=np.int64)
    if bool(candidates.all()):  # every row is a list of n: no gather needed
        rows, matrix = None, items.reshape(table.size, n)
    else:
        rows = np.flatnonzero(candidates)
        matrix = items[offsets[rows][:, None] + np.arange(n)]
    ok = _is_permutation(matrix, n)
    if rows is None:
        valid = ok
    else:
        valid[rows] = ok
    rankings = matrix - 1 if bool(ok.all()) else np.compress(ok, matrix, axis=0) - 1
    return valid, rankings


def _is_permutation(matrix: IntArray, n: int) -> BoolArray:
    """Per row of n elements: every number 1..n exactly once."""
    if n > MAX_BITMASK_CHOICES:
        return np.asarray((np.sort(matrix, axis=1) == np.arange(1, n + 1)).all(axis=1))
    # n elements, each contributing one bit when in range: all n bits set iff a permutation.
    in_range = (matrix >= 1) & (matrix <= n)
    bits = np.where(in_range, np.left_shift(1, np.clip(matrix - 1, 0, n - 1)), 0)
    total = bits[:, 0].copy()
    for column in range(1, n):
        total += bits[:, column]
    return np.asarray(total == (1 << n) - 1)


def _padded_rankings(table: VoteTable, valid: BoolArray, n: int) -> IntArray:
    """Valid rows' rankings padded with ``UNRANKED`` (partial ballots)."""
    rankings = np.full((table.size, max(n, 1)), UNRANKED, dtype=np.int64)[:, :n]
    owners, picked = _kept_elements(table.list_offsets, valid)
    lengths = np.diff(table.list_offsets) * valid
    starts = np.cumsum(lengths) - lengths
    ranks = np.arange(owners.size) - starts[owners]
    rankings[owners, ranks] = table.list_items[picked] - 1
    return rankings[valid]


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
    table: VoteTable, choices_count: int, voting_type: str
) -> tuple[BoolArray, Entries, FloatArray]:
    """Valid mask, the valid votes' (vote, choice, value) entries, and each vote's value sum.

    The sum adds every value of the mapping in ``Object.values`` order (array-index keys
    ascending), as snapshot.js does.
    """
    n = choices_count
    offsets, keys, values = table.map_offsets, table.map_keys, table.map_values
    lengths = np.diff(offsets)
    mapping = (table.kinds == MAPPING) & (lengths > 0)
    entry_owner = np.repeat(np.arange(table.size), lengths)
    valid = np.zeros(table.size, dtype=np.bool_)
    valid[entry_owner[values > 0]] = True  # at least one value above zero
    valid &= mapping
    valid[entry_owner[(keys < 1) | (keys > n) | (values < 0)]] = False
    picked = valid[entry_owner]
    owners = entry_owner[picked]
    targets = keys[picked] - 1
    entry_values = values[picked]
    sums = np.zeros(table.size, dtype=np.float64)
    if owners.size:
        dense = np.zeros((table.size, n), dtype=np.float64)
        dense[owners, targets] = entry_values
        running = np.zeros(table.size, dtype=np.float64)
        for column in range(n):  # ascending key order, as Object.values lists them
            running += dense[:, column]
        sums = running
    extra: list[tuple[int, int]] = []
    extra_values: list[float] = []
    keys_text = [str(i + 1) for i in range(n)]

    def fill(row: int, choice: object) -> None:
        entries = dict(object_entries(choice))  # type: ignore[arg-type]
        total = 0.0
        for value in entries.values():
            total += number_value(value)  # type: ignore[arg-type]
        sums[row] = total
        for i, key in enumerate(keys_text):
            if key in entries:
                extra.append((row, i))
                extra_values.append(number_value(entries[key]))  # type: ignore[arg-type]

    def accept(choice: object) -> bool:
        return is_valid_choice(voting_type, choice, n)

    slow = _slow_rows(table, accept, fill)
    valid[slow] = True
    merged = _merge(Entries(owners, targets, entry_values), extra, extra_values)
    return valid, merged, sums
