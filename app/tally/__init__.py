"""Local re-tally of Snapshot and Governor votes (pure code: no I/O).

``tally()`` recomputes a Snapshot proposal's ``scores``, ``scores_by_strategy`` and
``scores_total`` (from TallyVote records, or from a ``VoteTable``: the same votes in columns)
bit-identically to snapshot.js 0.17.5 (every voting type, both Copeland
variants); ``is_valid_choice()`` says which choices it counts; ``verify_scores()`` compares a
recount with the hub's numbers; ``tally_governor_votes()`` recounts on-chain VoteCast events.
"""

from __future__ import annotations

from app.tally.engine import tally
from app.tally.governor_votes import (
    GovernorComparison,
    GovernorTally,
    GovernorVoteRecord,
    Support,
    compare_governor_counts,
    tally_governor_votes,
)
from app.tally.hub_scores import ReportedScores, ScoreDifference, ScoreVerification, verify_scores
from app.tally.records import TallyResult, TallyVote
from app.tally.table import VoteTable
from app.tally.validity import COPELAND_VARIANTS, VOTING_TYPES, is_valid_choice

__all__ = [
    "COPELAND_VARIANTS",
    "VOTING_TYPES",
    "GovernorComparison",
    "GovernorTally",
    "GovernorVoteRecord",
    "ReportedScores",
    "ScoreDifference",
    "ScoreVerification",
    "Support",
    "TallyResult",
    "TallyVote",
    "VoteTable",
    "compare_governor_counts",
    "is_valid_choice",
    "tally",
    "tally_governor_votes",
    "verify_scores",
]
