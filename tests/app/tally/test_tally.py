"""Unit tests of the tally engine: snapshot.md §4.8 reference vectors and input errors."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from app.errors import InputError
from app.tally import TallyVote, tally
from app.tally.folds import fold, fold_columns, js_divide

CHOICES = ["A", "B", "C"]


def votes(*rows: tuple[object, tuple[float, ...]]) -> list[TallyVote]:
    """Votes whose balance is the left fold of their scores, as in the reference vectors."""
    out = []
    for choice, scores in rows:
        balance = 0.0
        for score in scores:
            balance += score
        out.append(TallyVote(choice=choice, balance=balance, scores=scores))
    return out


IRV_BALLOTS = votes(
    ([1, 2, 3], (4, 0)), ([2, 1, 3], (3, 0)), ([3, 2, 1], (2, 1)), ([1, 2], (100, 0))
)


def test_single_choice_reference_vector() -> None:
    result = tally(
        "single-choice",
        CHOICES,
        votes((1, (10, 5)), (2, (3, 0)), (1, (0.1, 0.2)), (4, (100, 0)), ("1", (7, 0))),
        2,
    )
    assert result.scores == (15.3, 3, 0)
    assert result.scores_by_strategy == ((10.1, 5.2), (3, 0), (0, 0))
    assert result.scores_total == 125.3


def test_approval_reference_vector() -> None:
    result = tally(
        "approval",
        CHOICES,
        votes(([1, 2], (10, 5)), ([], (3, 0)), ([2, 3], (1, 1)), ([1, 1], (50, 0))),
        2,
    )
    assert result.scores == (15, 17, 2)
    assert result.scores_by_strategy == ((10, 5), (11, 6), (1, 1))
    assert result.scores_total == 70


def test_weighted_reference_vector() -> None:
    ballots = votes(
        ({"1": 1, "2": 3}, (10, 5)),
        ({"3": 2}, (3, 0)),
        ({"1": 0, "2": 0}, (9, 9)),
        ({"2": 1}, (1, 1)),
    )
    result = tally("weighted", CHOICES, ballots, 2)
    assert result.scores == (3.75, 13.25, 3)
    assert result.scores_by_strategy == ((2.5, 1.25), (8.5, 4.75), (3, 0))
    assert result.scores_total == 38


def test_quadratic_reference_vector() -> None:
    ballots = votes(
        ({"1": 1, "2": 3}, (10, 5)), ({"3": 2}, (3, 0)), ({"2": 1}, (1, 1)), ({"1": 1}, (4, 0))
    )
    result = tally("quadratic", CHOICES, ballots, 2)
    assert result.scores == (9.019596136281935, 13.234221199161173, 1.7461826645568932)
    assert result.scores_total == 24


def test_ranked_choice_reference_vector() -> None:
    result = tally("ranked-choice", CHOICES, IRV_BALLOTS, 2)
    assert result.scores == (7, 0, 3)
    assert result.scores_by_strategy == ((7, 0), (0, 0), (2, 1))
    assert result.scores_total == 110


def test_copeland_reference_vector_counts_valid_votes_only() -> None:
    result = tally("copeland", CHOICES, IRV_BALLOTS, 2)
    assert result.scores == (3.3703703703703702, 6.407407407407407, 0.22222222222222224)
    assert result.scores_total == 10


def test_legacy_copeland_counts_partial_rankings_without_tie_break() -> None:
    legacy = tally("copeland", CHOICES, IRV_BALLOTS, 2, copeland_variant="legacy")
    assert legacy.scores_total == 110  # the partial ballot [1, 2] now counts
    assert legacy.scores[2] == 0  # C loses both duels and gets no support bonus


def test_basic_is_single_choice() -> None:
    ballots = votes((1, (2,)), (3, (1,)), (2, (4,)), (1, (0.5,)))
    assert tally("basic", CHOICES, ballots, 1) == tally("single-choice", CHOICES, ballots, 1)


def test_no_votes_gives_zero_scores() -> None:
    for voting_type in ("single-choice", "approval", "ranked-choice", "weighted", "quadratic"):
        result = tally(voting_type, CHOICES, [], 1)
        assert result.scores == (0, 0, 0)
        assert result.scores_total == 0
    assert tally("copeland", CHOICES, [], 1).scores == (0, 0, 0)


@pytest.mark.parametrize(
    ("vote", "message"),
    [
        (TallyVote(1, -1.0, (1.0,)), "balance"),
        (TallyVote(1, math.nan, (1.0,)), "balance"),
        (TallyVote(1, 1.0, (math.inf,)), "score"),
        (TallyVote(1, 1.0, (1.0, 2.0)), "strategy scores"),
        (TallyVote(1, "lots", (1.0,)), "usable number"),  # type: ignore[arg-type]
    ],
)
def test_unusable_power_is_an_input_error(vote: TallyVote, message: str) -> None:
    with pytest.raises(InputError, match=message):
        tally("single-choice", CHOICES, [vote], 1)


def test_unknown_voting_type_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Unknown voting type 'borda'") as caught:
        tally("borda", CHOICES, [], 0)
    assert "single-choice" in caught.value.user_message


def test_ranked_choice_with_string_ranks_is_refused() -> None:
    # snapshot.js calls ["2", 1, 3] valid but merges and eliminates "2" inconsistently.
    with pytest.raises(InputError, match="non-numbers"):
        tally("ranked-choice", CHOICES, [TallyVote(["2", 1, 3], 1.0, ())], 0)


def test_fold_is_left_to_right_unlike_numpy_sum() -> None:
    rng = random.Random(7)
    values = np.array([rng.uniform(0, 1e6) for _ in range(10_000)])
    expected = 0.0
    for value in values.tolist():
        expected += value
    assert fold(values) == expected
    assert float(np.sum(values)) != expected  # pairwise summation rounds differently here
    matrix = values.reshape(-1, 4)
    assert fold_columns(matrix)[1] == fold(matrix[:, 1].copy())


def test_js_divide_follows_ieee_for_zero_denominators() -> None:
    assert math.isnan(js_divide(0.0, 0.0))
    assert js_divide(1.0, 0.0) == math.inf
    assert js_divide(1.0, -0.0) == -math.inf
    assert js_divide(3.0, 2.0) == 1.5
