"""Phase rules as pure functions: where an initiative stands, whether it passed, what is next."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from app.pipeline.model import (
    AccountContext,
    CheckKind,
    Initiative,
    OffchainCheck,
    OnchainProposal,
    OnchainState,
    Phase,
    TemperatureRule,
)


class Status(Enum):
    DRAFT = "draft"  # an idea, nothing published yet
    UPCOMING = "upcoming"  # a vote exists but has not opened
    VOTING = "voting"
    PASSED = "passed"  # the phase is settled positively; the next step is due
    FAILED = "failed"
    CANCELED = "canceled"
    WAITING = "waiting"  # queued in the timelock, eta not reached
    READY = "ready"  # queued and the eta has passed: executable
    EXECUTED = "executed"
    EXPIRED = "expired"
    DONE = "done"  # settled off-chain; nothing for a contract to execute


class NextAction(Enum):
    NONE = "none"
    CREATE_TEMPERATURE_CHECK = "create_temperature_check"
    VOTE_OFFCHAIN = "vote_offchain"
    CREATE_CONSENSUS_CHECK = "create_consensus_check"
    DELEGATE = "delegate"
    PROPOSE_ONCHAIN = "propose_onchain"
    VOTE_ONCHAIN = "vote_onchain"
    QUEUE = "queue"
    EXECUTE = "execute"


@dataclass(frozen=True)
class Position:
    """Where an initiative stands: its phase, that phase's status, and the next deadline."""

    phase: Phase
    status: Status
    deadline: int | None = None  # unix seconds of the next time something changes


def vote_window_status(start: int, end: int, now: int) -> Status | None:
    """UPCOMING or VOTING while a vote is open or ahead; None once it has closed."""
    if now < start:
        return Status.UPCOMING
    if now <= end:
        return Status.VOTING
    return None


def consensus_winner(check: OffchainCheck) -> int | None:
    """The 1-based winning choice of a closed consensus check, or None (no votes, quorum, tie)."""
    if not check.scores or check.scores_total <= 0 or check.scores_total < check.quorum:
        return None
    best = max(check.scores)
    if best <= 0 or check.scores.count(best) > 1:
        return None
    return check.scores.index(best) + 1


def _onchain_position(proposal: OnchainProposal, now: int) -> Position:
    state = proposal.state
    if state is OnchainState.PENDING:
        return Position(Phase.ONCHAIN, Status.UPCOMING, proposal.vote_start)
    if state is OnchainState.ACTIVE:
        return Position(Phase.ONCHAIN, Status.VOTING, proposal.vote_end)
    if state is OnchainState.DEFEATED:
        return Position(Phase.ONCHAIN, Status.FAILED)
    if state is OnchainState.CANCELED:
        return Position(Phase.ONCHAIN, Status.CANCELED)
    if state is OnchainState.SUCCEEDED:
        return Position(Phase.EXECUTE, Status.PASSED)
    if state is OnchainState.QUEUED:
        if now < proposal.eta:
            return Position(Phase.EXECUTE, Status.WAITING, proposal.eta)
        return Position(Phase.EXECUTE, Status.READY)
    if state is OnchainState.EXPIRED:
        return Position(Phase.EXECUTE, Status.EXPIRED)
    return Position(Phase.EXECUTE, Status.EXECUTED)


def _check_position(
    check: OffchainCheck, now: int, rule: TemperatureRule, *, needs_onchain: bool
) -> Position:
    open_status = vote_window_status(check.start, check.end, now)
    if open_status is Status.UPCOMING:
        return Position(Phase.OFFCHAIN, open_status, check.start)
    if open_status is Status.VOTING:
        return Position(Phase.OFFCHAIN, open_status, check.end)
    if check.kind is CheckKind.TEMPERATURE:
        return Position(Phase.OFFCHAIN, Status.PASSED if rule.passed(check) else Status.FAILED)
    if consensus_winner(check) is None:
        return Position(Phase.OFFCHAIN, Status.FAILED)
    if needs_onchain:
        return Position(Phase.OFFCHAIN, Status.PASSED)
    return Position(Phase.EXECUTE, Status.DONE)


def position(initiative: Initiative, now: int, rule: TemperatureRule | None = None) -> Position:
    """The current phase and status of ``initiative`` at unix time ``now``."""
    rule = rule or TemperatureRule()
    if initiative.onchain is not None:
        return _onchain_position(initiative.onchain, now)
    check = initiative.consensus or initiative.temperature
    if check is not None:
        return _check_position(check, now, rule, needs_onchain=initiative.needs_onchain)
    return Position(Phase.IDEATE, Status.DRAFT)


def _delegation_still_counts(initiative: Initiative) -> bool:
    # Voting power is read at the proposal's snapshot; delegating later only helps later proposals.
    onchain = initiative.onchain
    return initiative.needs_onchain and (onchain is None or onchain.state is OnchainState.PENDING)


def next_action(
    initiative: Initiative,
    account: AccountContext,
    now: int,
    rule: TemperatureRule | None = None,
) -> NextAction:
    """What the connected account should do next for ``initiative`` (NONE if nothing)."""
    where = position(initiative, now, rule)
    if where.status in {Status.FAILED, Status.CANCELED, Status.EXPIRED, Status.EXECUTED}:
        return NextAction.NONE
    if where.status is Status.DONE:
        return NextAction.NONE
    if where.phase is Phase.OFFCHAIN and where.status is Status.VOTING:
        check = initiative.consensus or initiative.temperature
        power = account.offchain_power
        if check is not None and check.account_power is not None:
            power = check.account_power
        if check is not None and not check.account_voted and power > 0:
            return NextAction.VOTE_OFFCHAIN
    if account.address and not account.delegated and _delegation_still_counts(initiative):
        return NextAction.DELEGATE
    return _phase_action(initiative, where, account)


def _phase_action(initiative: Initiative, where: Position, account: AccountContext) -> NextAction:
    if where.phase is Phase.IDEATE:
        return NextAction.CREATE_TEMPERATURE_CHECK
    if where.phase is Phase.OFFCHAIN and where.status is Status.PASSED:
        if initiative.consensus is None:
            return NextAction.CREATE_CONSENSUS_CHECK
        return NextAction.PROPOSE_ONCHAIN if account.can_propose_onchain else NextAction.NONE
    if where.phase is Phase.ONCHAIN and where.status is Status.VOTING:
        onchain = initiative.onchain
        if onchain is None or onchain.account_voted:
            return NextAction.NONE
        power = account.onchain_power if onchain.account_power is None else onchain.account_power
        if power > 0:
            return NextAction.VOTE_ONCHAIN
        return NextAction.NONE
    if where.phase is Phase.EXECUTE and where.status is Status.PASSED:
        return NextAction.QUEUE
    if where.phase is Phase.EXECUTE and where.status is Status.READY:
        return NextAction.EXECUTE
    return NextAction.NONE
