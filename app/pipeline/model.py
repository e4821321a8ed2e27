"""Records the pipeline reasons about: an initiative and what each phase has produced so far.

They are deliberately source-neutral: adapters fill them from the Snapshot cache and the Governor
reader, so the phase rules stay pure functions a table-driven test can call directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

# The Governor state enum: the same order in OpenZeppelin, Bravo and Alpha (one definition).
from app.governor.model import ProposalState as OnchainState

__all__ = [
    "AccountContext",
    "CheckKind",
    "Initiative",
    "OffchainCheck",
    "OnchainProposal",
    "OnchainState",
    "Phase",
    "TemperatureRule",
]


class Phase(Enum):
    IDEATE = "ideate"
    OFFCHAIN = "offchain"
    ONCHAIN = "onchain"
    EXECUTE = "execute"


class CheckKind(Enum):
    TEMPERATURE = "temperature"
    CONSENSUS = "consensus"


@dataclass(frozen=True)
class OffchainCheck:
    """A Snapshot proposal acting as the temperature or consensus check of an initiative."""

    proposal_id: str
    kind: CheckKind
    voting_type: str
    choices: tuple[str, ...]
    start: int  # unix seconds
    end: int
    scores: tuple[float, ...] = ()
    scores_total: float = 0.0
    quorum: float = 0.0  # 0: no quorum
    account_voted: bool = False
    account_power: float | None = None  # the account's power on this check; None: unknown
    account_choice: str = ""  # what the account voted, in words ("" when unknown or none)


@dataclass(frozen=True)
class OnchainProposal:
    """A Governor proposal of an initiative, with wall-clock estimates for its timepoints."""

    proposal_id: int
    state: OnchainState
    vote_start: int  # unix seconds (estimated under a block-number clock)
    vote_end: int
    eta: int = 0  # unix seconds; 0 when not queued
    account_voted: bool = False
    account_power: int | None = None  # the account's votes at the proposal's snapshot
    account_support: str = ""  # "For", "Against", "Abstain"; "" when unknown or not voted


@dataclass(frozen=True)
class TemperatureRule:
    """How a temperature check passes: a simple majority of yes by default, optional quorum."""

    yes_choice: int = 1  # 1-based index of the "yes" option
    quorum: float = 0.0

    def passed(self, check: OffchainCheck) -> bool:
        if not check.scores or check.scores_total < self.quorum:
            return False
        yes = check.scores[self.yes_choice - 1] if len(check.scores) >= self.yes_choice else 0.0
        others = sum(s for i, s in enumerate(check.scores) if i != self.yes_choice - 1)
        return yes > others


@dataclass(frozen=True)
class Initiative:
    """One idea followed through the four phases."""

    initiative_id: str
    title: str
    body: str = ""
    discussion_url: str = ""
    temperature: OffchainCheck | None = None
    consensus: OffchainCheck | None = None
    onchain: OnchainProposal | None = None
    # False for decisions no contract executes (Braintrust skips phase 3 for those).
    needs_onchain: bool = True
    labels: tuple[str, ...] = field(default=())
    forum_replies: int | None = None  # the discussion thread's replies, when it could be read
    forum_last_activity: int | None = None  # unix seconds


@dataclass(frozen=True)
class AccountContext:
    """What the connected account can do: its delegation and voting power."""

    address: str | None
    delegated: bool = False
    offchain_power: float = 0.0
    onchain_power: int = 0
    can_propose_onchain: bool = False
