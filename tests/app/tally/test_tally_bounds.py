"""Bounds on tally work: choice caps, deep input, every engine error a message (#22, 7)."""

from __future__ import annotations

import contextlib
import json
import time

import pytest

from app.errors import InputError
from app.tally.document import run_tally_document


def test_copeland_with_100000_choices_is_refused_quickly() -> None:
    doc = {"type": "copeland", "choices": [f"c{i}" for i in range(100_000)], "votes": []}
    started = time.monotonic()
    with pytest.raises(InputError, match="at most 1,000 choices"):
        run_tally_document(json.dumps(doc))
    assert time.monotonic() - started < 2.0


def test_tally_input_nested_1000_deep_is_a_message() -> None:
    votes = "[" * 1000 + "]" * 1000
    text = '{"type": "approval", "choices": ["a"], "votes": ' + votes + "}"
    with pytest.raises(InputError, match="not valid JSON"):
        run_tally_document(text)


@pytest.mark.parametrize(
    "vote",
    [
        {"choice": [[[[1]]]], "balance": 1},
        {"choice": {"1": [1]}, "balance": 1},
        {"choice": 1, "balance": 10**400},
        {"choice": [1], "balance": 1, "scores": [10**400]},
    ],
)
@pytest.mark.parametrize("voting_type", ["approval", "ranked-choice", "copeland", "weighted"])
def test_odd_votes_give_a_result_or_a_message(vote: dict[str, object], voting_type: str) -> None:
    doc = {"type": voting_type, "choices": ["a", "b"], "votes": [vote]}
    with contextlib.suppress(InputError):
        json.loads(run_tally_document(json.dumps(doc)))
