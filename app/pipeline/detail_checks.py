"""Pure rules behind the proposal detail view: result bars, quorum progress, the phase timeline,
why an account has no voting power, recount verdicts, and warnings for risky on-chain actions.

No I/O: the records come from ``app.pipeline.detail.load_detail`` (or a test).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from app.governor.model import Action, Tally
from app.pipeline.model import CheckKind, Initiative, Phase, TemperatureRule
from app.pipeline.phases import Status, position
from app.snapshot.records import Proposal as SnapshotProposal
from app.snapshot.records import Strategy, Vote
from app.snapshot.vote_columns import VoteColumns
from app.tally import GovernorComparison, ReportedScores, TallyVote, verify_scores
from app.units import format_eth

ZERO_ADDRESS = "0x" + "0" * 40


@dataclass(frozen=True)
class PowerFacts:
    """An account's voting power on one proposal, and what explains it when it is zero."""

    account: str | None
    power: float
    delegate: str | None = None  # the account's current delegate; None when unknown
    balance: int | None = None  # the account's token balance now; None when unknown
    # A Snapshot space whose strategies count Snapshot delegations (the Delegate Registry), and
    # whether its other strategies count token *votes* (so token delegation matters there too).
    snapshot_delegation: bool = False
    token_votes: bool = True


# score-api strategies that count Snapshot's own delegations (snapshot.md §5.1, §5.4).
SNAPSHOT_DELEGATION_STRATEGIES = frozenset({
    "delegation", "erc20-balance-of-delegation", "split-delegation", "delegation-with-overrides",
    "with-delegation",
})  # fmt: skip
_VOTES_METHODS = frozenset({"getVotes", "getPastVotes", "getPriorVotes", "getCurrentVotes"})
_VOTES_STRATEGIES = frozenset({"erc20-votes", "comp-like-votes", "erc20-votes-with-override"})


def space_power_kind(strategies: Sequence[Strategy]) -> tuple[bool, bool]:
    """(counts Snapshot delegations, counts token votes) for a proposal's strategies."""
    delegation = any(s.name in SNAPSHOT_DELEGATION_STRATEGIES for s in strategies)
    votes = False
    for strategy in strategies:
        if strategy.name in SNAPSHOT_DELEGATION_STRATEGIES:
            continue
        method = strategy.params.get("method")
        votes = votes or (method in _VOTES_METHODS if method else
                          strategy.name in _VOTES_STRATEGIES)  # fmt: skip
    return delegation, votes


# --- results ---


@dataclass(frozen=True)
class ResultBar:
    label: str
    score: float
    percent: float  # 0-100 of the total


def result_bars(
    labels: Sequence[str], scores: Sequence[float], total: float | None = None
) -> tuple[ResultBar, ...]:
    """One bar per choice; ``total`` defaults to the sum of the scores."""
    whole = sum(scores) if total is None else total
    padded = [*scores, *([0.0] * (len(labels) - len(scores)))]
    return tuple(
        ResultBar(label, score, 100.0 * score / whole if whole > 0 else 0.0)
        for label, score in zip(labels, padded, strict=False)
    )


@dataclass(frozen=True)
class QuorumProgress:
    current: float
    required: float
    percent: float  # 0-100, capped
    reached: bool


def quorum_progress(current: float, required: float) -> QuorumProgress | None:
    """How far ``current`` is towards ``required``; None when there is no quorum."""
    if required <= 0:
        return None
    return QuorumProgress(
        current, required, min(100.0, 100.0 * current / required), current >= required
    )


def onchain_quorum_votes(counting_mode: str, votes: Tally) -> int:
    """The votes that count towards quorum, per COUNTING_MODE's ``quorum=`` part (default: for)."""
    parts = dict(p.split("=", 1) for p in counting_mode.split("&") if "=" in p)
    counted = set(parts.get("quorum", "for").split(","))
    by_name = {"for": votes.for_, "against": votes.against, "abstain": votes.abstain}
    return sum(by_name[name] for name in counted if name in by_name)


# --- timeline ---


class StepState(Enum):
    DONE = "done"
    CURRENT = "current"
    UPCOMING = "upcoming"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class TimelineStep:
    phase: Phase
    state: StepState
    start: int | None = None  # unix seconds
    end: int | None = None
    status: Status | None = None  # the phase status, for the current step


_FAILED = {Status.FAILED, Status.CANCELED, Status.EXPIRED}
_FINISHED = {Status.EXECUTED, Status.DONE}


def timeline(
    initiative: Initiative,
    now: int,
    rule: TemperatureRule | None = None,
    *,
    drafted: bool = True,
) -> tuple[TimelineStep, ...]:
    """The four phases with their dates, each done, current, failed, upcoming or skipped.

    A phase that was passed over is "skipped", not "done": no Snapshot check before an on-chain
    proposal, and no idea drafted here (``drafted=False``) before its first vote."""
    where = position(initiative, now, rule)
    order = list(Phase)
    current = order.index(where.phase)
    steps = []
    for i, phase in enumerate(order):
        if i < current:
            state = StepState.DONE
        elif i > current:
            state = StepState.UPCOMING
        elif where.status in _FAILED:
            state = StepState.FAILED
        else:
            state = StepState.DONE if where.status in _FINISHED else StepState.CURRENT
        if phase is Phase.ONCHAIN and initiative.onchain is None and not initiative.needs_onchain:
            state = StepState.SKIPPED
        no_checks = initiative.temperature is None and initiative.consensus is None
        if phase is Phase.OFFCHAIN and state is StepState.DONE and no_checks:
            state = StepState.SKIPPED
        if phase is Phase.IDEATE and state is StepState.DONE and not drafted:
            state = StepState.SKIPPED
        start, end = _phase_dates(initiative, phase)
        steps.append(TimelineStep(phase, state, start, end, where.status if i == current else None))
    return tuple(steps)


def _phase_dates(initiative: Initiative, phase: Phase) -> tuple[int | None, int | None]:
    checks = [c for c in (initiative.temperature, initiative.consensus) if c is not None]
    onchain = initiative.onchain
    if phase is Phase.OFFCHAIN and checks:
        return min(c.start for c in checks), max(c.end for c in checks)
    if phase is Phase.ONCHAIN and onchain is not None:
        return onchain.vote_start, onchain.vote_end
    if phase is Phase.EXECUTE and onchain is not None and onchain.eta:
        return onchain.eta, None
    return None, None


# --- voting power ---


def power_explanation(facts: PowerFacts) -> str:
    """Why ``facts.power`` is zero, in plain words; "" when the account can vote."""
    if facts.power > 0:
        return ""
    if not facts.account:
        return "Choose an account to vote."
    if facts.snapshot_delegation and not facts.token_votes:
        return (
            "This space counts the tokens held at the proposal's snapshot and Snapshot "
            "delegations (the Delegate Registry), not token delegation: this account held no "
            "tokens then and nobody had delegated to it on Snapshot. Tokens or Snapshot "
            "delegations that arrive later count from the next proposal on."
        )
    if facts.delegate is not None and facts.delegate.lower() == ZERO_ADDRESS:
        return (
            "Your tokens are not delegated, so they carry no votes. Delegate them (to yourself "
            "or someone else); the delegation counts for proposals created afterwards."
        )
    if facts.delegate is not None and facts.delegate.lower() != facts.account.lower():
        return f"You delegated your votes to {facts.delegate}, so this account votes with 0."
    if facts.balance == 0:
        return "This account holds no tokens, and none were delegated to it at the snapshot."
    return (
        "This account had no voting power at the proposal's snapshot: its tokens or delegation "
        "arrived afterwards, and count from the next proposal on."
    )


# --- verification ---


@dataclass(frozen=True)
class Verification:
    subject: str
    matches: bool
    counted: int
    differences: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        if self.matches:
            return f"Results verified: {self.counted} votes recounted, totals match"
        return f"Results DO NOT match after recounting {self.counted} votes: " + "; ".join(
            self.differences
        )


def verify_snapshot(
    subject: str, proposal: SnapshotProposal, votes: Sequence[Vote]
) -> Verification:
    """Recount ``votes`` locally (snapshot.js rules) and compare with the hub's scores."""
    strategies = max((len(v.vp_by_strategy) for v in votes), default=0) or 1
    ballots = [TallyVote(v.choice, v.vp, v.vp_by_strategy or (v.vp,) * strategies) for v in votes]
    reported = ReportedScores(proposal.scores, None, proposal.scores_total)
    outcome = verify_scores(proposal.type, proposal.choices, ballots, strategies, reported)
    differences = tuple(
        f"{d.label}: recount {d.local:,.6g}, hub {d.reported:,.6g}" for d in outcome.mismatches
    )
    return Verification(subject, outcome.matches, len(votes), differences)


def verify_snapshot_columns(
    subject: str, proposal: SnapshotProposal, votes: VoteColumns
) -> Verification:
    """``verify_snapshot`` for votes decoded straight into columns (no per-vote records)."""
    reported = ReportedScores(proposal.scores, None, proposal.scores_total)
    outcome = verify_scores(
        proposal.type, proposal.choices, votes.table, votes.strategies_count, reported
    )
    differences = tuple(
        f"{d.label}: recount {d.local:,.6g}, hub {d.reported:,.6g}" for d in outcome.mismatches
    )
    return Verification(subject, outcome.matches, votes.size, differences)


def governor_verification(subject: str, comparison: GovernorComparison) -> Verification:
    named = (
        ("For", comparison.for_difference),
        ("Against", comparison.against_difference),
        ("Abstain", comparison.abstain_difference),
    )
    differences = tuple(f"{n}: recount differs by {d:+,}" for n, d in named if d)
    return Verification(subject, comparison.matches, comparison.local.voters, differences)


def check_title(kind: CheckKind) -> str:
    return "Temperature check" if kind is CheckKind.TEMPERATURE else "Consensus check"


# --- risky actions ---


class Risk(Enum):
    VALUE = "sends ETH"
    TOKENS = "moves tokens"
    PERMISSIONS = "changes permissions"
    UPGRADE = "upgrades a contract"
    UNKNOWN = "unknown call"


@dataclass(frozen=True)
class ActionWarning:
    index: int  # 0-based action index
    risk: Risk
    message: str


_TOKEN_CALLS = frozenset(
    {"transfer", "transferFrom", "approve", "increaseAllowance", "permit", "safeTransferFrom",
     "setApprovalForAll"}
)  # fmt: skip
_PERMISSION_CALLS = frozenset(
    {"grantRole", "revokeRole", "renounceRole", "transferOwnership", "renounceOwnership",
     "acceptOwnership", "setPendingAdmin", "_setPendingAdmin", "acceptAdmin", "changeAdmin",
     "setAdmin", "updateTimelock", "setGuardian", "__acceptAdmin"}
)  # fmt: skip


def action_warnings(actions: Sequence[Action]) -> tuple[ActionWarning, ...]:
    """Warnings a voter should read before voting for these on-chain actions."""
    found: list[ActionWarning] = []
    for i, action in enumerate(actions):
        name = (action.function or action.signature).split("(")[0]
        if action.value > 0:
            found.append(
                ActionWarning(
                    i, Risk.VALUE, f"Sends {format_eth(action.value)} to {action.target}."
                )
            )
        if action.function is None:
            found.append(
                ActionWarning(
                    i,
                    Risk.UNKNOWN,
                    f"Calls an unknown function on {action.target}; its effect cannot be shown.",
                )
            )
        elif name in _TOKEN_CALLS:
            found.append(
                ActionWarning(
                    i,
                    Risk.TOKENS,
                    f"{name} on token {action.target}: moves or allows spending of tokens.",
                )
            )
        elif name in _PERMISSION_CALLS:
            found.append(
                ActionWarning(
                    i, Risk.PERMISSIONS, f"{name} on {action.target}: changes who controls it."
                )
            )
        elif name.startswith("upgradeTo") or name in {
            "upgrade",
            "upgradeAndCall",
            "changeProxyAdmin",
        }:
            found.append(
                ActionWarning(
                    i, Risk.UPGRADE, f"{name} on {action.target}: replaces the contract's code."
                )
            )
    return tuple(found)
