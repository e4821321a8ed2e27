"""Weighted and quadratic voting: a ballot spreads its power over choices by relative weight.

Per vote, the weight of choice ``i`` is ``choice["i+1"] / (sum of all values in Object.values
order)``; a missing key gives NaN, which snapshot.js maps to 0. Every step keeps snapshot.js's
exact operation order (``(w / S) * 100 / 100 * balance`` for weighted, for example), and every
per-choice sum is a left fold over the votes in order.
"""

from __future__ import annotations

import numpy as np

from app.tally.folds import FloatArray, fold, fold_columns, fold_floats, js_divide, nan_to_zero

Tallies = tuple[list[float], list[list[float]]]


def count_weighted(
    weights: FloatArray, sums: FloatArray, balances: FloatArray, strategy_scores: FloatArray
) -> Tallies:
    """snapshot.js ``WeightedVoting.getScores`` / ``getScoresByStrategy``."""
    share = _shares(weights, sums, percent=True)
    with np.errstate(all="ignore"):
        results = fold_columns(share * balances[:, None]).tolist()
        per_strategy = _fold_per_strategy(share, strategy_scores, root=False)
    valid_total = fold(balances)
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
    weights: FloatArray, sums: FloatArray, balances: FloatArray, strategy_scores: FloatArray
) -> Tallies:
    """snapshot.js ``QuadraticVoting.getScores`` / ``getScoresByStrategy``."""
    part = _shares(weights, sums, percent=False)
    with np.errstate(all="ignore"):
        roots = fold_columns(np.sqrt(part * balances[:, None])).tolist()
        per_strategy = _fold_per_strategy(part, strategy_scores, root=True)
    valid_total = fold(balances)
    squares = [root * root for root in roots]
    squares_total = fold_floats(squares)
    scores = [valid_total * nan_to_zero(js_divide(sq, squares_total)) for sq in squares]
    squared = [[v * v for v in row] for row in per_strategy]
    flat_total = fold_floats(v for row in squared for v in row)
    by_strategy = [
        [valid_total * nan_to_zero(js_divide(v, flat_total)) for v in row] for row in squared
    ]
    return scores, by_strategy


def _shares(weights: FloatArray, sums: FloatArray, *, percent: bool) -> FloatArray:
    """Per vote and choice: ``(w / S) * 100 / 100`` (weighted) or ``w / S`` (quadratic)."""
    with np.errstate(all="ignore"):
        ratio = weights / sums[:, None]
        if percent:
            ratio = ratio * 100
        ratio = np.where(np.isnan(ratio), 0.0, ratio)
        share: FloatArray = ratio / 100 if percent else ratio
    return share


def _fold_per_strategy(share: FloatArray, scores: FloatArray, *, root: bool) -> list[list[float]]:
    """``[choice][strategy]`` folds of ``share * score`` (or its square root) over the votes."""
    votes, choices = share.shape
    products = share[:, :, None] * scores[:, None, :]
    if root:
        products = np.sqrt(products)
    folded = fold_columns(products.reshape(votes, choices * scores.shape[1]))
    rows: list[list[float]] = folded.reshape(choices, scores.shape[1]).tolist()
    return rows
