"""The tally engine against snapshot.js 0.17.5 itself: generated vote sets, exact bits."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from app.errors import InputError
from app.tally import VOTING_TYPES, TallyVote, is_valid_choice, tally
from tests.app.tally.bits import assert_bit_identical
from tests.app.tally.reference import ReferenceTally, legacy_package
from tests.app.tally.strategies import proposals

pytestmark = pytest.mark.integration

CONFORMANCE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("voting_type", VOTING_TYPES)
@CONFORMANCE
@given(data=st.data())
def test_tally_matches_snapshot_js_bit_for_bit(
    snapshot_js: ReferenceTally, voting_type: str, data: st.DataObject
) -> None:
    choices, votes, strategies = data.draw(proposals(voting_type))
    try:
        ours = tally(voting_type, choices, votes, strategies)
    except InputError:
        # Only refused: ranked-choice ballots snapshot.js accepts with non-numeric ranks.
        assert voting_type == "ranked-choice"
        assert any(_ranks_by_non_numbers(vote.choice, len(choices)) for vote in votes)
        reject()
    assert_bit_identical(ours, snapshot_js.tally(voting_type, choices, votes, strategies))


def _ranks_by_non_numbers(choice: object, n: int) -> bool:
    if not is_valid_choice("ranked-choice", choice, n):
        return False
    return not all(isinstance(c, int | float) and not isinstance(c, bool) for c in choice)  # type: ignore[attr-defined]


@pytest.mark.skipif(legacy_package() is None, reason="snapshot.js 0.14.20 not installed")
@CONFORMANCE
@given(data=st.data())
def test_legacy_copeland_matches_snapshot_js_0_14_20(
    snapshot_js: ReferenceTally, data: st.DataObject
) -> None:
    choices, votes, strategies = data.draw(proposals("copeland", partial_rankings=True))
    ours = tally("copeland", choices, votes, strategies, copeland_variant="legacy")
    reference = snapshot_js.tally("copeland", choices, votes, strategies, copeland_variant="legacy")
    assert_bit_identical(ours, reference)


def _votes(*rows: tuple[object, float, tuple[float, ...]]) -> list[TallyVote]:
    return [TallyVote(choice=c, balance=b, scores=s) for c, b, s in rows]


EDGE_CASES = {
    "all invalid": (
        ["single-choice", "approval", "ranked-choice", "copeland", "weighted", "quadratic"],
        3,
        _votes(("x", 5.0, (5.0,)), (None, 2.0, (2.0,)), (True, 1.0, (1.0,))),
    ),
    "one voter": (
        list(VOTING_TYPES),
        4,
        _votes(([2, 4, 1, 3], 7.25, (7.0, 0.25))),
    ),
    "one voter, map choice": (
        ["weighted", "quadratic"],
        4,
        _votes(({"2": 1, "4": 3}, 7.25, (7.0, 0.25))),
    ),
    "zero-power votes": (
        list(VOTING_TYPES),
        3,
        _votes(([1, 2, 3], 0.0, (0.0, 0.0)), ([3, 2, 1], 0.0, (0.0, 0.0)), (2, 0.0, (0.0, 0.0))),
    ),
    "huge and tiny balances": (
        list(VOTING_TYPES),
        3,
        _votes(
            ([1, 2, 3], 1e300, (1e300,)),
            ([2, 3, 1], 5e-324, (5e-324,)),
            ([3, 1, 2], 1e-300, (1e-300,)),
            ([2, 1, 3], 1e15 + 0.1, (1e15 + 0.1,)),
        ),
    ),
    "ties in every runoff round": (
        ["ranked-choice", "copeland"],
        5,
        _votes(
            ([1, 2, 3, 4, 5], 1.0, (1.0,)),
            ([2, 3, 4, 5, 1], 1.0, (1.0,)),
            ([3, 4, 5, 1, 2], 1.0, (1.0,)),
            ([4, 5, 1, 2, 3], 1.0, (1.0,)),
            ([5, 1, 2, 3, 4], 1.0, (1.0,)),
        ),
    ),
    "weights that are not ints and odd keys": (
        ["weighted", "quadratic"],
        3,
        _votes(
            ({"1": 0.1, "01": 5, "3": 0.2}, 3.0, (1.0, 2.0)),
            ({"2": 1e-300, "1": 1e300}, 1.0, (0.5, 0.5)),
            ({"3": 0, "2": 2}, 0.3, (0.1, 0.2)),
        ),
    ),
}


@pytest.mark.parametrize("case", EDGE_CASES, ids=list(EDGE_CASES))
def test_edge_cases_match_snapshot_js(snapshot_js: ReferenceTally, case: str) -> None:
    types, n, votes = EDGE_CASES[case]
    choices = [f"c{i}" for i in range(n)]
    strategies = len(votes[0].scores)
    for voting_type in types:
        ours = tally(voting_type, choices, votes, strategies)
        assert_bit_identical(ours, snapshot_js.tally(voting_type, choices, votes, strategies))


def test_runoff_with_ties_eliminates_lowest_numbered(snapshot_js: ReferenceTally) -> None:
    votes = EDGE_CASES["ties in every runoff round"][2]
    choices = [f"c{i}" for i in range(5)]
    ours = tally("ranked-choice", choices, votes, 1)
    # Round 1: a five-way tie, 1 goes out (its ballot moves to 2). Round 2: 3, 4 and 5 tie at
    # the bottom, 3 goes out. Round 3: 2 and 4 tie at the top, 5 goes out and its ballot moves
    # to 2, which leaves two candidates.
    assert ours.scores == (0.0, 3.0, 0.0, 2.0, 0.0)
    assert_bit_identical(ours, snapshot_js.tally("ranked-choice", choices, votes, 1))


def random_proposal_votes(voting_type: str, seed: int, count: int) -> list[TallyVote]:
    """Mostly valid ballots with uneven float powers (long sums expose any reordering)."""
    rng = random.Random(seed)
    n = 5
    votes = []
    for _ in range(count):
        scores = (rng.uniform(0, 1e5) ** 1.5, rng.choice([0.0, rng.random()]))
        votes.append(TallyVote(_random_choice(rng, voting_type, n), scores[0] + scores[1], scores))
    return votes


def _random_choice(rng: random.Random, voting_type: str, n: int) -> object:
    if rng.random() < 0.03:
        return rng.choice([None, 0, n + 1, [], [1, 1], {"9": 1}, "1"])
    ranking = rng.sample(range(1, n + 1), n)
    if voting_type in ("single-choice", "basic"):
        return ranking[0]
    if voting_type == "approval":
        return ranking[: rng.randint(0, n)]
    if voting_type in ("weighted", "quadratic"):
        return {str(c): rng.choice([0, 1, 2.5, rng.random()]) for c in ranking[: rng.randint(1, n)]}
    return ranking


@pytest.mark.parametrize("voting_type", VOTING_TYPES)
def test_long_random_proposals_match_snapshot_js(
    snapshot_js: ReferenceTally, voting_type: str
) -> None:
    votes = random_proposal_votes(voting_type, seed=len(voting_type), count=5000)
    choices = [f"c{i}" for i in range(5)]
    ours = tally(voting_type, choices, votes, 2)
    assert_bit_identical(ours, snapshot_js.tally(voting_type, choices, votes, 2))


def test_huge_integers_and_many_choices_match_snapshot_js(snapshot_js: ReferenceTally) -> None:
    rng = random.Random(70)
    n = 70  # beyond the 62-choice bitmask fast path
    choices = [f"c{i}" for i in range(n)]
    odd = [2**70, [2**70], [1, 2**64], [n, n - 1], list(range(1, n + 1)), {"70": 1, "1": 2**80}]
    for voting_type in VOTING_TYPES:
        votes = [
            TallyVote(
                rng.choice(odd) if rng.random() < 0.3 else _ballot(rng, voting_type, n),
                float(rng.randint(0, 99)),
                (float(rng.randint(0, 99)),),
            )
            for _ in range(200)
        ]
        ours = tally(voting_type, choices, votes, 1)
        assert_bit_identical(ours, snapshot_js.tally(voting_type, choices, votes, 1))


def _ballot(rng: random.Random, voting_type: str, n: int) -> object:
    ranking = rng.sample(range(1, n + 1), n)
    if voting_type in ("single-choice", "basic"):
        return ranking[0]
    if voting_type == "approval":
        return ranking[: rng.randint(0, 5)]
    if voting_type in ("weighted", "quadratic"):
        return {str(c): rng.randint(1, 3) for c in ranking[:3]}
    return ranking


def _power(rng: random.Random) -> float:
    roll = rng.random()
    if roll < 0.05:
        return 0.0
    if roll < 0.08:
        return rng.choice([1e-300, 5e-324, 1e15, 123456789.123456789])
    return rng.lognormvariate(5, 3)


ODD_CHOICES: dict[str, list[object]] = {
    "single-choice": ["2", 2.0, True, None, [1], 1.5],
    "approval": [[1.0, 2], ["2"], [1, 1], [True], (1, 2), [2**70], "1"],
    "ranked-choice": [[2.0, 1.0, 3.0, 4.0], [1, 2, 3, 3], [2**70], {"1": 1}],
    "copeland": [[2.0, 1.0, 3.0, 4.0], [1, 2, 3, 3], [4, 3], [2**70], [1.5, 2, 3, 4]],
    "weighted": [{"01": 1}, {"1": "2"}, {"1": True}, {"2": 1, "x": 3}, {1: 1}, {"1": 2**1100}],
    "quadratic": [{"01": 1}, {"1": "2"}, {"1": True}, {"2": 1, "x": 3}, {1: 1}, {"4": 0.5}],
    "basic": ["2", 2.0, True],
}


def _plain_choice(rng: random.Random, voting_type: str, n: int) -> object:
    ranking = rng.sample(range(1, n + 1), n)
    if voting_type in ("single-choice", "basic"):
        return ranking[0] if rng.random() > 0.05 else rng.choice([0, n + 1, -1])
    if voting_type == "approval":
        return ranking[: rng.randint(0, n)] if rng.random() > 0.05 else [n + 1]
    if voting_type in ("weighted", "quadratic"):
        keys = ranking[: rng.randint(1, n)]
        return {str(k): rng.choice([0, 1, 2, 0.25, 7]) for k in keys}
    if rng.random() < 0.05:
        return ranking[: rng.randint(1, n - 1)]  # partial: valid for legacy Copeland only
    return ranking


@pytest.mark.parametrize("voting_type", VOTING_TYPES)
def test_large_mixed_vote_sets_match_snapshot_js(
    snapshot_js: ReferenceTally, voting_type: str
) -> None:
    """Thousands of votes, plain and odd rows interleaved: the bulk and one-by-one paths merge."""
    rng = random.Random(f"large-{voting_type}")
    n, strategies = 4, 2
    votes = []
    for _ in range(4000):
        scores = (_power(rng), _power(rng))
        balance = scores[0] + scores[1] if rng.random() < 0.9 else _power(rng)
        if rng.random() < 0.1:
            choice = rng.choice(ODD_CHOICES[voting_type])
        else:
            choice = _plain_choice(rng, voting_type, n)
        votes.append(TallyVote(choice, balance, scores))
    choices = [f"choice {i + 1}" for i in range(n)]
    variants = ["current", "legacy"] if voting_type == "copeland" else ["current"]
    for variant in variants:
        if variant == "legacy" and legacy_package() is None:
            continue
        ours = tally(voting_type, choices, votes, strategies, copeland_variant=variant)
        reference = snapshot_js.tally(
            voting_type, choices, votes, strategies, copeland_variant=variant
        )
        assert_bit_identical(ours, reference)


def test_copeland_sign_of_a_rounded_near_tie_is_the_folds(snapshot_js: ReferenceTally) -> None:
    # pw[A][B] receives +1e16, -1, -1e16: the fold rounds the -1 away and ends at exactly 0 (a
    # tie). In the other order (+1e16, -1e16, -1) it ends at -1 (B ahead), while summing the B
    # ballots first (1e16 + 1 rounds to 1e16) says tie. Only the ballot-by-ballot fold is right.
    a_first = ([1, 2, 3], 1e16, (1e16,))
    small, large = ([2, 1, 3], 1.0, (1.0,)), ([2, 1, 3], 1e16, (1e16,))
    choices = ["A", "B", "C"]
    for votes in (_votes(a_first, small, large), _votes(a_first, large, small)):
        for variant in ("current", "legacy"):
            if variant == "legacy" and legacy_package() is None:
                continue
            ours = tally("copeland", choices, votes, 1, copeland_variant=variant)
            reference = snapshot_js.tally("copeland", choices, votes, 1, copeland_variant=variant)
            assert_bit_identical(ours, reference)


@pytest.mark.parametrize("n", [1, 2, 7, 70])
def test_copeland_mirrored_ballots_tie_exactly_at_any_size(
    snapshot_js: ReferenceTally, n: int
) -> None:
    """Every ballot followed by its reverse with the same power: every duel is an exact tie,
    except where one power is nudged by an ulp, which the fold may or may not round away."""
    rng = random.Random(f"mirror-{n}")
    votes = []
    for i in range(300):
        ranking = rng.sample(range(1, n + 1), n)
        power = rng.lognormvariate(5, 3)
        nudged = math.nextafter(power, math.inf) if i % 50 == 7 else power
        votes.append(TallyVote(ranking, power, (power, 1.0)))
        votes.append(TallyVote(ranking[::-1], nudged, (nudged, 1.0)))
    choices = [f"choice {i + 1}" for i in range(n)]
    ours = tally("copeland", choices, votes, 2)
    assert_bit_identical(ours, snapshot_js.tally("copeland", choices, votes, 2))


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("strategies", [0, 1, 4, 6])
def test_compiled_copeland_matches_snapshot_js_per_choice_count(
    snapshot_js: ReferenceTally, n: int, strategies: int
) -> None:
    """Plain rows only, so the compiled fold counts: one build per n (2..6 grouped, 7 not), and
    more columns than it counts side by side (4), so that its lanes are split and padded."""
    rng = random.Random(f"compiled-copeland-{n}-{strategies}")
    votes = []
    for _ in range(3000):
        scores = tuple(_power(rng) for _ in range(strategies))
        balance = sum(scores) if scores and rng.random() < 0.9 else _power(rng)
        votes.append(TallyVote(_plain_choice(rng, "copeland", n), balance, scores))
    choices = [f"choice {i + 1}" for i in range(n)]
    ours = tally("copeland", choices, votes, strategies)
    assert_bit_identical(ours, snapshot_js.tally("copeland", choices, votes, strategies))
    assert ours.scores_total > 0


@pytest.mark.parametrize("voting_type", ["weighted", "quadratic"])
@pytest.mark.parametrize("strategies", [0, 1, 5])
def test_compiled_weights_match_snapshot_js(
    snapshot_js: ReferenceTally, voting_type: str, strategies: int
) -> None:
    """Plain rows only, so the compiled fold counts: keys out of order, zero and fractional
    values, empty and all-zero mappings, keys beyond the choices."""
    rng = random.Random(f"compiled-{voting_type}-{strategies}")
    n = 6
    votes = []
    for _ in range(3000):
        scores = tuple(_power(rng) for _ in range(strategies))
        balance = sum(scores) if scores and rng.random() < 0.9 else _power(rng)
        keys = rng.sample(range(1, n + 1), rng.randint(0, n))
        if rng.random() < 0.03:
            keys.append(n + 1)
        choice = {str(k): rng.choice([0, 1, 2, 0.25, 7, 1e-9, 1e16]) for k in keys}
        votes.append(TallyVote(choice, balance, scores))
    choices = [f"choice {i + 1}" for i in range(n)]
    ours = tally(voting_type, choices, votes, strategies)
    assert_bit_identical(ours, snapshot_js.tally(voting_type, choices, votes, strategies))
    assert ours.scores_total > 0


@pytest.mark.parametrize("voting_type", VOTING_TYPES)
def test_finite_powers_that_add_up_beyond_the_largest_double(
    snapshot_js: ReferenceTally, voting_type: str
) -> None:
    """9e307 + 9e307 is Infinity in JavaScript: every type counts on from there as snapshot.js
    does (Infinity and NaN included), on the compiled path and the numpy one (an odd row)."""
    choice = {"approval": [1], "ranked-choice": [1, 2], "copeland": [1, 2]}.get(voting_type, 1)
    if voting_type in ("weighted", "quadratic"):
        choice = {"1": 1}
    big = TallyVote(choice, 9e307, (9e307,))
    for votes in ([big, big], [big, big, TallyVote("x", 1.0, (1.0,))]):
        ours = tally(voting_type, ["A", "B"], votes, 1)
        assert ours.scores_total == math.inf
        assert_bit_identical(ours, snapshot_js.tally(voting_type, ["A", "B"], votes, 1))


@pytest.mark.parametrize("n", [1, 3, 70])
@pytest.mark.parametrize("strategies", [0, 2])
def test_compiled_approval_matches_snapshot_js(
    snapshot_js: ReferenceTally, n: int, strategies: int
) -> None:
    """Plain rows only, so the compiled fold counts: empty lists, repeats, choices out of range."""
    rng = random.Random(f"compiled-approval-{n}-{strategies}")
    votes = []
    for _ in range(3000):
        scores = tuple(_power(rng) for _ in range(strategies))
        balance = sum(scores) if scores and rng.random() < 0.9 else _power(rng)
        choice = rng.sample(range(1, n + 1), rng.randint(0, min(n, 6)))
        roll = rng.random()
        if roll < 0.05 and choice:
            choice.append(choice[0])  # a repeat: invalid
        elif roll < 0.1:
            choice.append(rng.choice([0, -1, n + 1]))
        votes.append(TallyVote(choice, balance, scores))
    choices = [f"choice {i + 1}" for i in range(n)]
    ours = tally("approval", choices, votes, strategies)
    assert_bit_identical(ours, snapshot_js.tally("approval", choices, votes, strategies))
    assert ours.scores_total > 0
