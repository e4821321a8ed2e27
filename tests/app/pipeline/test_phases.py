"""Phase rules, table-driven: position, pass rules and the next action for an account."""

from __future__ import annotations

import dataclasses

import pytest

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
from app.pipeline.phases import (
    NextAction,
    Position,
    Status,
    consensus_winner,
    next_action,
    position,
)

T0 = 1_800_000_000
HOUR = 3600


def temp(scores: tuple[float, ...] = (60.0, 40.0), *, voted: bool = False) -> OffchainCheck:
    return OffchainCheck(
        "0xtc", CheckKind.TEMPERATURE, "basic", ("Yes", "No"), T0, T0 + 7 * 24 * HOUR,
        scores=scores, scores_total=sum(scores), account_voted=voted,
    )  # fmt: skip


def consensus(
    scores: tuple[float, ...] = (10.0, 30.0, 5.0), *, voted: bool = False
) -> OffchainCheck:
    start = T0 + 8 * 24 * HOUR
    return OffchainCheck(
        "0xcc", CheckKind.CONSENSUS, "ranked-choice", ("A", "B", "C"), start, start + 7 * 24 * HOUR,
        scores=scores, scores_total=sum(scores), account_voted=voted,
    )  # fmt: skip


def onchain(state: OnchainState, *, eta: int = 0, voted: bool = False) -> OnchainProposal:
    start = T0 + 20 * 24 * HOUR
    return OnchainProposal(7, state, start, start + 3 * 24 * HOUR, eta=eta, account_voted=voted)


IDEA = Initiative("i1", "Lower the marketplace fee")
AFTER_TC = T0 + 7 * 24 * HOUR + 1
AFTER_CC = T0 + 15 * 24 * HOUR + 1
VOTER = AccountContext("0xabc", delegated=True, offchain_power=10.0, onchain_power=10)


@pytest.mark.parametrize(
    ("initiative", "now", "expected"),
    [
        (IDEA, T0, Position(Phase.IDEATE, Status.DRAFT)),
        (dataclasses.replace(IDEA, temperature=temp()), T0 - 1, Position(Phase.OFFCHAIN, Status.UPCOMING, T0)),
        (dataclasses.replace(IDEA, temperature=temp()), T0 + 5, Position(Phase.OFFCHAIN, Status.VOTING, T0 + 7 * 24 * HOUR)),
        (dataclasses.replace(IDEA, temperature=temp((60.0, 40.0))), AFTER_TC, Position(Phase.OFFCHAIN, Status.PASSED)),
        (dataclasses.replace(IDEA, temperature=temp((50.0, 50.0))), AFTER_TC, Position(Phase.OFFCHAIN, Status.FAILED)),
        (dataclasses.replace(IDEA, temperature=temp(), consensus=consensus()), AFTER_CC, Position(Phase.OFFCHAIN, Status.PASSED)),
        (dataclasses.replace(IDEA, temperature=temp(), consensus=consensus((5.0, 5.0, 1.0))), AFTER_CC, Position(Phase.OFFCHAIN, Status.FAILED)),
        (dataclasses.replace(IDEA, consensus=consensus(), needs_onchain=False), AFTER_CC, Position(Phase.EXECUTE, Status.DONE)),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.PENDING)), T0, Position(Phase.ONCHAIN, Status.UPCOMING, T0 + 20 * 24 * HOUR)),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.DEFEATED)), T0, Position(Phase.ONCHAIN, Status.FAILED)),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.CANCELED)), T0, Position(Phase.ONCHAIN, Status.CANCELED)),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.SUCCEEDED)), T0, Position(Phase.EXECUTE, Status.PASSED)),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.QUEUED, eta=T0 + 10)), T0, Position(Phase.EXECUTE, Status.WAITING, T0 + 10)),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.QUEUED, eta=T0 + 10)), T0 + 10, Position(Phase.EXECUTE, Status.READY)),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.EXPIRED)), T0, Position(Phase.EXECUTE, Status.EXPIRED)),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.EXECUTED)), T0, Position(Phase.EXECUTE, Status.EXECUTED)),
    ],
)  # fmt: skip
def test_position(initiative: Initiative, now: int, expected: Position) -> None:
    assert position(initiative, now) == expected


def test_temperature_quorum_blocks_a_majority_below_it() -> None:
    check = temp((6.0, 4.0))
    assert TemperatureRule().passed(check)
    assert not TemperatureRule(quorum=100.0).passed(check)


@pytest.mark.parametrize(
    ("scores", "total_quorum", "winner"),
    [((10.0, 30.0, 5.0), 0.0, 2), ((0.0, 0.0, 0.0), 0.0, None), ((5.0, 5.0, 1.0), 0.0, None),
     ((10.0, 30.0, 5.0), 100.0, None)],
)  # fmt: skip
def test_consensus_winner(
    scores: tuple[float, ...], total_quorum: float, winner: int | None
) -> None:
    check = dataclasses.replace(consensus(scores), quorum=total_quorum)
    assert consensus_winner(check) == winner


@pytest.mark.parametrize(
    ("initiative", "account", "now", "action"),
    [
        (IDEA, VOTER, T0, NextAction.CREATE_TEMPERATURE_CHECK),
        (dataclasses.replace(IDEA, temperature=temp()), VOTER, T0 + 5, NextAction.VOTE_OFFCHAIN),
        (dataclasses.replace(IDEA, temperature=temp(voted=True)), VOTER, T0 + 5, NextAction.NONE),
        # Not delegated: voting off-chain still comes first, then delegating before the snapshot.
        (dataclasses.replace(IDEA, temperature=temp()), dataclasses.replace(VOTER, delegated=False), T0 + 5, NextAction.VOTE_OFFCHAIN),
        (dataclasses.replace(IDEA, temperature=temp(voted=True)), dataclasses.replace(VOTER, delegated=False), T0 + 5, NextAction.DELEGATE),
        (dataclasses.replace(IDEA, temperature=temp()), VOTER, AFTER_TC, NextAction.CREATE_CONSENSUS_CHECK),
        (dataclasses.replace(IDEA, temperature=temp((1.0, 2.0))), VOTER, AFTER_TC, NextAction.NONE),
        (dataclasses.replace(IDEA, consensus=consensus()), dataclasses.replace(VOTER, can_propose_onchain=True), AFTER_CC, NextAction.PROPOSE_ONCHAIN),
        (dataclasses.replace(IDEA, consensus=consensus()), VOTER, AFTER_CC, NextAction.NONE),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.PENDING)), dataclasses.replace(VOTER, delegated=False), T0, NextAction.DELEGATE),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.ACTIVE)), VOTER, T0, NextAction.VOTE_ONCHAIN),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.ACTIVE, voted=True)), VOTER, T0, NextAction.NONE),
        # Delegating after the snapshot does not help this proposal: nothing to do.
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.ACTIVE)), AccountContext("0xabc"), T0, NextAction.NONE),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.SUCCEEDED)), VOTER, T0, NextAction.QUEUE),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.QUEUED, eta=T0 + 10)), VOTER, T0, NextAction.NONE),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.QUEUED, eta=T0 + 10)), VOTER, T0 + 11, NextAction.EXECUTE),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.EXECUTED)), VOTER, T0, NextAction.NONE),
        (dataclasses.replace(IDEA, onchain=onchain(OnchainState.DEFEATED)), dataclasses.replace(VOTER, delegated=False), T0, NextAction.NONE),
    ],
)  # fmt: skip
def test_next_action(
    initiative: Initiative, account: AccountContext, now: int, action: NextAction
) -> None:
    assert next_action(initiative, account, now) is action
