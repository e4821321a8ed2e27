"""Votes as numpy columns: choices, balances and per-strategy scores, in vote order.

Checks every balance and score once (finite, not negative, one score per strategy) so the kernels
can assume clean numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

import numpy as np

from app.errors import InputError
from app.tally.folds import FloatArray
from app.tally.records import TallyVote

_BALANCE = attrgetter("balance")
_SCORES = attrgetter("scores")
_CHOICE = attrgetter("choice")


@dataclass(frozen=True)
class VoteColumns:
    """All votes of a proposal as arrays, in their original order."""

    choices: tuple[object, ...]
    balances: FloatArray  # shape (votes,)
    scores: FloatArray  # shape (votes, strategies)


def build_columns(votes: Sequence[TallyVote], strategies_count: int) -> VoteColumns:
    """Check and convert ``votes`` to columns; raise InputError on unusable numbers."""
    if strategies_count < 0:
        raise InputError("The number of strategies cannot be negative.")
    count = len(votes)
    try:
        balances = np.fromiter(map(_BALANCE, votes), dtype=np.float64, count=count)
        scores = _score_matrix(votes, strategies_count)
    except (OverflowError, TypeError, ValueError) as exc:
        raise InputError(
            "A vote's balance or strategy score is not a usable number.", detail=str(exc)
        ) from exc
    _check_numbers(balances, "balance")
    _check_numbers(scores.reshape(-1), "score")
    return VoteColumns(tuple(map(_CHOICE, votes)), balances, scores)


def _score_matrix(votes: Sequence[TallyVote], strategies_count: int) -> FloatArray:
    per_vote = list(map(_SCORES, votes))
    if set(map(len, per_vote)) - {strategies_count}:
        position = next(i for i, s in enumerate(per_vote) if len(s) != strategies_count)
        raise InputError(
            f"Vote #{position + 1} has {len(per_vote[position])} strategy scores, "
            f"but the proposal has {strategies_count} strategies."
        )
    flat = np.fromiter(
        chain.from_iterable(per_vote), dtype=np.float64, count=len(votes) * strategies_count
    )
    return flat.reshape(len(votes), strategies_count)


def _check_numbers(values: FloatArray, what: str) -> None:
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        position = int(np.argmax(bad))
        raise InputError(
            f"A vote has an unusable {what} ({values[position]!r}): voting power must be a "
            "finite number that is not negative."
        )
