"""The support value of an on-chain ballot, shared by every Governor family."""

from __future__ import annotations

from enum import IntEnum


class Support(IntEnum):
    """``castVote``'s support: Compound Bravo's and OpenZeppelin's numbering.

    GovernorAlpha takes a bool instead (True is For, False is Against) and has no Abstain; its
    adapter translates.
    """

    AGAINST = 0
    FOR = 1
    ABSTAIN = 2

    @property
    def label(self) -> str:
        return self.name.capitalize()
