"""Message builders: choice rules per voting type and the sequencer's limits, before signing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.errors import InputError
from app.snapshot.choices import check_choice
from app.snapshot.messages import (
    ProposalDraft,
    VoteRequest,
    build_alias,
    build_cancel_proposal,
    build_follow,
    build_proposal,
    build_vote,
    encode_choice,
)

VOTER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
OTHER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
PROPOSAL = "0x" + "22" * 32
NOW = 1_800_000_000

VALID = [
    ("single-choice", 2),
    ("basic", 3),
    ("approval", []),
    ("approval", [1, 3]),
    ("ranked-choice", [3, 1, 2]),
    ("copeland", [2, 3, 1]),
    ("weighted", {"1": 1, "3": 2.5}),
    ("quadratic", {"2": 0, "3": 1}),
]
INVALID = [
    ("single-choice", 0),
    ("single-choice", 4),
    ("single-choice", True),
    ("single-choice", "1"),
    ("single-choice", 1.5),
    ("approval", [1, 1]),
    ("approval", [4]),
    ("approval", 1),
    ("ranked-choice", [1, 2]),
    ("ranked-choice", []),
    ("copeland", [1, 2, 2]),
    ("weighted", {}),
    ("weighted", {"1": 0, "2": 0}),
    ("weighted", {"4": 1}),
    ("quadratic", {"1": -1, "2": 2}),
    ("quadratic", [1, 2]),
    ("plurality", 1),
]


@pytest.mark.parametrize(("voting_type", "choice"), VALID)
def test_valid_choices_pass(voting_type: str, choice: Any) -> None:
    check_choice(voting_type, choice, 3)


@pytest.mark.parametrize(("voting_type", "choice"), INVALID)
def test_invalid_choice_is_a_clear_input_error(voting_type: str, choice: Any) -> None:
    with pytest.raises(InputError) as info:
        build_vote(VOTER, VoteRequest("s.eth", PROPOSAL, voting_type, choice, 3))
    assert "not valid" in info.value.user_message


def test_offline_check_without_choice_count_checks_shape_only() -> None:
    check_choice("ranked-choice", [2, 1], None)
    with pytest.raises(InputError):
        check_choice("ranked-choice", [2, 2], None)


def test_choice_encoding_per_type() -> None:
    assert encode_choice("single-choice", 2) == 2
    assert encode_choice("approval", [3, 1]) == [3, 1]
    # JSON.stringify order: integer keys ascending; integral floats written as ints.
    assert encode_choice("weighted", {"10": 1.0, "2": 0.5}) == '{"2":0.5,"10":1}'


def test_vote_kinds_follow_voting_type() -> None:
    kinds = {t: build_vote(VOTER, VoteRequest("s.eth", PROPOSAL, t, c, 3)).kind for t, c in VALID}
    assert kinds["single-choice"] == kinds["basic"] == "vote"
    assert kinds["approval"] == kinds["ranked-choice"] == kinds["copeland"] == "vote-array"
    assert kinds["weighted"] == kinds["quadratic"] == "vote-string"


@pytest.mark.parametrize(
    ("field", "value"),
    [("reason", "x" * 5001), ("app", "a" * 25), ("metadata", "{" + '"k":"' + "x" * 2000 + '"}')],
)
def test_vote_limits(field: str, value: str) -> None:
    request = VoteRequest("s.eth", PROPOSAL, "single-choice", 1, 2, **{field: value})
    with pytest.raises(InputError):
        build_vote(VOTER, request)


def test_vote_limits_at_the_edge_pass() -> None:
    request = VoteRequest("s.eth", PROPOSAL, "single-choice", 1, 2, reason="r" * 5000, app="a" * 24)
    message = build_vote(VOTER, request, timestamp=NOW).message
    assert len(message["reason"]) == 5000
    assert message["metadata"] == "{}"
    assert message["timestamp"] == NOW


@pytest.mark.parametrize(
    ("space", "proposal", "voter"),
    [
        ("S.eth", PROPOSAL, VOTER),
        ("my space", PROPOSAL, VOTER),
        ("s.eth", "0x12 34", VOTER),
        ("s.eth", PROPOSAL, "0x1234"),
        ("s.eth", PROPOSAL, "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),  # bad checksum
    ],
)
def test_bad_identifiers_are_input_errors(space: str, proposal: str, voter: str) -> None:
    with pytest.raises(InputError):
        build_vote(voter, VoteRequest(space, proposal, "single-choice", 1, 2))


def test_metadata_must_be_an_object() -> None:
    with pytest.raises(InputError, match="object"):
        build_vote(VOTER, VoteRequest("s.eth", PROPOSAL, "single-choice", 1, 2, metadata="[1]"))


def _draft(**changes: Any) -> ProposalDraft:
    base: dict[str, Any] = {
        "space": "s.eth",
        "voting_type": "single-choice",
        "title": "[Temperature Check] X",
        "body": "b",
        "choices": ("For", "Against"),
        "start": NOW,
        "end": NOW + 3600,
        "snapshot": 10,
    }
    base.update(changes)
    return ProposalDraft(**base)


def test_build_proposal_fields_in_order() -> None:
    message = build_proposal(VOTER, _draft(labels=("ops",)), timestamp=NOW).message
    assert list(message) == [
        "from",
        "space",
        "timestamp",
        "type",
        "title",
        "body",
        "discussion",
        "choices",
        "labels",
        "start",
        "end",
        "snapshot",
        "plugins",
        "privacy",
        "app",
    ]
    assert message["app"] == "govdesk"
    assert message["plugins"] == "{}"
    assert json.dumps(message["choices"]) == '["For", "Against"]'


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "t" * 257},
        {"body": "b" * 10_001},
        {"choices": ()},
        {"choices": tuple(str(i) for i in range(21))},
        {"voting_type": "basic", "choices": ("A",)},
        {"labels": ("toolonglabel",)},
        {"labels": ("a", "a")},
        {"discussion": "forum post"},
        {"end": NOW - 10},
        {"voting_type": "plurality"},
        {"privacy": "secret"},
    ],
)
def test_bad_proposals_are_input_errors(changes: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        build_proposal(VOTER, _draft(**changes), timestamp=NOW)


def test_follow_cancel_and_alias_messages() -> None:
    follow = build_follow(VOTER, "s.eth", timestamp=NOW)
    assert follow.kind == "follow"
    assert follow.message == {"from": VOTER, "network": "s", "space": "s.eth", "timestamp": NOW}
    assert build_follow(VOTER, "s.eth", follow=False).kind == "unfollow"
    with pytest.raises(InputError):
        build_follow(VOTER, "s.eth", network="moon")
    assert build_cancel_proposal(VOTER, "s.eth", PROPOSAL).kind == "delete-proposal"
    assert build_alias(VOTER, OTHER.lower()).message["alias"] == OTHER
    with pytest.raises(InputError):
        build_alias(VOTER, VOTER)
