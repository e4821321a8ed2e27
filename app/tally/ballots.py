"""``encode_votes``: TallyVote records to validated numpy arrays, ready for counting.

This is the Python counterpart of snapshot.js's JSON parsing plus ``getValidVotes()``: it checks
every number, applies ``isValidChoice`` and keeps the valid votes, in order, as arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from app.tally.columns import build_columns
from app.tally.encoding import (
    BoolArray,
    encode_approval,
    encode_positions,
    encode_rankings,
    encode_single,
    encode_weights,
)
from app.tally.folds import FloatArray, fold
from app.tally.records import TallyVote
from app.tally.validity import check_copeland_variant, check_voting_type


@dataclass(frozen=True)
class EncodedVotes:
    """The valid votes of one proposal as arrays, plus what the counting needs to know.

    ``ballots`` depends on the type: the 0-based choice (single-choice, basic), a membership
    matrix (approval), 0-based rankings (ranked-choice), rank positions (copeland) or per-choice
    weights with NaN for absent keys (weighted, quadratic; ``value_sums`` holds each vote's sum).
    """

    voting_type: str
    choices_count: int
    copeland_variant: str
    all_votes_total: float
    balances: FloatArray
    scores: FloatArray
    ballots: npt.NDArray[Any]
    value_sums: FloatArray


def encode_votes(
    voting_type: str,
    choices_count: int,
    votes: Sequence[TallyVote],
    strategies_count: int,
    *,
    copeland_variant: str = "current",
) -> EncodedVotes:
    """Check ``votes`` and keep the valid ones as arrays; raise InputError on bad numbers."""
    check_voting_type(voting_type)
    check_copeland_variant(copeland_variant)
    columns = build_columns(votes, strategies_count)
    valid, ballots, sums = _encode_choices(
        voting_type, columns.choices, choices_count, copeland_variant
    )
    return EncodedVotes(
        voting_type=voting_type,
        choices_count=choices_count,
        copeland_variant=copeland_variant,
        all_votes_total=fold(columns.balances),
        balances=columns.balances[valid],
        scores=columns.scores[valid],
        ballots=ballots[valid],
        value_sums=sums[valid],
    )


def _encode_choices(
    voting_type: str, choices: tuple[object, ...], count: int, variant: str
) -> tuple[BoolArray, npt.NDArray[Any], FloatArray]:
    no_sums = np.zeros(len(choices), dtype=np.float64)
    if voting_type in ("single-choice", "basic"):
        index = encode_single(choices, count)
        return index >= 0, index, no_sums
    if voting_type == "approval":
        valid, member = encode_approval(choices, count)
        return valid, member, no_sums
    if voting_type in ("weighted", "quadratic"):
        return encode_weights(choices, count, voting_type)
    if voting_type == "ranked-choice":
        valid, rankings = encode_rankings(choices, count)
        return valid, rankings, no_sums
    valid, positions = encode_positions(
        choices, count, voting_type=voting_type, partial=variant == "legacy"
    )
    return valid, positions, no_sums
