"""The shared vocabulary: voting types as the hub spells them, support values, titles."""

from __future__ import annotations

import json

import pytest

from app.domain.support import Support
from app.domain.titles import title_from_description
from app.domain.voting import ALL_TYPES, VotingType, parse_voting_type


def test_voting_types_are_the_hubs_strings() -> None:
    assert [str(t) for t in ALL_TYPES] == [
        "single-choice",
        "approval",
        "quadratic",
        "ranked-choice",
        "weighted",
        "basic",
        "copeland",
    ]
    assert VotingType.RANKED_CHOICE == "ranked-choice"
    assert json.dumps({"type": VotingType.COPELAND}) == '{"type": "copeland"}'


@pytest.mark.parametrize(
    ("text", "expected"), [("basic", VotingType.BASIC), ("Basic", None), ("", None), ("rank", None)]
)
def test_parse_voting_type(text: str, expected: VotingType | None) -> None:
    assert parse_voting_type(text) is expected


def test_every_type_belongs_to_exactly_one_ballot_shape() -> None:
    for voting_type in ALL_TYPES:
        shapes = [voting_type.takes_one, voting_type.takes_list, voting_type.takes_weights]
        assert shapes.count(True) == 1, voting_type
    assert {t for t in ALL_TYPES if t.ranks} == {VotingType.RANKED_CHOICE, VotingType.COPELAND}


def test_support_follows_bravo_and_openzeppelin_numbering() -> None:
    assert [int(s) for s in Support] == [0, 1, 2]
    assert Support(1).label == "For"


@pytest.mark.parametrize(
    ("description", "title"),
    [
        ("# Lower the fee\n\nBody", "Lower the fee"),
        ("\n\n  ## Spaced title  \nBody", "Spaced title"),
        ("#\nSecond line wins", "Second line wins"),
        ("", "Proposal 7"),
        ("   \n#  \n", "Proposal 7"),
    ],
)
def test_title_from_description(description: str, title: str) -> None:
    assert title_from_description(description, "Proposal 7") == title
