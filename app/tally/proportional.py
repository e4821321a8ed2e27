"""Weighted and quadratic voting: a ballot spreads its power over choices by relative weight.

Per vote, the weight of choice ``i`` is ``choice["i+1"] / (sum of all values in Object.values
order)``; a missing key gives NaN, which snapshot.js maps to 0, so only the keys a ballot names
contribute (the others add ``+0``, which leaves a fold unchanged). Every step keeps snapshot.js's
exact operation order (``(w / S) * 100 / 100 * balance`` for weighted, for example), and every
per-choice sum is a left fold over the votes in order.
"""

from __future__ import annotations

import numpy as np

from app.tally.encoding import Entries
from app.tally.folds import FloatArray, fold_floats, fold_into, js_divide, nan_to_zero
from app.tally.table import VoteTable

try:
    from app.tally import _kernels

    _COMPILED = True
except ImportError:  # built without a C compiler: the numpy path counts alike, more slowly
    _COMPILED = False

Tallies = tuple[list[float], list[list[float]]]


def count_proportional_table(
    table: VoteTable, choices_count: int, *, quadratic: bool
) -> tuple[Tallies, float] | None:
    """The whole count in compiled code, from the table's columns; None where it does not apply.

    ``_kernels.weights_fold`` judges every plain row and folds each choice's shares in
    snapshot.js's order (see ``_kernels.c``). Tables with odd rows (judged one by one in Python)
    and builds without the compiled module take the numpy path. Returns the tallies and the total
    of every vote's balance.
    """
    if not _COMPILED or table.others or choices_count < 1:
        return None
    columns = table.powers.shape[1]
    folded = np.empty((columns, choices_count), dtype=np.float64)
    totals = np.empty(2, dtype=np.float64)
    _kernels.weights_fold(
        np.ascontiguousarray(table.kinds),
        np.ascontiguousarray(table.map_offsets),
        np.ascontiguousarray(table.map_keys),
        np.ascontiguousarray(table.map_values),
        np.ascontiguousarray(table.powers),
        choices_count,
        columns,
        quadratic,
        np.empty(table.size, dtype=np.uint8),
        folded,
        totals,
    )
    valid_total, all_total = float(totals[0]), float(totals[1])
    scores = _quadratic_scores if quadratic else _weighted_scores
    return scores(folded, valid_total), all_total


def count_weighted(
    entries: Entries, sums: FloatArray, powers: FloatArray, valid_total: float, choices: int
) -> Tallies:
    """snapshot.js ``WeightedVoting.getScores`` / ``getScoresByStrategy``."""
    share = _shares(entries, sums, percent=True)
    with np.errstate(all="ignore"):
        folded = fold_into(choices, entries.targets, share[:, None] * powers[entries.owners])
    return _weighted_scores(folded, valid_total)


def _weighted_scores(folded: FloatArray, valid_total: float) -> Tallies:
    """Scores from the per-choice sums ``folded[column][choice]``."""
    results = folded[0].tolist()
    per_strategy = folded[1:].T.tolist()
    results_total = fold_floats(results)
    scores = [
        (valid_total / 100) * nan_to_zero(js_divide(value, results_total) * 100)
        for value in results
    ]
    flat_total = fold_floats(v for row in per_strategy for v in row)
    by_strategy = [
        [(valid_total / 100) * nan_to_zero(js_divide(v, flat_total) * 100) for v in row]
        for row in per_strategy
    ]
    return scores, by_strategy


def count_quadratic(
    entries: Entries, sums: FloatArray, powers: FloatArray, valid_total: float, choices: int
) -> Tallies:
    """snapshot.js ``QuadraticVoting.getScores`` / ``getScoresByStrategy``."""
    part = _shares(entries, sums, percent=False)
    with np.errstate(all="ignore"):
        folded = fold_into(
            choices, entries.targets, np.sqrt(part[:, None] * powers[entries.owners])
        )
    return _quadratic_scores(folded, valid_total)


def _quadratic_scores(folded: FloatArray, valid_total: float) -> Tallies:
    """Scores from the per-choice sums of roots ``folded[column][choice]``."""
    roots = folded[0].tolist()
    per_strategy = folded[1:].T.tolist()
    squares = [root * root for root in roots]
    squares_total = fold_floats(squares)
    scores = [valid_total * nan_to_zero(js_divide(sq, squares_total)) for sq in squares]
    squared = [[v * v for v in row] for row in per_strategy]
    flat_total = fold_floats(v for row in squared for v in row)
    by_strategy = [
        [valid_total * nan_to_zero(js_divide(v, flat_total)) for v in row] for row in squared
    ]
    return scores, by_strategy


def _shares(entries: Entries, sums: FloatArray, *, percent: bool) -> FloatArray:
    """Per entry: ``(w / S) * 100 / 100`` (weighted) or ``w / S`` (quadratic), NaN as 0."""
    with np.errstate(all="ignore"):
        ratio = entries.values / sums[entries.owners]
        if percent:
            ratio = ratio * 100
        ratio = np.where(np.isnan(ratio), 0.0, ratio)
        share: FloatArray = ratio / 100 if percent else ratio
    return share
