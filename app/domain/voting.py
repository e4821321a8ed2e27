"""Snapshot's voting types, as the sequencer and snapshot.js spell them."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class VotingType(StrEnum):
    """A Snapshot proposal's ``type``. Members compare equal to the strings the hub sends."""

    SINGLE_CHOICE = "single-choice"
    APPROVAL = "approval"
    QUADRATIC = "quadratic"
    RANKED_CHOICE = "ranked-choice"
    WEIGHTED = "weighted"
    BASIC = "basic"
    COPELAND = "copeland"

    @property
    def label(self) -> str:
        """How a person reads the type: "Ranked choice", "Single choice"."""
        return _LABELS[self]

    @property
    def takes_list(self) -> bool:
        """A ballot is a list of choice numbers (approval, ranked choice, Copeland)."""
        return self in LIST_TYPES

    @property
    def takes_one(self) -> bool:
        """A ballot is one choice number (single choice, basic)."""
        return self in SINGLE_TYPES

    @property
    def takes_weights(self) -> bool:
        """A ballot maps choice numbers to weights (weighted, quadratic)."""
        return self in WEIGHTED_TYPES

    @property
    def ranks(self) -> bool:
        """A ballot orders the choices (ranked choice, Copeland)."""
        return self in (VotingType.RANKED_CHOICE, VotingType.COPELAND)


def parse_voting_type(text: str) -> VotingType | None:
    """The voting type spelled ``text``, or None when Snapshot knows no such type."""
    try:
        return VotingType(text)
    except ValueError:
        return None


ALL_TYPES: Final = tuple(VotingType)
LIST_TYPES: Final = frozenset({VotingType.APPROVAL, VotingType.RANKED_CHOICE, VotingType.COPELAND})
SINGLE_TYPES: Final = frozenset({VotingType.SINGLE_CHOICE, VotingType.BASIC})
WEIGHTED_TYPES: Final = frozenset({VotingType.WEIGHTED, VotingType.QUADRATIC})

_LABELS: Final = {
    VotingType.SINGLE_CHOICE: "Single choice",
    VotingType.APPROVAL: "Approval",
    VotingType.QUADRATIC: "Quadratic",
    VotingType.RANKED_CHOICE: "Ranked choice",
    VotingType.WEIGHTED: "Weighted",
    VotingType.BASIC: "Basic (For, Against, Abstain)",
    VotingType.COPELAND: "Copeland (ranked pairwise)",
}
