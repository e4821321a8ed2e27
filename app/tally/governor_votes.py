"""Recount a Governor proposal's for / against / abstain votes from its VoteCast events.

Pure integer arithmetic (weights are uint256). ``support`` is 0 against, 1 for, 2 abstain
(OpenZeppelin Governor, GovernorBravo) or a bool (GovernorAlpha: true is for). The contract lets
each voter vote once, so the same event seen twice (overlapping log pages) counts once, and two
different votes from one voter mean the input is corrupt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.support import Support as Support  # re-exported for callers
from app.errors import InputError

UINT256_MAX = 2**256 - 1


@dataclass(frozen=True)
class GovernorVoteRecord:
    """One VoteCast event: who voted, how, and with what weight."""

    voter: str
    support: int | bool
    weight: int


@dataclass(frozen=True)
class GovernorTally:
    """Recounted totals; ``voters`` counts distinct voters, ``repeated_events`` ignored repeats."""

    for_votes: int
    against_votes: int
    abstain_votes: int
    voters: int
    repeated_events: int


@dataclass(frozen=True)
class GovernorComparison:
    """A recount next to the contract's counts; a difference is local minus contract."""

    local: GovernorTally
    for_difference: int
    against_difference: int
    abstain_difference: int

    @property
    def matches(self) -> bool:
        return self.for_difference == self.against_difference == self.abstain_difference == 0


def tally_governor_votes(records: Iterable[GovernorVoteRecord]) -> GovernorTally:
    """Sum the weights per support value, counting each voter once."""
    seen: dict[str, tuple[Support, int]] = {}
    totals = dict.fromkeys(Support, 0)
    repeated = 0
    for record in records:
        support, weight = _support(record), _weight(record)
        voter = record.voter.lower()
        if voter in seen:
            if seen[voter] != (support, weight):
                raise InputError(
                    f"Voter {record.voter} appears twice with different votes; a Governor "
                    "accepts one vote per voter, so these events are not from one proposal."
                )
            repeated += 1
            continue
        seen[voter] = (support, weight)
        totals[support] += weight
    return GovernorTally(
        for_votes=totals[Support.FOR],
        against_votes=totals[Support.AGAINST],
        abstain_votes=totals[Support.ABSTAIN],
        voters=len(seen),
        repeated_events=repeated,
    )


def compare_governor_counts(
    local: GovernorTally, *, for_votes: int, against_votes: int, abstain_votes: int = 0
) -> GovernorComparison:
    """Compare a recount with the contract's ``proposalVotes`` / ``proposals`` counts."""
    return GovernorComparison(
        local=local,
        for_difference=local.for_votes - for_votes,
        against_difference=local.against_votes - against_votes,
        abstain_difference=local.abstain_votes - abstain_votes,
    )


def _support(record: GovernorVoteRecord) -> Support:
    value: object = record.support  # records may come from untyped JSON
    if isinstance(value, bool):
        return Support.FOR if value else Support.AGAINST
    if isinstance(value, int) and value in (0, 1, 2):
        return Support(value)
    raise InputError(
        f"Vote by {record.voter} has support {value!r}; expected 0 (against), 1 (for), "
        "2 (abstain) or a bool."
    )


def _weight(record: GovernorVoteRecord) -> int:
    value: object = record.weight
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= UINT256_MAX:
        raise InputError(
            f"Vote by {record.voter} has weight {value!r}; expected a whole number of votes "
            "between 0 and 2**256 - 1."
        )
    return value
