"""Copeland voting: pairwise duels between choices, scored 1 / 0.5 / 0 and renormalised.

Each pairwise cell ``pw[a][b]`` receives at most one ``+balance`` or ``-balance`` per ballot, so
its value is a left fold over the ballots in order; ``pw[b][a]`` is its exact negation. The
``current`` variant (snapshot.js >= 0.14.25) needs full rankings and adds an average-support
tie-break; the ``legacy`` variant accepts partial rankings and has no tie-break.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from app.tally.encoding import UNRANKED
from app.tally.folds import FloatArray, fold_columns, fold_floats

Tallies = tuple[list[float], list[list[float]]]
IntArray = npt.NDArray[np.int64]


def count_copeland(
    positions: IntArray,
    balances: FloatArray,
    strategy_scores: FloatArray,
    choices_count: int,
    variant: str,
) -> tuple[Tallies, float]:
    """Scores, scores by strategy, and the total (the valid votes' power)."""
    bonus = variant == "current"
    weights = np.concatenate([balances[:, None], strategy_scores], axis=1)
    duels, support = _pairwise(positions, weights, choices_count, with_support=bonus)
    column_totals = [float(v) for v in fold_columns(weights)]
    results: list[list[float]] = []
    for column, total in enumerate(column_totals):
        wins = _copeland_points(duels[:, :, column], choices_count)
        if bonus and choices_count > 1 and total > 0:
            matchups = choices_count - 1
            wins = [w + 0.5 * (support[i, column] / (matchups * total)) for i, w in enumerate(wins)]
        results.append(_normalise(wins, total, headline=column == 0))
    scores = results[0]
    by_strategy = [
        [results[1 + s][i] for s in range(weights.shape[1] - 1)] for i in range(choices_count)
    ]
    return (scores, by_strategy), column_totals[0]


def _pairwise(
    positions: IntArray, weights: FloatArray, count: int, *, with_support: bool
) -> tuple[FloatArray, FloatArray]:
    """``duels[a, b, column]`` and ``support[a, column]`` folded over the ballots in order."""
    columns = weights.shape[1]
    duels = np.zeros((count, count, columns), dtype=np.float64)
    support = np.zeros((count, columns), dtype=np.float64)
    ranked = positions != UNRANKED
    positions = positions.astype(np.int16 if count < 2**15 else np.int64)
    first, second = np.triu_indices(count, k=1)
    # +1 where ``first`` is ranked above ``second``, -1 below, 0 when either is unranked (adding
    # a zero leaves a fold unchanged, so every pair can be folded over every ballot).
    sign = np.where(positions[:, first] < positions[:, second], 1.0, -1.0)
    if not ranked.all():
        sign *= ranked[:, first] & ranked[:, second]
    for column in range(columns):
        folded = fold_columns(sign * weights[:, column, None])
        duels[first, second, column] = folded
        duels[second, first, column] = -folded
    if with_support:
        _add_support(positions, ranked, weights, support)
    return duels, support


def _add_support(
    positions: IntArray, ranked: npt.NDArray[np.bool_], weights: FloatArray, support: FloatArray
) -> None:
    """Add each ballot's weight to ``support[a]`` once per candidate ranked below ``a``.

    The repeated additions stay one after another, ballot after ballot, as in snapshot.js's
    nested loops: ``np.add.at`` applies them in array order.
    """
    count = positions.shape[1]
    if ranked.all():  # full rankings: ``count - 1 - position`` candidates rank below
        below = (count - 1 - positions).ravel()
    else:
        lower = ranked[:, None, :] & (positions[:, None, :] > positions[:, :, None])
        below = np.where(ranked, lower.sum(axis=2), 0).ravel()
    cells = np.repeat(np.arange(below.size), below)  # cell = ballot * count + candidate
    targets, ballots = cells % count, cells // count
    for column in range(weights.shape[1]):
        np.add.at(support[:, column], targets, weights[:, column].take(ballots))


def _copeland_points(duel: FloatArray, count: int) -> list[float]:
    points = [0.0] * count
    for i in range(count):
        for j in range(count):
            if i == j:
                continue
            if duel[i, j] > 0:
                points[i] += 1
            elif duel[i, j] < 0:
                points[j] += 1
            else:
                points[i] += 0.5
                points[j] += 0.5
    return points


def _normalise(points: list[float], total: float, *, headline: bool) -> list[float]:
    points_total = fold_floats(points)
    if points_total > 0:
        return [(p / points_total) * total for p in points]
    if headline or total > 0:
        return [total / len(points) for _ in points]
    return [0.0] * len(points)
