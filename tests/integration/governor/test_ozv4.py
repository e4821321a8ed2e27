"""The OpenZeppelin 4.9 governor ("oz-v4" devnet stack) driven through OUR client: detection,
a full lifecycle, a v4 ballot signed and relayed, revert strings shown as sentences, and an early
execution refused before anything is sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest
from eth_utils.crypto import keccak

from app.chain.abi_codec import fn
from app.chain.errors import ContractRevertError
from app.chain.multicall import Call
from app.devnet.deploy import OZ_PARAMS, TIMELOCK_DELAY_S
from app.devnet.network import Devnet
from app.errors import InputError
from app.governor import contract_interface as abi
from app.governor import writer
from app.governor.client import GovernorClient
from app.governor.errors import ActionNotAllowedError
from app.governor.model import (
    ClockMode,
    GovernorFamily,
    ProposalState,
    Support,
    TimelockKind,
)
from app.governor.writer import ProposedCall
from app.keys.signer_protocol import LocalKeySigner
from tests.integration.governor.conftest import advance

pytestmark = pytest.mark.integration

OpenGovernor = Callable[[str], Awaitable[GovernorClient]]
Signers = Callable[[int], LocalKeySigner]
STACK = "oz-v4"
FEE = fn("marketplaceFee()", "uint8")
HAS_VOTED = fn("hasVoted(uint256,address)", "bool")


def _fee_call(devnet: Devnet, fee: int) -> ProposedCall:
    return ProposedCall(devnet.stack(STACK)["target"], "setMarketplaceFee(uint8)", (fee,))


async def _state(gov: GovernorClient, proposal_id: int) -> ProposalState:
    return (await gov.proposal(proposal_id)).status.state


async def _passed(gov: GovernorClient, devnet: Devnet, signer: Signers, fee: int) -> int:
    """A proposal setting ``fee``, voted For by account 0 (40 %) and now Succeeded."""
    created = await gov.propose(signer(0), [_fee_call(devnet, fee)], f"# Set the fee to {fee}\n")
    advance(devnet, gov.info, gov.info.voting_delay + 1)
    await gov.cast_vote(signer(0), created.proposal_id, Support.FOR)
    advance(devnet, gov.info, gov.info.voting_period + 1)
    assert await _state(gov, created.proposal_id) is ProposalState.SUCCEEDED
    return created.proposal_id


async def test_detects_oz_v4_and_its_settings(
    open_governor: OpenGovernor, isolated_devnet: Devnet
) -> None:
    info = (await open_governor(STACK)).info
    stack = isolated_devnet.stack(STACK)
    assert info.family is GovernorFamily.OZ_V4
    assert info.name == "Devnet OZ Governor (v4)"
    assert info.clock_mode is ClockMode.BLOCKNUMBER
    assert info.counting_mode == "support=bravo&quorum=for,abstain"
    assert (info.voting_delay, info.voting_period, info.proposal_threshold) == (
        OZ_PARAMS.voting_delay,
        OZ_PARAMS.voting_period,
        OZ_PARAMS.proposal_threshold,
    )
    assert info.quorum == OZ_PARAMS.supply * OZ_PARAMS.quorum // 100
    assert info.support_options == (Support.AGAINST, Support.FOR, Support.ABSTAIN)
    assert (info.timelock, info.timelock_kind, info.timelock_delay, info.grace_period) == (
        stack["timelock"],
        TimelockKind.CONTROLLER,
        TIMELOCK_DELAY_S,
        None,
    )
    assert (info.domain.name, info.domain.version) == (info.name, "1")
    assert info.domain.verifying_contract == stack["governor"]
    assert info.token.address == stack["token"]
    assert not info.token.comp_style
    assert info.token.has_delegate_by_sig


async def test_full_lifecycle_to_executed_changes_the_target(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers
) -> None:
    gov = await open_governor(STACK)
    created = await gov.propose(signer(1), [_fee_call(isolated_devnet, 12)], "# Fee 12\n")
    pid = created.proposal_id
    assert created.description.endswith(f"#proposer={signer(1).address}")  # 4.9.1+ guard
    proposal = await gov.proposal(pid, account=signer(1).address)
    assert proposal.status.state is ProposalState.PENDING
    assert proposal.actions[0].arguments == (("newFee", "12"),)
    advance(isolated_devnet, gov.info, gov.info.voting_delay + 1)
    assert await _state(gov, pid) is ProposalState.ACTIVE
    await gov.cast_vote(signer(0), pid, Support.FOR)
    await gov.cast_vote(signer(1), pid, Support.AGAINST, reason="keep it lower")
    await gov.cast_vote(signer(2), pid, Support.ABSTAIN)
    status = (await gov.proposal(pid, account=signer(0).address)).status
    assert status.receipt is not None
    assert status.receipt.has_voted
    assert status.votes.for_ == status.power > status.votes.against > status.votes.abstain > 0
    advance(isolated_devnet, gov.info, gov.info.voting_period + 1)
    assert await _state(gov, pid) is ProposalState.SUCCEEDED
    assert (await gov.verify_votes(pid)).matches
    await gov.queue(signer(5), pid)
    queued = (await gov.proposal(pid)).status
    assert queued.state is ProposalState.QUEUED
    clock = await gov.clock()
    assert queued.eta == clock.timestamp + TIMELOCK_DELAY_S
    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + 1)
    await gov.execute(signer(5), pid)
    assert await _state(gov, pid) is ProposalState.EXECUTED
    target = isolated_devnet.stack(STACK)["target"]
    (fee,) = await gov.multicall.run([Call(target, FEE.encode())])
    assert FEE.decode_one(fee.data) == 12


async def test_v4_ballot_signed_without_voter_or_nonce_and_relayed(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers
) -> None:
    gov = await open_governor(STACK)
    created = await gov.propose(signer(0), [_fee_call(isolated_devnet, 13)], "# Fee 13\n")
    pid = created.proposal_id
    advance(isolated_devnet, gov.info, gov.info.voting_delay + 1)
    voter, relayer = signer(3), signer(6)
    typed = writer.build_ballot_typed_data(gov.info, pid, Support.AGAINST, voter.address, 0)
    assert typed["types"]["Ballot"] == [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
    ]
    ballot = await gov.sign_ballot(voter, pid, Support.AGAINST)
    relay = writer.build_cast_vote_by_sig(
        gov.info, pid, ballot.support, voter.address, ballot.signature
    )
    assert relay.data[:4] == keccak(text="castVoteBySig(uint256,uint8,uint8,bytes32,bytes32)")[:4]
    await gov.relay_ballot(relayer, ballot)
    status = (await gov.proposal(pid, account=voter.address)).status
    assert status.receipt is not None
    assert status.receipt.has_voted
    assert status.votes.against == status.power > 0
    assert status.votes.for_ == 0
    governor = gov.info.address
    calls = [Call(governor, HAS_VOTED.encode(pid, who.address)) for who in (voter, relayer)]
    voter_voted, relayer_voted = await gov.multicall.run(calls)
    assert HAS_VOTED.decode_one(voter_voted.data)
    assert not HAS_VOTED.decode_one(relayer_voted.data)
    # v4 ballots carry no nonce: the same signature is refused as a second vote by its voter.
    with pytest.raises(ContractRevertError, match="vote already cast"):
        await gov.sender(relayer).send_and_wait(relay)


async def test_ballot_signed_by_someone_else_is_refused_before_relaying(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers
) -> None:
    gov = await open_governor(STACK)
    created = await gov.propose(signer(0), [_fee_call(isolated_devnet, 16)], "# Fee 16\n")
    pid = created.proposal_id
    advance(isolated_devnet, gov.info, gov.info.voting_delay + 1)
    signed = await gov.sign_ballot(signer(4), pid, Support.FOR)
    claimed = replace(signed, voter=signer(1).address)  # names a bigger holder than the signer
    block_before = (await gov.clock()).number
    with pytest.raises(InputError, match=f"signed by {signer(4).address}"):
        await gov.relay_ballot(signer(6), claimed)
    wrong_support = replace(signed, support=Support.AGAINST)  # recovers to a random address
    with pytest.raises(InputError, match="would count a vote for another address"):
        await gov.relay_ballot(signer(6), wrong_support)
    assert (await gov.clock()).number == block_before  # nothing was sent
    # Why the check matters on v4: the contract itself accepts the mismatched ballot and counts
    # a zero-weight vote for whichever address the signature recovers to.
    raw = writer.build_cast_vote_by_sig(
        gov.info, pid, Support.AGAINST, signed.voter, signed.signature
    )
    await gov.sender(signer(6)).send_and_wait(raw)
    status = (await gov.proposal(pid, account=signer(4).address)).status
    assert status.receipt is not None
    assert not status.receipt.has_voted
    assert (status.votes.for_, status.votes.against) == (0, 0)
    await gov.relay_ballot(signer(6), signed)  # the honest ballot still goes through
    assert (await gov.proposal(pid)).status.votes.for_ > 0


async def test_governor_revert_string_becomes_a_readable_message(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers
) -> None:
    gov = await open_governor(STACK)
    never_delegated = signer(9)  # holds 0.2 % but has no votes: below the threshold
    with pytest.raises(ContractRevertError) as info:
        await gov.propose(never_delegated, [_fee_call(isolated_devnet, 14)], "# Fee 14\n")
    assert "Governor: proposer votes below proposal threshold" in info.value.user_message
    assert "0x08c379a0" not in info.value.user_message


async def test_timelock_revert_string_on_a_failing_action(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers
) -> None:
    gov = await open_governor(STACK)
    pid = await _passed(gov, isolated_devnet, signer, 150)  # the target wants a fee below 100
    await gov.queue(signer(0), pid)
    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + 1)
    with pytest.raises(ContractRevertError) as info:
        await gov.execute(signer(0), pid)
    # OZ 4.9's TimelockController does not pass the target's reason on; its own string shows.
    assert "TimelockController: underlying transaction reverted" in info.value.user_message
    assert await _state(gov, pid) is ProposalState.QUEUED


async def test_execute_before_eta_is_refused_before_sending(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers
) -> None:
    gov = await open_governor(STACK)
    pid = await _passed(gov, isolated_devnet, signer, 15)
    with pytest.raises(ActionNotAllowedError, match="Succeeded, and this needs it to be Queued"):
        await gov.execute(signer(0), pid)
    await gov.queue(signer(0), pid)
    eta = (await gov.proposal(pid)).status.eta
    block_before = (await gov.clock()).number
    with pytest.raises(ActionNotAllowedError, match="can be executed after") as info:
        await gov.execute(signer(0), pid)
    assert f"in {eta - (await gov.clock()).timestamp} s" in info.value.user_message
    assert (await gov.clock()).number == block_before  # nothing was mined: nothing was sent
    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S // 2)
    with pytest.raises(ActionNotAllowedError, match="can be executed after"):
        await gov.execute(signer(0), pid)
    assert await _state(gov, pid) is ProposalState.QUEUED


def test_v4_entry_point_selector_matches_the_reference() -> None:
    assert abi.CAST_VOTE_BY_SIG_V4.selector.hex() == "3bccf4fd"
