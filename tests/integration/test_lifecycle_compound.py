"""The Compound-style stacks, end to end with plain web3 calls: GovernorBravo (For/Against/Abstain,
reasons) and GovernorAlpha as Braintrust runs it (For/Against, guardian), each with a Comp-style
token and a Compound Timelock. Proposals use the `signatures` form: calldatas hold only arguments."""

from __future__ import annotations

import pytest
from eth_abi import encode
from web3 import Web3
from web3.exceptions import ContractLogicError

from app.devnet.deploy import ALPHA_PARAMS, BRAVO_PARAMS, TIMELOCK_DELAY_S, token_shares
from app.devnet.network import Devnet
from tests.integration.helpers import (
    ACTIVE,
    CANCELED,
    EXECUTED,
    PENDING,
    QUEUED,
    SUCCEEDED,
    contract,
    first_event,
    send,
    sign_compound_ballot,
)

pytestmark = pytest.mark.integration


def test_bravo_proposal_runs_from_delegation_to_execution(
    isolated_devnet: Devnet, w3: Web3
) -> None:
    stack = isolated_devnet.stack("bravo")
    accounts = isolated_devnet.accounts
    addresses = [a.address for a in accounts]
    shares = token_shares(BRAVO_PARAMS.supply, len(accounts))
    token = contract(w3, "CompToken", stack["token"])
    governor = contract(w3, "GovernorBravoDelegate", stack["governor"])
    target = contract(w3, "GovernanceDecisions", stack["target"])

    assert token.functions.getCurrentVotes(addresses[9]).call() == 0
    send(w3, token.functions.delegate(addresses[9]), addresses[9])
    assert token.functions.getCurrentVotes(addresses[9]).call() == shares[9]

    signatures = ["addMarketplaceCategory(string)", "setMarketplaceFee(uint8)"]
    calldatas = [encode(["string"], ["Design"]), encode(["uint8"], [12])]
    targets = [target.address, target.address]
    description = "# Add Design, raise the fee to 12%"
    receipt = send(
        w3,
        governor.functions.propose(targets, [0, 0], signatures, calldatas, description),
        addresses[2],
    )
    created = first_event(receipt, governor, "ProposalCreated")
    proposal_id = governor.functions.proposalCount().call()
    assert created["id"] == proposal_id
    assert list(created["signatures"]) == signatures
    assert governor.functions.state(proposal_id).call() == PENDING

    isolated_devnet.control.mine(BRAVO_PARAMS.voting_delay + 1)
    assert governor.functions.state(proposal_id).call() == ACTIVE
    send(w3, governor.functions.castVote(proposal_id, 1), addresses[0])
    send(w3, governor.functions.castVoteWithReason(proposal_id, 0, "no"), addresses[1])
    send(w3, governor.functions.castVote(proposal_id, 2), addresses[4])
    send(w3, governor.functions.castVote(proposal_id, 1), addresses[9])
    # Account 3 signs its ballot; account 7 relays it and pays the gas.
    v, r, s = sign_compound_ballot(w3, governor, accounts[3].dev_key, proposal_id, 1)
    send(w3, governor.functions.castVoteBySig(proposal_id, 1, v, r, s), addresses[7])
    assert governor.functions.getReceipt(proposal_id, addresses[3]).call() == (
        True,
        1,
        shares[3],
    )
    proposal = governor.functions.proposals(proposal_id).call()
    for_votes, against_votes, abstain_votes = proposal[5], proposal[6], proposal[7]
    assert for_votes == shares[0] + shares[3] + shares[9]
    assert (against_votes, abstain_votes) == (shares[1], shares[4])

    isolated_devnet.control.mine(BRAVO_PARAMS.voting_period)
    assert governor.functions.state(proposal_id).call() == SUCCEEDED
    send(w3, governor.functions.queue(proposal_id), addresses[5])
    assert governor.functions.state(proposal_id).call() == QUEUED
    with pytest.raises(ContractLogicError, match="surpassed time lock"):
        governor.functions.execute(proposal_id).call({"from": addresses[5]})

    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + 1)
    send(w3, governor.functions.execute(proposal_id), addresses[5])
    assert governor.functions.state(proposal_id).call() == EXECUTED
    assert target.functions.getMarketplaceCategories().call() == ["Design"]
    assert target.functions.marketplaceFee().call() == 12


def test_alpha_proposal_runs_from_delegation_to_execution(
    isolated_devnet: Devnet, w3: Web3
) -> None:
    stack = isolated_devnet.stack("alpha")
    accounts = isolated_devnet.accounts
    addresses = [a.address for a in accounts]
    shares = token_shares(ALPHA_PARAMS.supply, len(accounts))
    token = contract(w3, "CompToken", stack["token"])
    governor = contract(w3, "GovernorAlpha", stack["governor"])
    target = contract(w3, "GovernanceDecisions", stack["target"])
    assert governor.functions.votingDelay().call() == 1
    assert governor.functions.quorumVotes().call() == ALPHA_PARAMS.quorum

    send(w3, token.functions.delegate(addresses[8]), addresses[8])
    assert token.functions.getCurrentVotes(addresses[8]).call() == shares[8]

    signatures = ["addFoundationMember(string)"]
    calldatas = [encode(["string"], ["alice.eth"])]
    receipt = send(
        w3,
        governor.functions.propose([target.address], [0], signatures, calldatas, "# Add alice"),
        addresses[1],
    )
    proposal_id = first_event(receipt, governor, "ProposalCreated")["id"]
    assert governor.functions.state(proposal_id).call() == PENDING

    isolated_devnet.control.mine(2)
    assert governor.functions.state(proposal_id).call() == ACTIVE
    send(w3, governor.functions.castVote(proposal_id, True), addresses[1])
    send(w3, governor.functions.castVote(proposal_id, False), addresses[2])
    send(w3, governor.functions.castVote(proposal_id, True), addresses[8])
    v, r, s = sign_compound_ballot(w3, governor, accounts[3].dev_key, proposal_id, False)
    receipt = send(w3, governor.functions.castVoteBySig(proposal_id, False, v, r, s), addresses[6])
    vote = first_event(receipt, governor, "VoteCast")
    assert (vote["voter"], vote["support"], vote["votes"]) == (addresses[3], False, shares[3])
    proposal = governor.functions.proposals(proposal_id).call()
    assert (proposal[5], proposal[6]) == (shares[1] + shares[8], shares[2] + shares[3])

    isolated_devnet.control.mine(ALPHA_PARAMS.voting_period)
    assert governor.functions.state(proposal_id).call() == SUCCEEDED
    send(w3, governor.functions.queue(proposal_id), addresses[0])
    assert governor.functions.state(proposal_id).call() == QUEUED
    isolated_devnet.control.increase_time(TIMELOCK_DELAY_S + 1)
    send(w3, governor.functions.execute(proposal_id), addresses[0])
    assert governor.functions.state(proposal_id).call() == EXECUTED
    assert target.functions.getMemberships().call() == ["alice.eth"]


def test_alpha_guardian_cancels_and_others_cannot(isolated_devnet: Devnet, w3: Web3) -> None:
    stack = isolated_devnet.stack("alpha")
    addresses = [a.address for a in isolated_devnet.accounts]
    governor = contract(w3, "GovernorAlpha", stack["governor"])
    assert governor.functions.guardian().call() == stack["guardian"] == addresses[0]
    call = governor.functions.propose(
        [stack["target"]], [0], ["setMarketplaceFee(uint8)"], [encode(["uint8"], [5])], "# Fee 5"
    )
    proposal_id = first_event(send(w3, call, addresses[2]), governor, "ProposalCreated")["id"]
    with pytest.raises(ContractLogicError, match="proposer above threshold"):
        governor.functions.cancel(proposal_id).call({"from": addresses[4]})
    send(w3, governor.functions.cancel(proposal_id), addresses[0])
    assert governor.functions.state(proposal_id).call() == CANCELED


def test_compound_proposals_need_delegated_votes_above_threshold(devnet: Devnet, w3: Web3) -> None:
    # Account 9 holds 2,000 tokens (over the 1,000 threshold) but never delegated.
    stack = devnet.stack("bravo")
    governor = contract(w3, "GovernorBravoDelegate", stack["governor"])
    call = governor.functions.propose(
        [stack["target"]], [0], ["setMarketplaceFee(uint8)"], [encode(["uint8"], [5])], "# Fee"
    )
    with pytest.raises(ContractLogicError, match="proposer votes below proposal threshold"):
        call.call({"from": devnet.accounts[9].address})


def test_bravo_has_compounds_structure(isolated_devnet: Devnet, w3: Web3) -> None:
    """Delegator proxy over a delegate, ids after its Alpha's, real bounds on the settings."""
    stack = isolated_devnet.stack("bravo")
    bravo = contract(w3, "GovernorBravoDelegate", stack["governor"])
    proxy = contract(w3, "GovernorBravoDelegator", stack["governor"])
    deployer = isolated_devnet.accounts[0].address
    assert proxy.functions.implementation().call() == stack["implementation"]
    assert bravo.functions.admin().call() == deployer
    alpha = contract(w3, "GovernorAlpha", stack["predecessor"])
    assert alpha.functions.proposalCount().call() == 1
    assert bravo.functions.initialProposalId().call() == 1
    assert bravo.functions.proposalCount().call() == 1
    assert (
        contract(w3, "CompTimelock", stack["timelock"]).functions.admin().call()
        == (stack["governor"])
    )
    for proposal_id in (0, 1, 2):  # at or below the initial id, or not yet made
        with pytest.raises(ContractLogicError, match="invalid proposal id"):
            bravo.functions.state(proposal_id).call()
    with pytest.raises(ContractLogicError, match="can only initiate once"):
        bravo.functions._initiate(stack["predecessor"]).call({"from": deployer})
    with pytest.raises(ContractLogicError, match="invalid voting period"):
        bravo.functions._setVotingPeriod(30).call({"from": deployer})
    with pytest.raises(ContractLogicError, match="invalid proposal threshold"):
        bravo.functions._setProposalThreshold(999 * 10**18).call({"from": deployer})
    with pytest.raises(ContractLogicError, match="admin only"):
        bravo.functions._setVotingPeriod(5_760).call({"from": isolated_devnet.accounts[1].address})
    send(w3, bravo.functions._setVotingPeriod(80_640), deployer)
    assert bravo.functions.votingPeriod().call() == 80_640
    assert BRAVO_PARAMS.voting_period == bravo.functions.MIN_VOTING_PERIOD().call()


def test_alpha_has_braintrusts_interface(devnet: Devnet, w3: Web3) -> None:
    stack = devnet.stack("alpha")
    alpha = contract(w3, "GovernorAlpha", stack["governor"])
    assert alpha.functions.name().call() == "BTRST Governor Alpha"
    assert alpha.functions.BTRST().call() == stack["token"]
    assert alpha.functions.guardian().call() == stack["guardian"]
    assert alpha.functions.quorumVotes().call() == ALPHA_PARAMS.quorum
    assert alpha.functions.proposalThreshold().call() == ALPHA_PARAMS.proposal_threshold
    assert alpha.functions.votingPeriod().call() == ALPHA_PARAMS.voting_period
    # Compound's timelock takes ETH and answers unknown calls with empty data (payable fallback)
    timelock = stack["timelock"]
    assert w3.eth.call({"to": timelock, "data": "0xdeadbeef"}) == b""
