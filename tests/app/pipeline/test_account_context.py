"""The account's context decides its next steps: per-proposal power and receipts beat the
account-wide numbers, and phases passed over show as skipped (pure rules, no I/O)."""

from __future__ import annotations

import dataclasses

from app.pipeline.account import open_checks, with_account_power
from app.pipeline.detail_checks import StepState, timeline
from app.pipeline.model import AccountContext, OnchainState, Phase
from app.pipeline.phases import NextAction, next_action
from tests.app.pipeline.test_phases import HOUR, IDEA, T0, onchain, temp

DELEGATED = AccountContext("0xabc", delegated=True, offchain_power=0.0, onchain_power=0)
VOTING = T0 + 20 * 24 * HOUR + 5


def test_power_at_the_proposals_snapshot_decides_the_onchain_vote() -> None:
    active = dataclasses.replace(onchain(OnchainState.ACTIVE), account_power=5)
    initiative = dataclasses.replace(IDEA, onchain=active)
    assert next_action(initiative, DELEGATED, VOTING) is NextAction.VOTE_ONCHAIN
    none_then = dataclasses.replace(active, account_power=0)
    rich_now = dataclasses.replace(DELEGATED, onchain_power=10**24)
    assert next_action(dataclasses.replace(IDEA, onchain=none_then), rich_now,
                       VOTING) is NextAction.NONE  # fmt: skip
    voted = dataclasses.replace(active, account_voted=True, account_support="For")
    assert next_action(dataclasses.replace(IDEA, onchain=voted), DELEGATED,
                       VOTING) is NextAction.NONE  # fmt: skip


def test_power_on_an_open_check_comes_from_the_hub_per_proposal() -> None:
    initiative = dataclasses.replace(IDEA, temperature=temp())
    assert next_action(initiative, DELEGATED, T0 + 5) is not NextAction.VOTE_OFFCHAIN
    assert open_checks([initiative], T0 + 5) == ["0xtc"]
    (filled,) = with_account_power([initiative], {"0xtc": 12.5})
    assert filled.temperature is not None
    assert filled.temperature.account_power == 12.5
    assert next_action(filled, DELEGATED, T0 + 5) is NextAction.VOTE_OFFCHAIN


def test_a_delegated_account_is_not_told_to_delegate() -> None:
    assert next_action(IDEA, DELEGATED, T0) is NextAction.CREATE_TEMPERATURE_CHECK
    undelegated = dataclasses.replace(DELEGATED, delegated=False)
    assert next_action(IDEA, undelegated, T0) is NextAction.DELEGATE


def test_a_proposal_made_directly_on_chain_skips_ideate_and_offchain() -> None:
    initiative = dataclasses.replace(IDEA, onchain=onchain(OnchainState.ACTIVE))
    steps = {s.phase: s.state for s in timeline(initiative, VOTING, drafted=False)}
    assert steps[Phase.IDEATE] is StepState.SKIPPED
    assert steps[Phase.OFFCHAIN] is StepState.SKIPPED
    assert steps[Phase.ONCHAIN] is StepState.CURRENT
    drafted = {s.phase: s.state for s in timeline(initiative, VOTING)}
    assert drafted[Phase.IDEATE] is StepState.DONE
