"""The OpenZeppelin stacks (block and timestamp clocks), driven end to end with plain web3 calls:
delegate, propose, vote with uneven weights, queue in the TimelockController, execute."""

from __future__ import annotations

import pytest
from web3 import Web3
from web3.exceptions import ContractLogicError

from app.devnet.deploy import OZ_PARAMS, OZ_TIMESTAMP_PARAMS, TIMELOCK_DELAY_S, token_shares
from app.devnet.network import Devnet
from tests.integration.helpers import (
    ACTIVE,
    EXECUTED,
    PENDING,
    QUEUED,
    SUCCEEDED,
    advance_clock,
    contract,
    first_event,
    send,
    token_artifact,
)

pytestmark = pytest.mark.integration

FOR, AGAINST, ABSTAIN = 1, 0, 2


@pytest.mark.parametrize("stack_name", ["oz", "oz-timestamp"])
def test_oz_proposal_runs_from_delegation_to_execution(
    isolated_devnet: Devnet, w3: Web3, stack_name: str
) -> None:
    stack = isolated_devnet.stack(stack_name)
    params = OZ_TIMESTAMP_PARAMS if stack["clock"] == "timestamp" else OZ_PARAMS
    accounts = [a.address for a in isolated_devnet.accounts]
    token = contract(w3, token_artifact(stack), stack["token"])
    governor = contract(w3, "OzGovernor", stack["governor"])
    target = contract(w3, "GovernanceDecisions", stack["target"])
    shares = token_shares(params.supply, len(accounts))
    assert (
        governor.functions.CLOCK_MODE()
        .call()
        .startswith("mode=timestamp" if stack["clock"] == "timestamp" else "mode=blocknumber")
    )

    # Account 8 holds tokens but has not delegated: no votes until it delegates to itself.
    assert token.functions.getVotes(accounts[8]).call() == 0
    send(w3, token.functions.delegate(accounts[8]), accounts[8])
    assert token.functions.getVotes(accounts[8]).call() == shares[8]

    calldata = target.encode_abi("setMarketplaceFee", [7])
    description = f"# Lower the fee to 7%\n\nOn {stack_name}."
    receipt = send(
        w3, governor.functions.propose([target.address], [0], [calldata], description), accounts[1]
    )
    proposal_id = first_event(receipt, governor, "ProposalCreated")["proposalId"]
    assert governor.functions.state(proposal_id).call() == PENDING

    advance_clock(isolated_devnet, stack["clock"], params.voting_delay + 1)
    assert governor.functions.state(proposal_id).call() == ACTIVE
    send(w3, governor.functions.castVote(proposal_id, FOR), accounts[0])
    send(w3, governor.functions.castVoteWithReason(proposal_id, AGAINST, "too low"), accounts[1])
    send(w3, governor.functions.castVote(proposal_id, ABSTAIN), accounts[2])
    send(w3, governor.functions.castVote(proposal_id, FOR), accounts[8])
    against, for_, abstain = governor.functions.proposalVotes(proposal_id).call()
    assert (against, for_, abstain) == (shares[1], shares[0] + shares[8], shares[2])

    advance_clock(isolated_devnet, stack["clock"], params.voting_period + 1)
    assert governor.functions.state(proposal_id).call() == SUCCEEDED
    description_hash = Web3.keccak(text=description)
    actions = ([target.address], [0], [calldata], description_hash)
    send(w3, governor.functions.queue(*actions), accounts[5])
    assert governor.functions.state(proposal_id).call() == QUEUED
    with pytest.raises(ContractLogicError):
        governor.functions.execute(*actions).call({"from": accounts[5]})

    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + 1)
    send(w3, governor.functions.execute(*actions), accounts[5])
    assert governor.functions.state(proposal_id).call() == EXECUTED
    assert target.functions.marketplaceFee().call() == 7


def test_oz_target_refuses_calls_that_bypass_the_timelock(devnet: Devnet, w3: Web3) -> None:
    target = contract(w3, "GovernanceDecisions", devnet.stack("oz")["target"])
    with pytest.raises(ContractLogicError, match="caller is not the governor timelock"):
        target.functions.setMarketplaceFee(1).call({"from": devnet.accounts[0].address})


def test_oz_timelock_admin_was_renounced(devnet: Devnet, w3: Web3) -> None:
    stack = devnet.stack("oz")
    timelock = contract(w3, "OzTimelock", stack["timelock"])
    admin_role = timelock.functions.DEFAULT_ADMIN_ROLE().call()
    proposer_role = timelock.functions.PROPOSER_ROLE().call()
    assert not timelock.functions.hasRole(admin_role, devnet.accounts[0].address).call()
    assert timelock.functions.hasRole(proposer_role, stack["governor"]).call()
    assert not timelock.functions.hasRole(proposer_role, devnet.accounts[0].address).call()
