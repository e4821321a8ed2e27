"""The detail view's pure rules: bars, quorum, timeline, power explanation, verdicts, risks."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pytest

from app.errors import SigningError
from app.governor.model import Action, Tally
from app.pipeline.detail import (
    PowerFacts,
    Risk,
    StepState,
    action_warnings,
    power_explanation,
    quorum_progress,
    result_bars,
    timeline,
)
from app.pipeline.detail_checks import (
    governor_verification,
    onchain_quorum_votes,
    verify_snapshot,
)
from app.pipeline.model import Initiative, OnchainState
from app.pipeline.phases import Status
from app.pipeline.voting import DelegatedSigner
from app.snapshot.records import Proposal, Vote
from app.tally import GovernorComparison, GovernorTally
from tests.app.pipeline.test_phases import AFTER_CC, AFTER_TC, IDEA, T0, consensus, onchain, temp

ME = "0x" + "ab" * 20
OTHER = "0x" + "cd" * 20
TARGET = "0x" + "11" * 20


def test_result_bars_give_percent_of_the_total() -> None:
    bars = result_bars(("Yes", "No", "Abstain"), (30.0, 10.0), 50.0)
    assert [(b.label, b.score, b.percent) for b in bars] == [
        ("Yes", 30.0, 60.0),
        ("No", 10.0, 20.0),
        ("Abstain", 0.0, 0.0),
    ]
    assert [b.percent for b in result_bars(("A", "B"), (1.0, 3.0))] == [25.0, 75.0]
    assert [b.percent for b in result_bars(("A",), (0.0,))] == [0.0]


def test_quorum_progress_caps_and_says_when_reached() -> None:
    assert quorum_progress(5, 0) is None
    half = quorum_progress(50, 100)
    assert half is not None
    assert (half.percent, half.reached) == (50.0, False)
    over = quorum_progress(150, 100)
    assert over is not None
    assert (over.percent, over.reached) == (100.0, True)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("support=bravo&quorum=for,abstain", 12), ("support=alpha&quorum=for", 10), ("", 10),
     ("support=bravo&quorum=bravo", 0)],
)  # fmt: skip
def test_onchain_quorum_counts_what_the_counting_mode_says(mode: str, expected: int) -> None:
    assert onchain_quorum_votes(mode, Tally(against=5, for_=10, abstain=2)) == expected


def states(initiative: Initiative, now: int) -> list[StepState]:
    return [s.state for s in timeline(initiative, now)]


def test_timeline_follows_the_phases() -> None:
    d, c, u, f, s = (StepState.DONE, StepState.CURRENT, StepState.UPCOMING, StepState.FAILED,
                     StepState.SKIPPED)  # fmt: skip
    assert states(IDEA, T0) == [c, u, u, u]
    voting = dataclasses.replace(IDEA, temperature=temp())
    steps = timeline(voting, T0 + 10)
    assert [step.state for step in steps] == [d, c, u, u]
    assert (steps[1].start, steps[1].status) == (T0, Status.VOTING)
    failed = dataclasses.replace(IDEA, temperature=temp((1.0, 9.0)))
    assert states(failed, AFTER_TC) == [d, f, u, u]
    full = dataclasses.replace(
        IDEA, temperature=temp(), consensus=consensus(), onchain=onchain(OnchainState.EXECUTED)
    )
    steps = timeline(full, AFTER_CC)
    assert [step.state for step in steps] == [d, d, d, d]
    assert steps[2].start == full.onchain.vote_start  # type: ignore[union-attr]
    offchain_only = dataclasses.replace(
        IDEA, temperature=temp(), consensus=consensus(), needs_onchain=False
    )
    assert states(offchain_only, AFTER_CC) == [d, d, s, d]
    queued = dataclasses.replace(full, onchain=onchain(OnchainState.QUEUED, eta=AFTER_CC + 99))
    steps = timeline(queued, AFTER_CC)
    assert (steps[3].state, steps[3].start) == (c, AFTER_CC + 99)


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (PowerFacts(ME, 5.0), ""),
        (PowerFacts(None, 0.0), "Choose an account"),
        (PowerFacts(ME, 0.0, "0x" + "0" * 40, 10), "not delegated"),
        (PowerFacts(ME, 0.0, OTHER, 10), f"delegated your votes to {OTHER}"),
        (PowerFacts(ME, 0.0, ME, 0), "holds no tokens"),
        (PowerFacts(ME, 0.0, ME.upper().replace("0X", "0x"), 10), "at the proposal's snapshot"),
        # A Snapshot delegation space counting balances: token delegation is not the advice.
        (
            PowerFacts(ME, 0.0, "0x" + "0" * 40, 0, snapshot_delegation=True, token_votes=False),
            "nobody had delegated to it on Snapshot",
        ),
        (
            PowerFacts(ME, 0.0, "0x" + "0" * 40, 10, snapshot_delegation=True, token_votes=True),
            "not delegated",
        ),
    ],
)
def test_power_explanation_says_why_power_is_zero(facts: PowerFacts, words: str) -> None:
    text = power_explanation(facts)
    assert (words in text) if words else text == ""


def proposal(voting_type: str, choices: tuple[str, ...], scores: tuple[float, ...]) -> Proposal:
    return Proposal("0x" + "aa" * 32, "s.eth", ME, voting_type, "t", "", choices, 1, 2, 0,
                    "closed", 0, scores, sum(scores), "final", 0, "")  # fmt: skip


def vote(voter: str, choice: object, vp: float) -> Vote:
    return Vote("v" + voter, voter, 1, "p", choice, "", "", vp, (vp,), "final")


def test_verify_snapshot_matches_and_reports_differences() -> None:
    votes = [vote(ME, 1, 30.0), vote(OTHER, 2, 10.0)]
    good = verify_snapshot("Temperature check", proposal("basic", ("For", "Against", "Abstain"),
                                                         (30.0, 10.0, 0.0)), votes)  # fmt: skip
    assert (good.matches, good.counted) == (True, 2)
    assert good.message == "Results verified: 2 votes recounted, totals match"
    bad = verify_snapshot("x", proposal("single-choice", ("A", "B"), (31.0, 10.0)), votes)
    assert not bad.matches
    assert any(d.startswith("scores[0] (A): recount 30") for d in bad.differences)
    assert "DO NOT match" in bad.message
    ranked = proposal("ranked-choice", ("A", "B", "C"), (30.0, 10.0, 0.0))  # majority in round 1
    ranked_votes = [vote(ME, [1, 2, 3], 30.0), vote(OTHER, [2, 1, 3], 10.0)]
    assert verify_snapshot("c", ranked, ranked_votes).matches


def test_governor_verification_lists_differences() -> None:
    local = GovernorTally(10, 5, 0, voters=3, repeated_events=0)
    assert governor_verification("o", GovernorComparison(local, 0, 0, 0)).matches
    off = governor_verification("o", GovernorComparison(local, -2, 0, 1))
    assert not off.matches
    assert off.differences == ("For: recount differs by -2", "Abstain: recount differs by +1")


def action(name: str | None, value: int = 0, signature: str = "") -> Action:
    return Action(TARGET, value, signature, b"\x01\x02", name, ())


def test_action_warnings_flag_risky_calls() -> None:
    actions = [
        action("setMarketplaceFee(uint8 newFee)"),
        action("transfer(address to,uint256 amount)"),
        action("approve(address spender,uint256 amount)"),
        action("grantRole(bytes32 role,address account)"),
        action("transferOwnership(address newOwner)"),
        action("setPendingAdmin(address pendingAdmin)"),
        action("upgradeToAndCall(address impl,bytes data)"),
        action(None),
        action(None, value=2 * 10**18, signature=""),
    ]
    found = [(w.index, w.risk) for w in action_warnings(actions)]
    assert found == [
        (1, Risk.TOKENS), (2, Risk.TOKENS), (3, Risk.PERMISSIONS), (4, Risk.PERMISSIONS),
        (5, Risk.PERMISSIONS), (6, Risk.UPGRADE), (7, Risk.UNKNOWN), (8, Risk.VALUE),
        (8, Risk.UNKNOWN),
    ]  # fmt: skip
    assert "Sends 2 ETH" in action_warnings(actions)[-2].message
    assert action_warnings([action("setMarketplaceFee(uint8 newFee)")]) == ()


async def test_delegated_signer_passes_context_and_refuses_wrong_answers() -> None:
    seen: list[tuple[dict[str, Any], Mapping[str, Any]]] = []

    async def request(payload: dict[str, Any], context: Mapping[str, Any]) -> str | bytes:
        seen.append((payload, context))
        return "0xsig" if "primaryType" in payload else b"\x02raw"

    signer = DelegatedSigner(ME, request, {"proposal_title": "Fee"})
    assert await signer.sign_typed_data({"primaryType": "Vote"}) == "0xsig"
    assert await signer.sign_transaction({"nonce": 1}) == b"\x02raw"
    assert seen[0][1] == {"proposal_title": "Fee"}
    with pytest.raises(SigningError, match="no signed transaction"):
        await signer.sign_transaction({"primaryType": "Vote"})
    with pytest.raises(SigningError, match="no message signature"):
        await signer.sign_typed_data({"nonce": 1})


def test_space_power_kind_tells_delegation_spaces_and_token_votes_apart() -> None:
    from app.pipeline.detail_checks import space_power_kind
    from app.snapshot.records import Strategy

    balance = Strategy("erc20-balance-of", "1", {"address": "0x1"})
    votes = Strategy("erc20-votes", "1", {"address": "0x1"})
    local_balance = Strategy("erc20-votes", "1", {"method": "balanceOf"})
    delegation = Strategy("delegation", "1", {"strategies": [{"name": "erc20-balance-of"}]})
    assert space_power_kind([balance, delegation]) == (True, False)
    assert space_power_kind([local_balance, delegation]) == (True, False)
    assert space_power_kind([votes]) == (False, True)
    assert space_power_kind([votes, delegation]) == (True, True)
