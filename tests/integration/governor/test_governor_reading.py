"""Reading through OUR client on the devnet: power and delegation, incremental sync across a
reorg, many proposals batched, wrong chain refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest

from app.chain.rpc import RpcClient
from app.devnet.network import Devnet
from app.errors import ChainMismatchError, InputError
from app.governor.client import GovernorClient
from app.governor.errors import ActionNotAllowedError, NotAGovernorError
from app.governor.model import ProposalState
from app.governor.writer import ProposedCall
from app.keys.signer_protocol import LocalKeySigner
from tests.integration.governor.conftest import advance

pytestmark = pytest.mark.integration

OpenGovernor = Callable[[str], Awaitable[GovernorClient]]
Signers = Callable[[int], LocalKeySigner]
ALL_STACKS = ["oz", "oz-timestamp", "bravo", "alpha"]


def _call(devnet: Devnet, stack: str, fee: int) -> ProposedCall:
    return ProposedCall(devnet.stack(stack)["target"], "setMarketplaceFee(uint8)", (fee,))


@pytest.mark.parametrize("stack", ALL_STACKS)
async def test_delegation_by_tx_and_by_signature(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    holder, friend, relayer = signer(8), signer(2), signer(7)  # account 8 never delegated
    zero = "0x0000000000000000000000000000000000000000"
    assert (await gov.current_delegate(holder.address)).lower() == zero
    await gov.delegate(holder, holder.address)
    assert await gov.current_delegate(holder.address) == holder.address
    signed = await gov.sign_delegation(holder, friend.address)
    await gov.relay_delegation(relayer, signed)
    assert await gov.current_delegate(holder.address) == friend.address
    advance(isolated_devnet, gov.info, 2)
    clock = await gov.clock()
    now = clock.timestamp - 1 if gov.info.clock_mode.value == "timestamp" else clock.number - 1
    assert await gov.voting_power(holder.address, now) == 0
    assert await gov.voting_power(friend.address, now) > 0


@pytest.mark.parametrize("stack", ["oz", "alpha"])
async def test_incremental_sync_survives_a_reorg(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    first = await gov.propose(signer(0), [_call(isolated_devnet, stack, 1)], "first")
    assert [p.proposal_id for p in await gov.reader.sync()] == [first.proposal_id]
    fork_point = isolated_devnet.control.snapshot()
    # Alpha allows one live proposal per proposer, so another account proposes.
    doomed = await gov.propose(signer(1), [_call(isolated_devnet, stack, 2)], "doomed")
    assert {p.proposal_id for p in await gov.reader.sync()} == {
        first.proposal_id,
        doomed.proposal_id,
    }
    isolated_devnet.control.revert(fork_point)  # the chain "reorganises" without the second one
    isolated_devnet.control.mine(3)
    survivor = await gov.propose(signer(2), [_call(isolated_devnet, stack, 3)], "survivor")
    synced = await gov.reader.sync()
    ids = [p.proposal_id for p in synced]
    assert first.proposal_id in ids
    assert survivor.proposal_id in ids
    survivor_seen = next(p for p in synced if p.proposal_id == survivor.proposal_id)
    assert survivor_seen.description.startswith("survivor")  # Alpha reuses the doomed id
    assert all(p.description != "doomed" for p in synced)


async def test_many_proposals_read_in_few_requests(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers
) -> None:
    gov = await open_governor("oz")
    created = [
        await gov.propose(signer(i % 3), [_call(isolated_devnet, "oz", i)], f"proposal {i}")
        for i in range(12)
    ]
    advance(isolated_devnet, gov.info, 2)
    proposals = await gov.proposals(account=signer(0).address)
    by_id = {p.created.proposal_id: p for p in proposals}
    assert {c.proposal_id for c in created} <= by_id.keys()
    assert all(by_id[c.proposal_id].status.state is ProposalState.ACTIVE for c in created)
    assert all(by_id[c.proposal_id].status.power for c in created)
    assert all(p.status.deadline_estimate > 0 for p in proposals)


async def test_wrong_chain_id_is_refused(isolated_devnet: Devnet) -> None:
    client = RpcClient([isolated_devnet.rpc_url], chain_id=1)
    with pytest.raises(ChainMismatchError, match="serves chain 31337"):
        await client.connect()
    await client.close()


async def test_tampered_proposal_data_is_refused_before_signing(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers
) -> None:
    gov = await open_governor("oz")
    created = await gov.propose(signer(0), [_call(isolated_devnet, "oz", 4)], "# Exact text")
    await gov.check_proposal_id(created)  # the event's own data derives its id
    rendered = replace(created, description=created.description.replace("# ", ""))
    with pytest.raises(ActionNotAllowedError, match="does not derive proposal id"):
        await gov.check_proposal_id(rendered)


async def test_bad_addresses_get_input_errors(
    open_governor: OpenGovernor, isolated_devnet: Devnet, rpc: RpcClient
) -> None:
    with pytest.raises(InputError, match="governor address"):
        await GovernorClient.open(rpc, "0x1234")
    with pytest.raises(NotAGovernorError, match="no contract"):
        await GovernorClient.open(rpc, "0x" + "12" * 20)
    gov = await open_governor("bravo")
    with pytest.raises(InputError, match="account"):
        await gov.proposals(account="alice")


@pytest.mark.parametrize("stack", ["oz", "oz-timestamp"])
async def test_deadline_is_a_wall_clock_time(
    open_governor: OpenGovernor, isolated_devnet: Devnet, signer: Signers, stack: str
) -> None:
    gov = await open_governor(stack)
    created = await gov.propose(signer(0), [_call(isolated_devnet, stack, 1)], "when")
    status = (await gov.proposal(created.proposal_id)).status
    clock = await gov.clock()
    if stack == "oz-timestamp":
        assert status.deadline_estimate == status.deadline  # already seconds
    else:
        blocks_left = status.deadline - clock.number
        assert blocks_left > 0
        expected = clock.timestamp + blocks_left * clock.seconds_per_block
        assert status.deadline_estimate == pytest.approx(expected, abs=1)
        assert status.deadline_estimate >= clock.timestamp  # devnet blocks come many per second
