"""Ranked-choice voting: snapshot.js's instant runoff (``irv`` in rankedChoice.ts).

A valid ballot ranks every choice, so every remaining candidate appears on every ballot and no
ballot ever runs empty. Each round, every ballot adds its power to its first remaining
preference. ``np.add.at`` adds in ballot order, so each candidate's count is its own left fold
over the ballots in their original order: bit-identical to snapshot.js. The runoff stops when
the leader has more than half the power or fewer than three candidates remain; otherwise the
lowest-numbered candidate with the fewest votes is eliminated.
"""

from __future__ import annotations

import numpy as np

from app.errors import InputError
from app.tally.folds import FloatArray, fold, fold_into
from app.tally.table import IntArray

Tallies = tuple[list[float], list[list[float]]]


def count_ranked_choice(rankings: IntArray, powers: FloatArray, choices_count: int) -> Tallies:
    """Final-round counts per choice (zero for eliminated choices), from 0-based rankings.

    ``powers`` holds the valid votes' balance and then their per-strategy scores.
    """
    if powers.shape[0] == 0:
        zeros = np.zeros((choices_count, powers.shape[1] - 1), dtype=np.float64)
        return [0.0] * choices_count, zeros.tolist()
    runoff = InstantRunoff(rankings, np.ascontiguousarray(powers[:, 0]), choices_count)
    counts = runoff.run()
    by_strategy = fold_into(choices_count, runoff.first, powers[:, 1:])
    return counts.tolist(), by_strategy.T.tolist()


class InstantRunoff:
    """The rounds of one runoff; ``first`` is each ballot's current first preference."""

    def __init__(self, rankings: IntArray, balances: FloatArray, choices_count: int) -> None:
        self._rankings = rankings
        self._balances = balances
        self._alive = np.ones(choices_count, dtype=np.bool_)
        self._pointer = np.zeros(rankings.shape[0], dtype=np.int64)
        self.first: IntArray = rankings[:, 0].copy()

    def run(self) -> FloatArray:
        """Counts of the final round (zero for eliminated candidates)."""
        total = fold(self._balances)
        while True:
            counts = np.zeros(self._alive.shape[0], dtype=np.float64)
            np.add.at(counts, self.first, self._balances)
            candidates = np.flatnonzero(self._alive)
            standing = counts[candidates].tolist()
            if max(standing) > total / 2 or len(candidates) < 3:
                return counts
            self._eliminate(int(candidates[_lowest(standing)]))

    def _eliminate(self, candidate: int) -> None:
        self._alive[candidate] = False
        moving = np.flatnonzero(self.first == candidate)
        while moving.size:
            self._pointer[moving] += 1
            nxt = self._rankings[moving, self._pointer[moving]]
            self.first[moving] = nxt
            moving = moving[~self._alive[nxt]]


def _lowest(counts: list[float]) -> int:
    """Index of the first minimum, as snapshot.js's strict ``<`` scan from Infinity finds it."""
    best, lowest = -1, float("inf")
    for position, count in enumerate(counts):
        if count < lowest:
            best, lowest = position, count
    if best < 0:
        raise InputError(
            "The ranked-choice tally overflowed: voting power sums to infinity, which "
            "snapshot.js cannot resolve either."
        )
    return best
