"""The contract functions, events and errors the governor package speaks, by family.

Signatures are facts from the OpenZeppelin and Compound sources (see the governor reference
notes); only those the client calls are listed.
"""

from __future__ import annotations

from typing import Any

from eth_utils.crypto import keccak

from app.artifacts import artifact_names, load_artifact
from app.chain.abi_codec import event, fn
from app.chain.revert import ErrorRegistry
from app.errors import ConfigError
from app.governor.model import ProposalState

# --- probes and settings (every family; failures tell the family apart) ---
NAME = fn("name()", "string")
VERSION = fn("version()", "string")
SYMBOL = fn("symbol()", "string")
DECIMALS = fn("decimals()", "uint8")
CLOCK_MODE = fn("CLOCK_MODE()", "string")
CLOCK = fn("clock()", "uint48")
COUNTING_MODE = fn("COUNTING_MODE()", "string")
BALLOT_TYPEHASH = fn("BALLOT_TYPEHASH()", "bytes32")
EIP712_DOMAIN = fn("eip712Domain()", "bytes1,string,string,uint256,address,bytes32,uint256[]")
VOTING_DELAY = fn("votingDelay()", "uint256")
VOTING_PERIOD = fn("votingPeriod()", "uint256")
PROPOSAL_THRESHOLD = fn("proposalThreshold()", "uint256")
QUORUM_AT = fn("quorum(uint256)", "uint256")
QUORUM_VOTES = fn("quorumVotes()", "uint256")
TIMELOCK = fn("timelock()", "address")
TOKEN = fn("token()", "address")
COMP = fn("comp()", "address")
PROPOSAL_COUNT = fn("proposalCount()", "uint256")
PROPOSAL_NEEDS_QUEUING = fn("proposalNeedsQueuing(uint256)", "bool")
GET_MIN_DELAY = fn("getMinDelay()", "uint256")
DELAY = fn("delay()", "uint256")
GRACE_PERIOD = fn("GRACE_PERIOD()", "uint256")

# --- per-proposal reads ---
STATE = fn("state(uint256)", "uint8")
PROPOSAL_VOTES = fn("proposalVotes(uint256)", "uint256,uint256,uint256")
PROPOSAL_SNAPSHOT = fn("proposalSnapshot(uint256)", "uint256")
PROPOSAL_DEADLINE = fn("proposalDeadline(uint256)", "uint256")
PROPOSAL_ETA = fn("proposalEta(uint256)", "uint256")
HAS_VOTED = fn("hasVoted(uint256,address)", "bool")
GET_VOTES_AT = fn("getVotes(address,uint256)", "uint256")
GOVERNOR_NONCES = fn("nonces(address)", "uint256")
GET_PROPOSAL_ID = fn("getProposalId(address[],uint256[],bytes[],bytes32)", "uint256")
HASH_PROPOSAL = fn("hashProposal(address[],uint256[],bytes[],bytes32)", "uint256")
BRAVO_PROPOSALS = fn(
    "proposals(uint256)",
    "uint256,address,uint256,uint256,uint256,uint256,uint256,uint256,bool,bool",
)
ALPHA_PROPOSALS = fn(
    "proposals(uint256)", "uint256,address,uint256,uint256,uint256,uint256,uint256,bool,bool"
)
BRAVO_RECEIPT = fn("getReceipt(uint256,address)", "(bool,uint8,uint96)")
ALPHA_RECEIPT = fn("getReceipt(uint256,address)", "(bool,bool,uint96)")

# --- token ---
DELEGATES = fn("delegates(address)", "address")
GET_PAST_VOTES = fn("getPastVotes(address,uint256)", "uint256")
GET_PRIOR_VOTES = fn("getPriorVotes(address,uint256)", "uint96")
GET_CURRENT_VOTES = fn("getCurrentVotes(address)", "uint96")
TOKEN_GET_VOTES = fn("getVotes(address)", "uint256")
TOKEN_NONCES = fn("nonces(address)", "uint256")
DELEGATION_TYPEHASH = fn("DELEGATION_TYPEHASH()", "bytes32")
DELEGATE = fn("delegate(address)")
DELEGATE_BY_SIG = fn("delegateBySig(address,uint256,uint256,uint8,bytes32,bytes32)")

# --- writes ---
OZ_PROPOSE = fn("propose(address[],uint256[],bytes[],string)", "uint256")
COMPOUND_PROPOSE = fn("propose(address[],uint256[],string[],bytes[],string)", "uint256")
OZ_QUEUE = fn("queue(address[],uint256[],bytes[],bytes32)", "uint256")
OZ_EXECUTE = fn("execute(address[],uint256[],bytes[],bytes32)", "uint256")
OZ_CANCEL = fn("cancel(address[],uint256[],bytes[],bytes32)", "uint256")
ID_QUEUE = fn("queue(uint256)")
ID_EXECUTE = fn("execute(uint256)")
ID_CANCEL = fn("cancel(uint256)")
CAST_VOTE = fn("castVote(uint256,uint8)")
CAST_VOTE_ALPHA = fn("castVote(uint256,bool)")
CAST_VOTE_WITH_REASON = fn("castVoteWithReason(uint256,uint8,string)")
CAST_VOTE_BY_SIG_V5 = fn("castVoteBySig(uint256,uint8,address,bytes)")
CAST_VOTE_BY_SIG_V4 = fn("castVoteBySig(uint256,uint8,uint8,bytes32,bytes32)")
CAST_VOTE_BY_SIG_ALPHA = fn("castVoteBySig(uint256,bool,uint8,bytes32,bytes32)")

# --- events ---
PROPOSAL_CREATED = event(
    "ProposalCreated(uint256,address,address[],uint256[],string[],bytes[],uint256,uint256,string)"
)
VOTE_CAST = event("VoteCast(address,uint256,uint8,uint256,string)", "1")
VOTE_CAST_WITH_PARAMS = event("VoteCastWithParams(address,uint256,uint8,uint256,string,bytes)", "1")
VOTE_CAST_ALPHA = event("VoteCast(address,uint256,bool,uint256)")

# --- typehashes that identify the family ---
BALLOT_V5 = keccak(text="Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)")
BALLOT_UINT8 = keccak(text="Ballot(uint256 proposalId,uint8 support)")
BALLOT_BOOL = keccak(text="Ballot(uint256 proposalId,bool support)")

GOVERNOR_ERRORS = (
    "GovernorUnexpectedProposalState(uint256 proposalId,uint8 current,bytes32 expectedStates)",
    "GovernorNonexistentProposal(uint256 proposalId)",
    "GovernorAlreadyCastVote(address voter)",
    "GovernorInvalidVoteType()",
    "GovernorInsufficientProposerVotes(address proposer,uint256 votes,uint256 threshold)",
    "GovernorRestrictedProposer(address proposer)",
    "GovernorInvalidProposalLength(uint256 targets,uint256 calldatas,uint256 values)",
    "GovernorUnableToCancel(uint256 proposalId,address account)",
    "GovernorInvalidSignature(address voter)",
    "GovernorOnlyExecutor(address account)",
    "GovernorQueueNotImplemented()",
    "GovernorNotQueuedProposal(uint256 proposalId)",
    "TimelockUnexpectedOperationState(bytes32 operationId,bytes32 expectedStates)",
    "TimelockInsufficientDelay(uint256 delay,uint256 minDelay)",
    "TimelockUnauthorizedCaller(address caller)",
    "AccessControlUnauthorizedAccount(address account,bytes32 neededRole)",
    "ERC5805FutureLookup(uint256 timepoint,uint48 clock)",
    "VotesExpiredSignature(uint256 expiry)",
    "InvalidAccountNonce(address account,uint256 currentNonce)",
    "ECDSAInvalidSignature()",
    "FailedCall()",
)


def _states_in(bitmap: bytes) -> str:
    value = int.from_bytes(bitmap, "big")
    names = [s.label for s in ProposalState if value & (1 << s.value)]
    return " or ".join(names) or "another state"


def _unexpected_state(values: tuple[Any, ...]) -> str:
    proposal_id, current, expected = values
    return (
        f"proposal {proposal_id} is {ProposalState(int(current)).label}, "
        f"but this needs it to be {_states_in(bytes(expected))}"
    )


def governor_errors() -> ErrorRegistry:
    """Registry with the OZ governor, timelock and votes errors (plus every custom error in our
    compiled artifacts), and readable state errors."""
    registry = ErrorRegistry()
    for signature in GOVERNOR_ERRORS:
        params = signature.partition("(")[2]
        names = [p.strip().split(" ")[-1] for p in params.rstrip(")").split(",") if p.strip()]
        registry.add_signature(signature, names)
    for name in _artifact_names():
        registry.add_abi(load_artifact(name).abi)
    registry.add_formatter("GovernorUnexpectedProposalState", _unexpected_state)
    return registry


def _artifact_names() -> tuple[str, ...]:
    try:
        return artifact_names()
    except ConfigError:  # a packaged app may ship without artifacts: the list above still works
        return ()
