"""Hypothesis strategies for Snapshot vote sets: mostly valid ballots, some invalid, odd powers."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from app.tally import TallyVote

# Keys and elements that JavaScript coerces in surprising ways.
ODD_NUMERIC_STRINGS = ["1", "2", "01", " 2 ", "0x1", "1e0", "+1", "1.0", "-0", "", "Infinity", "x"]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 8),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([1.0, 2.0, 0.5, -0.0, 1e300]),
    st.sampled_from(ODD_NUMERIC_STRINGS),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(ODD_NUMERIC_STRINGS), children, max_size=3),
    ),
    max_leaves=8,
)

powers = st.one_of(
    st.integers(0, 1000).map(float),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 0.1, 0.2, 0.3, 1e-300, 5e-324, 1e15, 123456789.123456789]),
)


def _fold(values: list[float]) -> float:
    total = 0.0
    for value in values:
        total += value
    return total


@st.composite
def vote_powers(draw: st.DrawFn, strategies: int) -> tuple[float, tuple[float, ...]]:
    """A balance and its per-strategy scores; usually the balance is their left fold (as on the hub)."""
    scores = draw(st.lists(powers, min_size=strategies, max_size=strategies))
    balance = _fold(scores) if strategies and draw(st.booleans()) else draw(powers)
    return balance, tuple(scores)


def single_choice(n: int) -> st.SearchStrategy[Any]:
    valid = st.integers(1, max(n, 1))
    return st.one_of(valid, valid, valid, st.integers(-1, n + 2), json_values)


def approval(n: int) -> st.SearchStrategy[Any]:
    valid = st.lists(st.integers(1, max(n, 1)), max_size=n, unique=True)
    noisy = st.lists(st.one_of(st.integers(0, n + 1), json_scalars), max_size=n + 1)
    return st.one_of(valid, valid, valid, noisy, json_values)


def ranking(n: int, *, partial: bool = False) -> st.SearchStrategy[Any]:
    full = st.permutations(list(range(1, n + 1)))
    if partial:
        full = full.flatmap(lambda p: st.integers(1, max(n, 1)).map(lambda k: list(p[:k])))
    noisy = st.lists(st.integers(0, n + 1), max_size=n + 1)
    odd = st.one_of(st.none(), st.integers(0, n), st.text(max_size=2), st.lists(st.floats(0, n)))
    return st.one_of(full, full, full, full, noisy, odd, json_values)


def weights(n: int) -> st.SearchStrategy[Any]:
    keys = st.sampled_from([str(i) for i in range(1, max(n, 1) + 1)])
    values = st.one_of(st.integers(0, 5), st.floats(0, 10, allow_nan=False), st.just(0))
    valid = st.dictionaries(keys, values, min_size=1, max_size=max(n, 1))
    odd_keys = st.sampled_from([*ODD_NUMERIC_STRINGS, str(n + 1), "0"])
    noisy = st.dictionaries(st.one_of(keys, odd_keys), st.one_of(values, json_scalars), max_size=4)
    return st.one_of(valid, valid, valid, noisy, json_values)


CHOICE_STRATEGIES = {
    "single-choice": single_choice,
    "basic": single_choice,
    "approval": approval,
    "ranked-choice": ranking,
    "copeland": ranking,
    "weighted": weights,
    "quadratic": weights,
}


@st.composite
def proposals(
    draw: st.DrawFn, voting_type: str, *, partial_rankings: bool = False, max_votes: int = 30
) -> tuple[list[str], list[TallyVote], int]:
    """(choices, votes, strategies_count) for one proposal of ``voting_type``."""
    n = draw(st.integers(1, 6))
    strategies = draw(st.integers(0, 3))
    choice_strategy = CHOICE_STRATEGIES[voting_type](n)
    if voting_type == "copeland" and partial_rankings:
        choice_strategy = st.one_of(ranking(n, partial=True), choice_strategy)
    votes = []
    for _ in range(draw(st.integers(0, max_votes))):
        balance, scores = draw(vote_powers(strategies))
        votes.append(TallyVote(choice=draw(choice_strategy), balance=balance, scores=scores))
    return [f"choice {i + 1}" for i in range(n)], votes, strategies
