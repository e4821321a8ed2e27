"""``tally_governor_votes``: for / against / abstain from VoteCast records, in integers."""

from __future__ import annotations

import pytest

from app.errors import InputError
from app.tally import GovernorVoteRecord, compare_governor_counts, tally_governor_votes

ALICE = "0x00000000000000000000000000000000000A11CE"
BOB = "0x0000000000000000000000000000000000000B0B"
CAROL = "0x00000000000000000000000000000000000CA201"
HUGE = 2**255 + 12345


def test_bravo_style_support_values_sum_exactly() -> None:
    records = [
        GovernorVoteRecord(ALICE, 1, HUGE),
        GovernorVoteRecord(BOB, 0, 7),
        GovernorVoteRecord(CAROL, 2, 3),
    ]
    result = tally_governor_votes(records)
    assert (result.for_votes, result.against_votes, result.abstain_votes) == (HUGE, 7, 3)
    assert result.voters == 3


def test_alpha_style_bool_support() -> None:
    result = tally_governor_votes(
        [GovernorVoteRecord(ALICE, True, 10), GovernorVoteRecord(BOB, False, 4)]
    )
    assert (result.for_votes, result.against_votes, result.abstain_votes) == (10, 4, 0)


def test_a_repeated_event_counts_once_case_insensitively() -> None:
    records = [GovernorVoteRecord(ALICE, 1, 10), GovernorVoteRecord(ALICE.lower(), 1, 10)]
    result = tally_governor_votes(records)
    assert result.for_votes == 10
    assert result.voters == 1
    assert result.repeated_events == 1


def test_conflicting_votes_from_one_voter_are_refused() -> None:
    with pytest.raises(InputError, match="appears twice"):
        tally_governor_votes([GovernorVoteRecord(ALICE, 1, 10), GovernorVoteRecord(ALICE, 0, 10)])


@pytest.mark.parametrize(
    "record",
    [
        GovernorVoteRecord(ALICE, 3, 1),
        GovernorVoteRecord(ALICE, -1, 1),
        GovernorVoteRecord(ALICE, 1, -1),
        GovernorVoteRecord(ALICE, 1, 2**256),
        GovernorVoteRecord(ALICE, 1, True),
        GovernorVoteRecord(ALICE, 1, 1.5),  # type: ignore[arg-type]
    ],
)
def test_bad_support_or_weight_is_refused(record: GovernorVoteRecord) -> None:
    with pytest.raises(InputError):
        tally_governor_votes([record])


def test_compare_with_contract_counts() -> None:
    local = tally_governor_votes([GovernorVoteRecord(ALICE, 1, 5), GovernorVoteRecord(BOB, 2, 1)])
    assert compare_governor_counts(local, for_votes=5, against_votes=0, abstain_votes=1).matches
    off = compare_governor_counts(local, for_votes=6, against_votes=0, abstain_votes=1)
    assert not off.matches
    assert off.for_difference == -1
