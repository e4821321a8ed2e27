"""The records the tally engine takes and returns (frozen, JSON-shaped)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TallyVote:
    """One Snapshot vote as snapshot.js's voting classes see it.

    ``choice`` is the JSON value the voter signed (an int, a list of ints, or a mapping of
    "1".."n" to weights); ``balance`` is the vote's voting power and ``scores`` its voting power
    per strategy.
    """

    choice: object
    balance: float
    scores: tuple[float, ...]


@dataclass(frozen=True)
class TallyResult:
    """What snapshot.js's ``getScores``, ``getScoresByStrategy`` and ``getScoresTotal`` return."""

    scores: tuple[float, ...]
    scores_by_strategy: tuple[tuple[float, ...], ...]
    scores_total: float
