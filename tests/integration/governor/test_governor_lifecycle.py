"""Every stack driven through OUR client: detect, propose, vote, queue, execute, and the ways a
proposal can fail (defeated, canceled, expired, reverting), on a real anvil devnet."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from app.chain.abi_codec import fn
from app.chain.errors import ContractRevertError
from app.chain.multicall import Call
from app.devnet.deploy import STACK_PARAMS, TIMELOCK_DELAY_S
from app.devnet.network import Devnet
from app.governor.client import GovernorClient
from app.governor.errors import ActionNotAllowedError
from app.governor.model import ClockMode, GovernorFamily, ProposalState, Support
from app.governor.writer import ProposedCall
from app.keys.signer_protocol import LocalKeySigner
from tests.integration.governor.conftest import advance

pytestmark = pytest.mark.integration

OpenGovernor = Callable[[str], Awaitable[GovernorClient]]
Signers = Callable[[int], LocalKeySigner]
ALL_STACKS = ["oz", "oz-timestamp", "bravo", "alpha"]
FAMILIES = {
    "oz": GovernorFamily.OZ_V5,
    "oz-timestamp": GovernorFamily.OZ_V5,
    "bravo": GovernorFamily.BRAVO,
    "alpha": GovernorFamily.ALPHA,
}
FEE = fn("marketplaceFee()", "uint8")


def _fee_call(devnet: Devnet, stack: str, fee: int) -> ProposedCall:
    return ProposedCall(devnet.stack(stack)["target"], "setMarketplaceFee(uint8)", (fee,))


async def _propose(
    gov: GovernorClient, devnet: Devnet, stack: str, signer: Signers, fee: int
) -> int:
    created = await gov.propose(
        signer(0), [_fee_call(devnet, stack, fee)], f"# Set the fee to {fee}\n"
    )
    return created.proposal_id


async def _state(gov: GovernorClient, proposal_id: int) -> ProposalState:
    return (await gov.proposal(proposal_id)).status.state


async def _to_active(gov: GovernorClient, devnet: Devnet, proposal_id: int) -> None:
    advance(devnet, gov.info, gov.info.voting_delay + 1)
    assert await _state(gov, proposal_id) is ProposalState.ACTIVE


async def _past_deadline(gov: GovernorClient, devnet: Devnet) -> None:
    advance(devnet, gov.info, gov.info.voting_period + 1)


@pytest.mark.parametrize("stack", ALL_STACKS)
async def test_detects_family_and_settings_from_chain(
    open_governor: OpenGovernor, isolated_devnet: Devnet, stack: str
) -> None:
    gov = await open_governor(stack)
    params = STACK_PARAMS[stack]
    info = gov.info
    assert info.family is FAMILIES[stack]
    assert info.clock_mode is (
        ClockMode.TIMESTAMP if stack == "oz-timestamp" else ClockMode.BLOCKNUMBER
    )
    assert (info.voting_period, info.proposal_threshold) == (
        params.voting_period,
        params.proposal_threshold,
    )
    expected_quorum = (
        params.supply * params.quorum // 100 if info.adapter.ids_from_hash else params.quorum
    )
    assert info.quorum == expected_quorum
    assert info.timelock == isolated_devnet.stack(stack)["timelock"]
    assert info.timelock_delay == TIMELOCK_DELAY_S
    assert info.token.address == isolated_devnet.stack(stack)["token"]
    assert (info.domain.version is None) == (not info.adapter.ids_from_hash)
    assert info.token.comp_style == (not info.adapter.ids_from_hash)


@pytest.mark.parametrize("stack", ALL_STACKS)
async def test_full_lifecycle_changes_the_target(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    pid = await _propose(gov, isolated_devnet, stack, signer, 5)
    proposal = await gov.proposal(pid, account=signer(0).address)
    assert proposal.status.state is ProposalState.PENDING
    assert proposal.actions[0].arguments == (("newFee", "5"),)
    if gov.info.adapter.ids_from_hash:
        assert proposal.created.description.endswith(f"#proposer={signer(0).address}")
    await _to_active(gov, isolated_devnet, pid)
    await gov.cast_vote(signer(0), pid, Support.FOR)
    await gov.cast_vote(signer(3), pid, Support.AGAINST)
    voted = await gov.proposal(pid, account=signer(0).address)
    assert voted.status.receipt is not None
    assert voted.status.receipt.has_voted
    assert voted.status.votes.for_ == voted.status.power
    assert voted.status.votes.against > 0
    await _past_deadline(gov, isolated_devnet)
    assert await _state(gov, pid) is ProposalState.SUCCEEDED
    assert (await gov.verify_votes(pid)).matches
    await gov.queue(signer(5), pid)
    queued = await gov.proposal(pid)
    assert queued.status.state is ProposalState.QUEUED
    assert queued.status.eta > 0
    with pytest.raises(ActionNotAllowedError, match="can be executed after"):
        await gov.execute(signer(5), pid)
    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + 1)
    await gov.execute(signer(5), pid)
    assert await _state(gov, pid) is ProposalState.EXECUTED
    (fee,) = await gov.multicall.run([Call(isolated_devnet.stack(stack)["target"], FEE.encode())])
    assert FEE.decode_one(fee.data) == 5


@pytest.mark.parametrize("stack", ALL_STACKS)
async def test_defeated_when_quorum_missed(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    pid = await _propose(gov, isolated_devnet, stack, signer, 6)
    await _to_active(gov, isolated_devnet, pid)
    await _past_deadline(gov, isolated_devnet)  # nobody voted
    assert await _state(gov, pid) is ProposalState.DEFEATED
    with pytest.raises(ActionNotAllowedError, match="Defeated"):
        await gov.queue(signer(0), pid)


@pytest.mark.parametrize("stack", ALL_STACKS)
async def test_defeated_by_against_majority(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    pid = await _propose(gov, isolated_devnet, stack, signer, 7)
    await _to_active(gov, isolated_devnet, pid)
    await gov.cast_vote(signer(0), pid, Support.AGAINST)  # 40 %
    await gov.cast_vote(signer(1), pid, Support.FOR)  # 25 %: quorum met, majority against
    await _past_deadline(gov, isolated_devnet)
    status = (await gov.proposal(pid)).status
    assert status.state is ProposalState.DEFEATED
    assert status.votes.for_ >= status.quorum > 0


@pytest.mark.parametrize("stack", ALL_STACKS)
async def test_proposer_cancels(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    pid = await _propose(gov, isolated_devnet, stack, signer, 8)
    await gov.cancel(signer(0), pid)
    assert await _state(gov, pid) is ProposalState.CANCELED
    with pytest.raises(ActionNotAllowedError, match="Canceled"):
        await gov.cancel(signer(0), pid)


@pytest.mark.parametrize("stack", ["bravo", "alpha"])
async def test_expires_after_timelock_grace_period(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    pid = await _propose(gov, isolated_devnet, stack, signer, 9)
    await _to_active(gov, isolated_devnet, pid)
    await gov.cast_vote(signer(0), pid, Support.FOR)
    await _past_deadline(gov, isolated_devnet)
    await gov.queue(signer(0), pid)
    assert gov.info.grace_period is not None
    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + gov.info.grace_period + 1)
    assert await _state(gov, pid) is ProposalState.EXPIRED
    with pytest.raises(ActionNotAllowedError, match="Expired"):
        await gov.execute(signer(0), pid)


@pytest.mark.parametrize("stack", ALL_STACKS)
async def test_vote_by_signature_relayed_by_another_account(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    pid = await _propose(gov, isolated_devnet, stack, signer, 11)
    await _to_active(gov, isolated_devnet, pid)
    voter, relayer = signer(1), signer(6)
    ballot = await gov.sign_ballot(voter, pid, Support.FOR)
    await gov.relay_ballot(relayer, ballot)
    status = (await gov.proposal(pid, account=voter.address)).status
    assert status.receipt is not None
    assert status.receipt.has_voted
    assert status.votes.for_ == status.power > 0
    relayer_view = (await gov.proposal(pid, account=relayer.address)).status
    assert relayer_view.receipt is not None
    assert not relayer_view.receipt.has_voted


@pytest.mark.parametrize("stack", ALL_STACKS)
async def test_reverting_proposal_shows_reason(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    pid = await _propose(gov, isolated_devnet, stack, signer, 150)  # fee must be below 100
    await _to_active(gov, isolated_devnet, pid)
    await gov.cast_vote(signer(0), pid, Support.FOR)
    await _past_deadline(gov, isolated_devnet)
    await gov.queue(signer(0), pid)
    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + 1)
    with pytest.raises(ContractRevertError) as info:
        await gov.execute(signer(0), pid)
    expected = (
        "fee must be below 100"
        if gov.info.adapter.ids_from_hash
        else "Transaction execution reverted"
    )
    assert expected in info.value.user_message
    assert await _state(gov, pid) is ProposalState.QUEUED
