"""``tally()``: recompute a Snapshot proposal's result exactly as snapshot.js 0.17.5 does."""

from __future__ import annotations

from collections.abc import Sequence

from app.tally.additive import count_approval, count_single_choice
from app.tally.ballots import EncodedVotes, encode_votes
from app.tally.copeland import count_copeland
from app.tally.proportional import count_quadratic, count_weighted
from app.tally.records import TallyResult, TallyVote
from app.tally.runoff import count_ranked_choice

Tallies = tuple[list[float], list[list[float]]]


def tally(
    voting_type: str,
    choices: Sequence[str],
    votes: Sequence[TallyVote],
    strategies_count: int,
    *,
    copeland_variant: str = "current",
) -> TallyResult:
    """Scores, scores by strategy and total, bit-identical to snapshot.js for the same vote order.

    Raises InputError for an unknown voting type or Copeland variant, for balances or scores that
    are negative or not finite, and when a vote's score count differs from ``strategies_count``.
    """
    encoded = encode_votes(
        voting_type, len(choices), votes, strategies_count, copeland_variant=copeland_variant
    )
    return tally_encoded(encoded)


def tally_encoded(encoded: EncodedVotes) -> TallyResult:
    """Count votes already checked and converted by ``encode_votes``."""
    ballots, n = encoded.ballots, encoded.choices_count
    balances, scores = encoded.balances, encoded.scores
    kind = encoded.voting_type
    if kind == "copeland":
        tallies, total = count_copeland(ballots, balances, scores, n, encoded.copeland_variant)
        return _result(tallies, total)
    if kind in ("single-choice", "basic"):
        tallies = count_single_choice(ballots, balances, scores, n)
    elif kind == "approval":
        tallies = count_approval(ballots, balances, scores, n)
    elif kind == "ranked-choice":
        tallies = count_ranked_choice(ballots, balances, scores, n)
    elif kind == "weighted":
        tallies = count_weighted(ballots, encoded.value_sums, balances, scores)
    else:
        tallies = count_quadratic(ballots, encoded.value_sums, balances, scores)
    return _result(tallies, encoded.all_votes_total)


def _result(tallies: Tallies, total: float) -> TallyResult:
    scores, by_strategy = tallies
    return TallyResult(
        scores=tuple(float(value) for value in scores),
        scores_by_strategy=tuple(tuple(float(value) for value in row) for row in by_strategy),
        scores_total=float(total),
    )
