"""Single-choice (and basic) and approval: each valid vote adds its power to the chosen choices.

``np.add.at`` applies its additions one element after another, in array order, so every choice's
total is the same left fold over the votes that snapshot.js computes.
"""

from __future__ import annotations

import numpy as np

from app.tally.encoding import BoolArray, IntArray
from app.tally.folds import FloatArray

Tallies = tuple[list[float], list[list[float]]]


def count_single_choice(
    targets: IntArray, balances: FloatArray, scores: FloatArray, choices_count: int
) -> Tallies:
    """``scores[i]`` is the fold of the balances of the valid votes for choice ``i + 1``."""
    return accumulate(targets, balances, scores, choices_count)


def count_approval(
    member: BoolArray, balances: FloatArray, scores: FloatArray, choices_count: int
) -> Tallies:
    """Each valid ballot adds its full balance to every choice it approves."""
    rows, targets = np.nonzero(member)  # row-major: vote order within every choice
    picked = scores.T.take(rows, axis=1).T  # one contiguous row per strategy
    return accumulate(targets, balances.take(rows), picked, choices_count)


def accumulate(
    targets: IntArray, balances: FloatArray, scores: FloatArray, choices_count: int
) -> Tallies:
    """Fold ``balances`` (and each strategy column) into ``choices_count`` bins, in order."""
    totals = np.zeros(choices_count, dtype=np.float64)
    np.add.at(totals, targets, balances)
    by_strategy = np.zeros((choices_count, scores.shape[1]), dtype=np.float64)
    for strategy in range(scores.shape[1]):
        np.add.at(by_strategy[:, strategy], targets, scores[:, strategy])
    return totals.tolist(), by_strategy.tolist()
