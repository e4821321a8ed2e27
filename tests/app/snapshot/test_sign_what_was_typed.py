"""Sign what was typed, or refuse: canonical choice keys, id limits, odd numbers (#22, 6 and 8)."""

from __future__ import annotations

from typing import Any

import pytest

from app.cli.snapshot import parse_choice
from app.errors import InputError
from app.snapshot.messages import VoteRequest, build_vote, encode_choice

VOTER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
PROPOSAL = "0x" + "11" * 32


def _vote(voting_type: str, choice: Any, count: int | None = 3, **kw: Any) -> dict[str, Any]:
    fields = {"space": "s.eth", "proposal": PROPOSAL, **kw}
    request = VoteRequest(fields["space"], fields["proposal"], voting_type, choice, count)
    return build_vote(VOTER, request, timestamp=1_700_000_000).message


@pytest.mark.parametrize("text", ['{"1":1,"1.0":2}', '{"1":1,"01":2}', '{"1":1,"1":2}'])
@pytest.mark.parametrize("voting_type", ["weighted", "quadratic"])
def test_duplicate_or_non_canonical_keys_are_refused(text: str, voting_type: str) -> None:
    with pytest.raises(InputError):
        _vote(voting_type, parse_choice(text))


@pytest.mark.parametrize("key", ["1.0", "01", " 1", "+1", "1e0", "0x1", "１"])
def test_each_non_canonical_key_is_refused_with_a_message(key: str) -> None:
    with pytest.raises(InputError, match="choice number"):
        _vote("weighted", {key: 1})


def test_canonical_weights_are_signed_as_typed() -> None:
    assert encode_choice("weighted", {"2": 1, "1": 3}) == '{"1":3,"2":1}'
    assert _vote("weighted", parse_choice('{"1":3,"2":1}'))["choice"] == '{"1":3,"2":1}'


@pytest.mark.parametrize(
    ("voting_type", "choice"),
    [
        ("single-choice", 2**32),
        ("single-choice", 10**400),
        ("approval", [2**40]),
        ("ranked-choice", [1, 2, 2**33]),
        ("weighted", {"1": 10**400}),
        ("weighted", {"99999999999": 1}),
        ("weighted", {"1": float("inf")}),
        ("quadratic", {"1": -1}),
        ("approval", [True]),
        ("single-choice", 1.5),
    ],
)
@pytest.mark.parametrize("count", [3, None])
def test_odd_numbers_are_messages_not_tracebacks(
    voting_type: str, choice: Any, count: int | None
) -> None:
    with pytest.raises(InputError):
        _vote(voting_type, choice, count)


@pytest.mark.parametrize(
    "space",
    [
        "a" * 65,
        "s\u200b.eth",
        "s\u202e.eth",
        "s\u2066.eth",
        "s\x00.eth",
        "s\ufeff.eth",
        "x" * 10_000_000,
    ],
)
def test_space_ids_are_capped_and_refuse_invisible_characters(space: str) -> None:
    with pytest.raises(InputError, match="space"):
        _vote("single-choice", 1, space=space)


@pytest.mark.parametrize("proposal", ["0x" + "1" * 200, "0x11\u200b", "0x\u202e11", "Qm\x07a"])
def test_proposal_ids_are_capped_and_refuse_invisible_characters(proposal: str) -> None:
    with pytest.raises(InputError, match="proposal"):
        _vote("single-choice", 1, proposal=proposal)


def test_ordinary_ids_still_pass() -> None:
    assert _vote("single-choice", 1, space="usebraintrust.eth")["space"] == "usebraintrust.eth"
    assert _vote("single-choice", 1, proposal="QmWbpCtwdLzxuLKnMW4Vv4MPFd2pdPX71YBKPasfZxqLUS")
