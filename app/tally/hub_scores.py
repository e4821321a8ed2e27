"""Compare a local recount with the scores the Snapshot hub reports.

The hub sums votes in no fixed order, so its floats may differ from a recount in the last bits:
values are compared with a relative and an absolute tolerance. For Copeland both snapshot.js
variants are tried, because closed proposals keep the scores of the version that counted them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.voting import VotingType
from app.errors import InputError
from app.tally.engine import tally
from app.tally.records import TallyResult, TallyVote
from app.tally.table import VoteTable
from app.tally.validity import COPELAND_VARIANTS

DEFAULT_REL_TOL = 1e-9
DEFAULT_ABS_TOL = 1e-9


@dataclass(frozen=True)
class ScoreDifference:
    """One compared number: a choice's score, a per-strategy score, or the total."""

    label: str
    local: float
    reported: float
    within_tolerance: bool

    @property
    def difference(self) -> float:
        return self.local - self.reported


@dataclass(frozen=True)
class ScoreVerification:
    """The outcome of ``verify_scores``: the recount and every per-number comparison."""

    matches: bool
    copeland_variant: str | None
    result: TallyResult
    differences: tuple[ScoreDifference, ...]

    @property
    def mismatches(self) -> tuple[ScoreDifference, ...]:
        return tuple(d for d in self.differences if not d.within_tolerance)


@dataclass(frozen=True)
class ReportedScores:
    """What the hub says: ``scores``, and optionally ``scores_by_strategy`` and ``scores_total``."""

    scores: tuple[float, ...]
    scores_by_strategy: tuple[tuple[float, ...], ...] | None = None
    scores_total: float | None = None


def verify_scores(
    voting_type: str,
    choices: Sequence[str],
    votes: Sequence[TallyVote] | VoteTable,
    strategies_count: int,
    reported: ReportedScores,
    *,
    rel_tol: float = DEFAULT_REL_TOL,
    abs_tol: float = DEFAULT_ABS_TOL,
) -> ScoreVerification:
    """Recount ``votes`` and compare with ``reported``, number by number, within the tolerances."""
    _check_shape(choices, strategies_count, reported)
    variants: tuple[str | None, ...] = (
        COPELAND_VARIANTS if voting_type == VotingType.COPELAND else (None,)
    )
    table = votes if isinstance(votes, VoteTable) else VoteTable.from_votes(votes, strategies_count)
    outcomes = []
    for variant in variants:
        result = tally(
            voting_type, choices, table, strategies_count, copeland_variant=variant or "current"
        )
        differences = _compare(choices, result, reported, rel_tol, abs_tol)
        outcome = ScoreVerification(
            matches=all(d.within_tolerance for d in differences),
            copeland_variant=variant,
            result=result,
            differences=differences,
        )
        if outcome.matches:
            return outcome
        outcomes.append(outcome)
    return outcomes[0]


def _check_shape(choices: Sequence[str], strategies_count: int, reported: ReportedScores) -> None:
    if len(reported.scores) != len(choices):
        raise InputError(
            f"The hub reports {len(reported.scores)} scores for a proposal with "
            f"{len(choices)} choices."
        )
    by_strategy = reported.scores_by_strategy
    if by_strategy is not None and (
        len(by_strategy) != len(choices) or any(len(row) != strategies_count for row in by_strategy)
    ):
        raise InputError(
            "The hub's scores_by_strategy does not have one row per choice and one entry per "
            "strategy."
        )


def _compare(
    choices: Sequence[str],
    result: TallyResult,
    reported: ReportedScores,
    rel_tol: float,
    abs_tol: float,
) -> tuple[ScoreDifference, ...]:
    def pair(label: str, local: float, remote: float) -> ScoreDifference:
        close = math.isclose(local, remote, rel_tol=rel_tol, abs_tol=abs_tol)
        return ScoreDifference(label, local, remote, close)

    compared = [
        pair(f"scores[{i}] ({choice})", result.scores[i], reported.scores[i])
        for i, choice in enumerate(choices)
    ]
    if reported.scores_by_strategy is not None:
        for i, row in enumerate(reported.scores_by_strategy):
            for s, remote in enumerate(row):
                local = result.scores_by_strategy[i][s]
                compared.append(pair(f"scores_by_strategy[{i}][{s}]", local, remote))
    if reported.scores_total is not None:
        compared.append(pair("scores_total", result.scores_total, reported.scores_total))
    return tuple(compared)
