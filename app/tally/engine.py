"""``tally()``: recompute a Snapshot proposal's result exactly as snapshot.js 0.17.5 does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from app.domain.voting import SINGLE_TYPES, WEIGHTED_TYPES, VotingType
from app.errors import InputError
from app.tally.additive import count_approval, count_approval_table, count_single_choice
from app.tally.ballots import EncodedVotes, encode_votes
from app.tally.copeland import count_copeland, count_copeland_table
from app.tally.encoding import check_numbers
from app.tally.folds import fold
from app.tally.proportional import (
    count_proportional_table,
    count_quadratic,
    count_weighted,
)
from app.tally.records import TallyResult, TallyVote
from app.tally.runoff import count_ranked_choice
from app.tally.table import VoteTable
from app.tally.validity import check_copeland_variant

Tallies = tuple[list[float], list[list[float]]]
T = TypeVar("T")


def tally(
    voting_type: str,
    choices: Sequence[str],
    votes: Sequence[TallyVote] | VoteTable,
    strategies_count: int,
    *,
    copeland_variant: str = "current",
) -> TallyResult:
    """Scores, scores by strategy and total, bit-identical to snapshot.js for the same vote order.

    ``votes`` is a sequence of TallyVote records or a VoteTable built from them (build the table
    once to count the same votes several times). Raises InputError for an unknown voting type or
    Copeland variant, for balances or scores that are negative or not finite, and when a vote's
    score count differs from ``strategies_count``.
    """
    # JavaScript's arithmetic is IEEE-754's: finite powers may add up to Infinity, and Infinity /
    # Infinity is NaN, with no error. numpy computes the same values; its warnings are not ours.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _tally(voting_type, choices, votes, strategies_count, copeland_variant)


def _tally(
    voting_type: str,
    choices: Sequence[str],
    votes: Sequence[TallyVote] | VoteTable,
    strategies_count: int,
    copeland_variant: str,
) -> TallyResult:
    if isinstance(votes, VoteTable):
        table = votes
        if table.size == 0 and table.strategies_count != strategies_count:
            table = VoteTable.from_votes([], strategies_count)
        _check_strategies(table, strategies_count)
    else:
        table = VoteTable.from_votes(votes, strategies_count)
    if voting_type == VotingType.COPELAND:
        check_copeland_variant(copeland_variant)
        check_numbers(table)
        counted = count_copeland_table(table, len(choices), copeland_variant)
        if counted is not None:
            return _result(*counted)
    elif voting_type == VotingType.APPROVAL:
        check_numbers(table)
        counted = count_approval_table(table, len(choices))
        if counted is not None:
            return _result(*counted)
    elif voting_type in WEIGHTED_TYPES:
        check_numbers(table)
        quadratic = voting_type == VotingType.QUADRATIC
        counted = count_proportional_table(table, len(choices), quadratic=quadratic)
        if counted is not None:
            return _result(*counted)
    encoded = encode_votes(voting_type, len(choices), table, copeland_variant=copeland_variant)
    return _count_encoded(encoded)


def _check_strategies(table: VoteTable, strategies_count: int) -> None:
    if table.strategies_count != strategies_count:
        raise InputError(
            f"The votes carry {table.strategies_count} strategy scores each, "
            f"but the proposal has {strategies_count} strategies."
        )


def tally_encoded(encoded: EncodedVotes) -> TallyResult:
    """Count votes already judged by ``encode_votes``."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # as in ``tally``
        return _count_encoded(encoded)


def _count_encoded(encoded: EncodedVotes) -> TallyResult:
    n, kind, powers = encoded.choices_count, encoded.voting_type, encoded.powers
    if kind == VotingType.COPELAND:
        tallies, total = count_copeland(
            _required(encoded.rankings), encoded.valid_powers(), n, encoded.copeland_variant
        )
        return _result(tallies, total)
    if kind in SINGLE_TYPES:
        tallies = count_single_choice(_required(encoded.targets), powers, n)
    elif kind == VotingType.APPROVAL:
        tallies = count_approval(_required(encoded.entries), powers, n)
    elif kind == VotingType.RANKED_CHOICE:
        tallies = count_ranked_choice(_required(encoded.rankings), encoded.valid_powers(), n)
    else:
        count = count_weighted if kind == VotingType.WEIGHTED else count_quadratic
        valid_total = fold(encoded.powers[encoded.valid, 0])
        entries, sums = _required(encoded.entries), _required(encoded.value_sums)
        tallies = count(entries, sums, powers, valid_total, n)
    return _result(tallies, encoded.all_votes_total)


def _required(value: T | None) -> T:
    """A field ``encode_votes`` always sets for the voting type at hand."""
    if value is None:
        raise ValueError("encode_votes left out what this voting type counts")
    return value


def _result(tallies: Tallies, total: float) -> TallyResult:
    scores, by_strategy = tallies
    return TallyResult(
        scores=tuple(float(value) for value in scores),
        scores_by_strategy=tuple(tuple(float(value) for value in row) for row in by_strategy),
        scores_total=float(total),
    )
