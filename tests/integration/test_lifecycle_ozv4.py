"""The OpenZeppelin 4.9 stack ("oz-v4"), driven end to end with plain web3 calls: delegate,
propose, vote (directly and by a v4 signature), queue in the TimelockController with the
description hash as salt, execute; plus what makes v4 differ from v5 (revert strings, roles)."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account import Account
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError

from app.devnet.deploy import OZ_PARAMS, TIMELOCK_DELAY_S, token_shares
from app.devnet.network import Devnet
from tests.integration.helpers import (
    ACTIVE,
    EXECUTED,
    PENDING,
    QUEUED,
    SUCCEEDED,
    contract,
    first_event,
    send,
)

pytestmark = pytest.mark.integration

FOR, AGAINST, ABSTAIN = 1, 0, 2
STACK = "oz-v4"
ZERO_SALT = b"\x00" * 32


def _sign_v4_ballot(
    w3: Web3, governor: Contract, dev_key: str, proposal_id: int, support: int
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of an OZ v4 Ballot: no voter, no nonce; the domain has a version."""
    typed_data: dict[str, Any] = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Ballot": [
                {"name": "proposalId", "type": "uint256"},
                {"name": "support", "type": "uint8"},
            ],
        },
        "primaryType": "Ballot",
        "domain": {
            "name": governor.functions.name().call(),
            "version": governor.functions.version().call(),
            "chainId": w3.eth.chain_id,
            "verifyingContract": governor.address,
        },
        "message": {"proposalId": proposal_id, "support": support},
    }
    signed = Account.sign_typed_data(dev_key, full_message=typed_data)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def test_ozv4_proposal_runs_from_delegation_to_execution(isolated_devnet: Devnet, w3: Web3) -> None:
    stack = isolated_devnet.stack(STACK)
    accounts = [a.address for a in isolated_devnet.accounts]
    token = contract(w3, "GovTokenV4", stack["token"])
    governor = contract(w3, "OzGovernorV4", stack["governor"])
    timelock = contract(w3, "OzTimelockV4", stack["timelock"])
    target = contract(w3, "GovernanceDecisions", stack["target"])
    shares = token_shares(OZ_PARAMS.supply, len(accounts))
    assert governor.functions.CLOCK_MODE().call().startswith("mode=blocknumber")
    assert governor.functions.BALLOT_TYPEHASH().call() == Web3.keccak(
        text="Ballot(uint256 proposalId,uint8 support)"
    )

    assert token.functions.getVotes(accounts[8]).call() == 0
    send(w3, token.functions.delegate(accounts[8]), accounts[8])
    assert token.functions.getVotes(accounts[8]).call() == shares[8]

    calldata = target.encode_abi("setMarketplaceFee", [9])
    description = "# Raise the fee to 9%\n\nOn the OZ 4.9 governor."
    receipt = send(
        w3, governor.functions.propose([target.address], [0], [calldata], description), accounts[1]
    )
    proposal_id = first_event(receipt, governor, "ProposalCreated")["proposalId"]
    assert governor.functions.state(proposal_id).call() == PENDING

    isolated_devnet.control.mine(OZ_PARAMS.voting_delay + 1)
    assert governor.functions.state(proposal_id).call() == ACTIVE
    send(w3, governor.functions.castVote(proposal_id, FOR), accounts[0])
    send(w3, governor.functions.castVoteWithReason(proposal_id, AGAINST, "too high"), accounts[1])
    # Account 2 signs an abstention; account 5 relays it and pays the gas.
    v, r, s = _sign_v4_ballot(
        w3, governor, isolated_devnet.accounts[2].dev_key, proposal_id, ABSTAIN
    )
    relayed = send(w3, governor.functions.castVoteBySig(proposal_id, ABSTAIN, v, r, s), accounts[5])
    assert first_event(relayed, governor, "VoteCast")["voter"] == accounts[2]
    assert not governor.functions.hasVoted(proposal_id, accounts[5]).call()
    send(w3, governor.functions.castVote(proposal_id, FOR), accounts[8])
    against, for_, abstain = governor.functions.proposalVotes(proposal_id).call()
    assert (against, for_, abstain) == (shares[1], shares[0] + shares[8], shares[2])

    isolated_devnet.control.mine(OZ_PARAMS.voting_period + 1)
    assert governor.functions.state(proposal_id).call() == SUCCEEDED
    description_hash = Web3.keccak(text=description)
    actions = ([target.address], [0], [calldata], description_hash)
    send(w3, governor.functions.queue(*actions), accounts[5])
    assert governor.functions.state(proposal_id).call() == QUEUED
    # v4 schedules with salt = descriptionHash (v5 XORs the governor address into it).
    operation = timelock.functions.hashOperationBatch(
        [target.address], [0], [calldata], ZERO_SALT, description_hash
    ).call()
    assert timelock.functions.isOperationPending(operation).call()
    assert not timelock.functions.isOperationReady(operation).call()
    with pytest.raises(ContractLogicError, match="TimelockController: operation is not ready"):
        governor.functions.execute(*actions).call({"from": accounts[5]})

    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + 1)
    send(w3, governor.functions.execute(*actions), accounts[5])
    assert governor.functions.state(proposal_id).call() == EXECUTED
    assert timelock.functions.isOperationDone(operation).call()
    assert target.functions.marketplaceFee().call() == 9


def test_ozv4_reverts_with_strings_not_custom_errors(isolated_devnet: Devnet, w3: Web3) -> None:
    stack = isolated_devnet.stack(STACK)
    accounts = [a.address for a in isolated_devnet.accounts]
    governor = contract(w3, "OzGovernorV4", stack["governor"])
    target = contract(w3, "GovernanceDecisions", stack["target"])
    calldata = target.encode_abi("setMarketplaceFee", [3])
    # Account 9 holds 0.2% but never delegated: below the 1,000-token threshold.
    with pytest.raises(ContractLogicError, match="Governor: proposer votes below proposal"):
        governor.functions.propose([target.address], [0], [calldata], "x").call(
            {"from": accounts[9]}
        )
    receipt = send(
        w3, governor.functions.propose([target.address], [0], [calldata], "Fee 3"), accounts[0]
    )
    proposal_id = first_event(receipt, governor, "ProposalCreated")["proposalId"]
    with pytest.raises(ContractLogicError, match="Governor: vote not currently active"):
        governor.functions.castVote(proposal_id, FOR).call({"from": accounts[0]})
    with pytest.raises(ContractLogicError, match="Governor: proposal not successful"):
        governor.functions.queue([target.address], [0], [calldata], Web3.keccak(text="Fee 3")).call(
            {"from": accounts[0]}
        )


def test_ozv4_timelock_roles_use_timelock_admin_role(devnet: Devnet, w3: Web3) -> None:
    stack = devnet.stack(STACK)
    timelock = contract(w3, "OzTimelockV4", stack["timelock"])
    admin_role = timelock.functions.TIMELOCK_ADMIN_ROLE().call()
    assert admin_role == Web3.keccak(text="TIMELOCK_ADMIN_ROLE")
    deployer = devnet.accounts[0].address
    assert not timelock.functions.hasRole(admin_role, deployer).call()
    assert timelock.functions.hasRole(admin_role, stack["timelock"]).call()  # self-administered
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        role_id = timelock.functions[role]().call()
        assert timelock.functions.hasRole(role_id, stack["governor"]).call()
        assert not timelock.functions.hasRole(role_id, deployer).call()
    executor = timelock.functions.EXECUTOR_ROLE().call()
    assert timelock.functions.hasRole(executor, "0x" + "00" * 20).call()  # open execution
    assert timelock.functions.getMinDelay().call() == TIMELOCK_DELAY_S


def test_ozv4_target_refuses_calls_that_bypass_the_timelock(devnet: Devnet, w3: Web3) -> None:
    target = contract(w3, "GovernanceDecisions", devnet.stack(STACK)["target"])
    with pytest.raises(ContractLogicError, match="caller is not the governor timelock"):
        target.functions.setMarketplaceFee(1).call({"from": devnet.accounts[0].address})
