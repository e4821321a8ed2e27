"""Simulating proposals against the real devnet: the demo's fee change, treasury transfers,
reverts, timelock self-calls — and the simulation compared with the real execution."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
from web3 import Web3

from app.chain.rpc import RpcClient
from app.devnet.demo import decision_function
from app.devnet.deploy import STACK_PARAMS
from app.devnet.network import Devnet
from app.governor.client import GovernorClient
from app.governor.model import ProposalState, Support
from app.governor.writer import ProposedCall
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Organisation, devnet_organisations
from app.pipeline.actions_builder import build_action
from app.pipeline.detail_checks import Risk
from app.simulate.cache import SimulationCache
from app.simulate.model import CallStatus, Simulation
from app.simulate.runner import simulate_actions, simulate_proposal
from tests.integration.helpers import contract, send, token_artifact

pytestmark = pytest.mark.integration
TOKEN = 10**18


def org_of(devnet: Devnet, stack: str) -> Organisation:
    return next(o for o in devnet_organisations(devnet.describe()) if o.slug == f"devnet-{stack}")


def fee_call(devnet: Devnet, stack: str, fee: int) -> ProposedCall:
    """The demo's own action: GovernanceDecisions.setMarketplaceFee (see app.devnet.demo)."""
    target = devnet.stack(stack)["target"]
    return build_action(target, decision_function("setMarketplaceFee(uint8)"), [str(fee)])


async def propose(
    devnet: Devnet, stack: str, calls: list[ProposedCall], text: str, proposer: int = 0
) -> int:
    """Alpha allows one live proposal per proposer: pass another ``proposer`` for a second."""
    signer = LocalKeySigner(devnet.accounts[proposer].dev_key, chain_id=devnet.chain_id)
    async with RpcClient([devnet.rpc_url], chain_id=devnet.chain_id) as rpc:
        governor = await GovernorClient.open(
            rpc, devnet.stack(stack)["governor"], multicall_address=devnet.multicall
        )
        created = await governor.propose(signer, calls, text)
    devnet.control.mine(STACK_PARAMS[stack].voting_delay + 1)
    return created.proposal_id


async def execute_for_real(devnet: Devnet, stack: str, proposal_id: int) -> list[dict[str, str]]:
    """Vote it through, queue, wait out the timelock, execute; the execution's logs."""
    signers = [LocalKeySigner(a.dev_key, chain_id=devnet.chain_id) for a in devnet.accounts[:3]]
    async with RpcClient([devnet.rpc_url], chain_id=devnet.chain_id) as rpc:
        governor = await GovernorClient.open(
            rpc, devnet.stack(stack)["governor"], multicall_address=devnet.multicall
        )
        for signer in signers:
            await governor.cast_vote(signer, proposal_id, Support.FOR)
        devnet.control.mine(STACK_PARAMS[stack].voting_period + 1)
        await governor.queue(signers[0], proposal_id)
        eta = (await governor.proposal(proposal_id)).status.eta
        devnet.control.increase_time(max(eta - devnet.control.timestamp(), 0) + 1)
        receipt = await governor.execute(signers[0], proposal_id)
        assert (await governor.proposal(proposal_id)).status.state is ProposalState.EXECUTED
    return [
        {"address": log.address, "topics": [t.hex() for t in log.topics], "data": log.data.hex()}
        for log in receipt.logs
    ]


def run_cli(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def simulated_logs(simulation: Simulation) -> list[str]:
    return [e.text for call in simulation.calls for e in call.events]


@pytest.mark.parametrize("stack", ["alpha", "bravo", "oz"])
async def test_the_demo_proposal_shows_the_fee_change_in_words_and_matches_execution(
    isolated_devnet: Devnet, stack: str
) -> None:
    pid = await propose(isolated_devnet, stack, [fee_call(isolated_devnet, stack, 8)],
                        "# Set the marketplace fee to 8%")  # fmt: skip
    simulation = await simulate_proposal(
        org_of(isolated_devnet, stack), pid, cache=SimulationCache()
    )

    assert simulation.reverted_at is None
    assert simulation.headline.startswith("The action succeeds at block")
    assert [v.text for v in simulation.values] == ["GovernanceDecisions: marketplace fee 10% → 8%"]
    (event,) = simulated_logs(simulation)
    assert event.startswith("GovernanceDecisions (")
    assert event.endswith("MarketplaceFeeChanged(oldFee=10, newFee=8)")
    assert simulation.balances == ()
    assert simulation.slots == ()
    assert simulation.risks == ()

    real = await execute_for_real(isolated_devnet, stack, pid)
    target = isolated_devnet.stack(stack)["target"]
    real_from_target = [log for log in real if log["address"].lower() == target.lower()]
    assert len(real_from_target) == 1
    assert bytes.fromhex(real_from_target[0]["data"])[-1] == 8  # what the simulation said


async def test_a_treasury_transfer_shows_the_balance_changes_and_a_risk_note(
    isolated_devnet: Devnet, w3: Web3
) -> None:
    stack = isolated_devnet.stack("alpha")
    token = contract(w3, token_artifact(stack), stack["token"])
    deployer, recipient = isolated_devnet.accounts[0].address, "0x" + "ab" * 20
    recipient = Web3.to_checksum_address(recipient)
    send(w3, token.functions.transfer(stack["timelock"], 1_000_000 * TOKEN), deployer)
    w3.eth.send_transaction({"from": deployer, "to": stack["timelock"], "value": 2 * TOKEN})
    calls = [
        ProposedCall(stack["token"], "transfer(address,uint256)", (recipient, 600_000 * TOKEN)),
        ProposedCall(recipient, "", (), 1 * TOKEN),  # a plain ETH payment from the treasury
    ]
    pid = await propose(isolated_devnet, "alpha", calls, "# Pay the contractor")
    simulation = await simulate_proposal(
        org_of(isolated_devnet, "alpha"), pid, cache=SimulationCache()
    )

    assert simulation.reverted_at is None
    changes = {(b.holder, b.symbol): (b.before, b.after) for b in simulation.balances}
    symbol = token.functions.symbol().call()
    assert changes[(stack["timelock"], symbol)] == (1_000_000 * TOKEN, 400_000 * TOKEN)
    assert changes[(recipient, symbol)] == (0, 600_000 * TOKEN)
    assert changes[(stack["timelock"], "ETH")] == (2 * TOKEN, 1 * TOKEN)
    assert changes[(recipient, "ETH")] == (0, 1 * TOKEN)
    texts = [b.text for b in simulation.balances]
    assert (
        f"Timelock ({stack['timelock'][:6]}…{stack['timelock'][-4:]}): 1,000,000 {symbol} → 400,000 {symbol} (−600,000 {symbol})"
        in texts
    )
    transfer = simulated_logs(simulation)[0]
    assert f"600,000 {symbol} move from Timelock" in transfer
    risks = {(r.index, r.risk) for r in simulation.risks}
    assert (0, Risk.TOKENS) in risks  # 60% of the treasury's tokens
    assert (0, Risk.VALUE) in risks or (1, Risk.VALUE) in risks  # half of its ETH
    assert any("60% of the" in r.message for r in simulation.risks)
    assert simulation.calls[1].eth_sent == (
        f"1 ETH from Timelock ({stack['timelock'][:6]}…{stack['timelock'][-4:]}) to {recipient}",
    )


async def test_a_reverting_proposal_says_which_action_and_why(isolated_devnet: Devnet) -> None:
    target = isolated_devnet.stack("alpha")["target"]
    member = build_action(target, decision_function("addFoundationMember(string)"), ["Carol"])
    calls = [fee_call(isolated_devnet, "alpha", 7), fee_call(isolated_devnet, "alpha", 150), member]
    pid = await propose(isolated_devnet, "alpha", calls, "# A fee that cannot be")
    simulation = await simulate_proposal(
        org_of(isolated_devnet, "alpha"), pid, cache=SimulationCache()
    )

    failed = simulation.reverted_at
    assert failed is not None
    assert failed.index == 1
    assert failed.reason == "GovernanceDecisions: fee must be below 100"
    assert simulation.headline == (
        "This would revert at action 2: GovernanceDecisions: fee must be below 100"
    )
    assert [c.status for c in simulation.calls] == [
        CallStatus.SUCCEEDED, CallStatus.REVERTED, CallStatus.NOT_RUN,
    ]  # fmt: skip
    assert simulation.values == ()  # nothing takes effect when execute reverts
    assert any("whole execution reverts" in n for n in simulation.notes)

    org = org_of(isolated_devnet, "alpha")
    cli = [sys.executable, "-m", "app", "governor", "simulate", str(pid), "--rpc",
           isolated_devnet.rpc_url, "--governor", org.governor]  # fmt: skip
    shown = await asyncio.to_thread(run_cli, cli)
    assert shown.returncode == 1, shown.stderr
    assert (
        "This would revert at action 2: GovernanceDecisions: fee must be below 100" in shown.stdout
    )
    as_json = await asyncio.to_thread(run_cli, [*cli, "--json"])
    document = json.loads(as_json.stdout)
    assert document["reverted_at"] == 2
    assert [a["status"] for a in document["actions"]] == ["succeeded", "reverted", "not run"]


async def test_builder_actions_on_the_oz_timelock_show_delay_and_approval_risks(
    isolated_devnet: Devnet,
) -> None:
    """The OZ timelock only lets itself change its delay: the shim keeps that self-call working."""
    stack = isolated_devnet.stack("oz")
    stranger = Web3.to_checksum_address("0x" + "cd" * 20)
    calls = [
        ProposedCall(stack["timelock"], "updateDelay(uint256)", (60,)),
        ProposedCall(stack["token"], "approve(address,uint256)", (stranger, 5 * TOKEN)),
    ]
    simulation = await simulate_actions(org_of(isolated_devnet, "oz"), calls)

    assert simulation.reverted_at is None, simulation.headline
    assert "OzTimelock: min delay 3,600 s (1 h) → 60 s (1 min)" in [
        v.text for v in simulation.values
    ]
    risks = {(r.index, r.risk) for r in simulation.risks}
    assert (0, Risk.PERMISSIONS) in risks
    assert (1, Risk.TOKENS) in risks
    approval = next(r.message for r in simulation.risks if r.index == 1)
    assert stranger in approval
    assert "does not know" in approval


async def test_execute_is_refused_before_signing_when_the_simulation_reverts(
    isolated_devnet: Devnet,
) -> None:
    from app.governor.errors import ActionNotAllowedError
    from app.ports import Factories
    from app.usecases.simulation import Simulations

    execute_if_simulation_passes = Simulations(Factories()).execute_if_passes

    pid = await propose(isolated_devnet, "alpha", [fee_call(isolated_devnet, "alpha", 120)], "# x")
    sent: list[str] = []

    async def send() -> str:
        sent.append("sent")
        return "0xhash"

    org = org_of(isolated_devnet, "alpha")
    with pytest.raises(ActionNotAllowedError, match="revert at action 1: GovernanceDecisions: fee"):
        await execute_if_simulation_passes(org, pid, send)
    assert sent == []
    good = await propose(
        isolated_devnet, "alpha", [fee_call(isolated_devnet, "alpha", 9)], "# y", 1
    )
    assert await execute_if_simulation_passes(org, good, send) == "0xhash"
