"""``verify_scores``: a recount against the hub's reported numbers, within a tolerance."""

from __future__ import annotations

import math
import random

import pytest

from app.errors import InputError
from app.tally import ReportedScores, TallyVote, tally, verify_scores

CHOICES = ["Yes", "No", "Abstain"]


def _random_votes(seed: int, count: int = 2000) -> list[TallyVote]:
    rng = random.Random(seed)
    votes = []
    for _ in range(count):
        scores = (rng.uniform(0, 1e4), rng.uniform(0, 10))
        votes.append(TallyVote(rng.randint(1, 3), scores[0] + scores[1], scores))
    return votes


def test_hub_order_differences_are_within_tolerance() -> None:
    votes = _random_votes(1)
    shuffled = votes[:]
    random.Random(2).shuffle(shuffled)
    hub = tally("single-choice", CHOICES, shuffled, 2)
    reported = ReportedScores(hub.scores, hub.scores_by_strategy, hub.scores_total)
    outcome = verify_scores("single-choice", CHOICES, votes, 2, reported)
    assert outcome.matches
    assert outcome.mismatches == ()
    assert len(outcome.differences) == 3 + 6 + 1


def test_a_changed_score_is_reported_per_choice() -> None:
    votes = _random_votes(3)
    local = tally("single-choice", CHOICES, votes, 2)
    reported = ReportedScores((local.scores[0], local.scores[1] * 1.001, local.scores[2]))
    outcome = verify_scores("single-choice", CHOICES, votes, 2, reported)
    assert not outcome.matches
    [mismatch] = outcome.mismatches
    assert mismatch.label == "scores[1] (No)"
    assert math.isclose(mismatch.difference, -local.scores[1] * 0.001, rel_tol=1e-6)


def test_copeland_tries_the_legacy_variant() -> None:
    ballots = [
        TallyVote([1, 2, 3], 4, (4,)),
        TallyVote([2, 1, 3], 3, (3,)),
        TallyVote([3, 2, 1], 3, (3,)),
        TallyVote([1, 2], 100, (100,)),
    ]
    old = tally("copeland", CHOICES, ballots, 1, copeland_variant="legacy")
    outcome = verify_scores("copeland", CHOICES, ballots, 1, ReportedScores(old.scores))
    assert outcome.matches
    assert outcome.copeland_variant == "legacy"
    new = tally("copeland", CHOICES, ballots, 1)
    outcome = verify_scores("copeland", CHOICES, ballots, 1, ReportedScores(new.scores))
    assert outcome.copeland_variant == "current"


def test_wrong_shape_is_an_input_error() -> None:
    with pytest.raises(InputError, match="2 scores"):
        verify_scores("single-choice", CHOICES, [], 1, ReportedScores((1.0, 2.0)))
    with pytest.raises(InputError, match="scores_by_strategy"):
        verify_scores(
            "single-choice", CHOICES, [], 1, ReportedScores((0, 0, 0), ((0, 0), (0,), (0,)))
        )
