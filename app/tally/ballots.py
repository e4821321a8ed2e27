"""``encode_votes``: a VoteTable's valid votes, checked and shaped for counting.

This is the Python counterpart of snapshot.js's ``getValidVotes()`` (plus its implicit number
handling): it checks every balance and score, applies ``isValidChoice`` to every vote and keeps
what each counting kernel needs, in vote order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.domain.voting import SINGLE_TYPES, WEIGHTED_TYPES, VotingType
from app.tally.encoding import (
    BoolArray,
    Entries,
    check_numbers,
    encode_approval,
    encode_rankings,
    encode_single,
    encode_weights,
)
from app.tally.folds import FloatArray, fold
from app.tally.table import IntArray, VoteTable
from app.tally.validity import check_copeland_variant, check_voting_type


@dataclass(frozen=True)
class EncodedVotes:
    """One proposal's votes, judged; what the counting needs depends on the type.

    ``powers`` holds every vote (balance, then per-strategy scores) and ``valid`` says which
    count. Single-choice and basic use ``targets`` (0-based choice, -1 if invalid); approval,
    weighted and quadratic use ``entries`` (plus ``value_sums``, each vote's sum of values, for
    the last two); ranked-choice and Copeland use ``rankings`` (valid votes only, 0-based).
    """

    voting_type: str
    choices_count: int
    copeland_variant: str
    all_votes_total: float
    powers: FloatArray
    valid: BoolArray
    targets: IntArray | None = None
    entries: Entries | None = None
    value_sums: FloatArray | None = None
    rankings: IntArray | None = None

    def valid_powers(self) -> FloatArray:
        """``powers`` of the valid votes only (no copy when every vote is valid)."""
        return (
            self.powers if bool(self.valid.all()) else np.compress(self.valid, self.powers, axis=0)
        )


def encode_votes(
    voting_type: str,
    choices_count: int,
    table: VoteTable,
    *,
    copeland_variant: str = "current",
) -> EncodedVotes:
    """Judge every vote of ``table``; raise InputError on unusable balances or scores."""
    check_voting_type(voting_type)
    check_copeland_variant(copeland_variant)
    check_numbers(table)
    n = choices_count
    common = {
        "voting_type": voting_type,
        "choices_count": n,
        "copeland_variant": copeland_variant,
        "all_votes_total": fold(table.balances),
        "powers": table.powers,
    }
    if voting_type in SINGLE_TYPES:
        targets = encode_single(table, n)
        return EncodedVotes(**common, valid=targets >= 0, targets=targets)  # type: ignore[arg-type]
    if voting_type == VotingType.APPROVAL:
        valid, entries = encode_approval(table, n)
        return EncodedVotes(**common, valid=valid, entries=entries)  # type: ignore[arg-type]
    if voting_type in WEIGHTED_TYPES:
        valid, entries, sums = encode_weights(table, n, voting_type)
        return EncodedVotes(**common, valid=valid, entries=entries, value_sums=sums)  # type: ignore[arg-type]
    partial = voting_type == VotingType.COPELAND and copeland_variant == "legacy"
    valid, rankings = encode_rankings(table, n, voting_type=voting_type, partial=partial)
    return EncodedVotes(**common, valid=valid, rankings=rankings)  # type: ignore[arg-type]
