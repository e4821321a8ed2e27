"""What the hardware tests sign: a real Snapshot vote (``build_vote``) and a Governor vote."""

from __future__ import annotations

from typing import Any

from eth_abi.abi import encode as abi_encode
from eth_utils.crypto import keccak

from app.snapshot.messages import VoteRequest, build_vote

# The Hardhat test mnemonic's first account (m/44'/60'/0'/0/0), and the path the tests use.
PATH = "m/44'/60'/0'/0/0"
ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
LIVE_PATH_1 = "m/44'/60'/1'/0/0"
GOVERNOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
CHAIN_ID = 31337
PROPOSAL = "0x" + "ab" * 32


def snapshot_vote(reason: str = "Good for builders: lower fees, more jobs.") -> dict[str, Any]:
    request = VoteRequest("braintrust.eth", PROPOSAL, "single-choice", 1, 3, reason)
    return build_vote(ADDRESS, request, timestamp=1_700_000_000).full_typed_data()


def governor_vote_tx(reason: str = "For: the fee cut pays for itself") -> dict[str, Any]:
    selector = keccak(text="castVoteWithReason(uint256,uint8,string)")[:4]
    data = selector + abi_encode(["uint256", "uint8", "string"], [7, 1, reason])
    return {
        "chainId": CHAIN_ID,
        "nonce": 3,
        "maxFeePerGas": 2_000_000_000,
        "maxPriorityFeePerGas": 1_000_000_000,
        "gas": 120_000,
        "to": GOVERNOR,
        "value": 0,
        "data": "0x" + data.hex(),
    }


def governor_ballot() -> dict[str, Any]:
    """The EIP-712 ballot a Governor's ``castVoteBySig`` checks (OpenZeppelin shape)."""
    return {
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
                {"name": "voter", "type": "address"},
                {"name": "nonce", "type": "uint256"},
            ],
        },
        "primaryType": "Ballot",
        "domain": {
            "name": "Braintrust Governor",
            "version": "1",
            "chainId": CHAIN_ID,
            "verifyingContract": GOVERNOR,
        },
        "message": {"proposalId": 7, "support": 1, "voter": ADDRESS, "nonce": 0},
    }


def rich_typed_data() -> dict[str, Any]:
    """Every kind of field: nested structs, struct arrays, fixed and dynamic arrays, signed ints,
    fixed and dynamic bytes, bools, and a string long enough to need several APDUs."""
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
                {"name": "salt", "type": "bytes32"},
            ],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
            "Mail": [
                {"name": "from", "type": "Person"},
                {"name": "to", "type": "Person[]"},
                {"name": "contents", "type": "string"},
                {"name": "delta", "type": "int16"},
                {"name": "urgent", "type": "bool"},
                {"name": "ranks", "type": "uint8[3]"},
                {"name": "tags", "type": "string[]"},
                {"name": "blob", "type": "bytes"},
            ],
        },
        "primaryType": "Mail",
        "domain": {
            "name": "Ether Mail",
            "chainId": CHAIN_ID,
            "verifyingContract": GOVERNOR,
            "salt": "0x" + "11" * 32,
        },
        "message": {
            "from": {"name": "Cow", "wallet": ADDRESS},
            "to": [
                {"name": "Bob", "wallet": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
                {"name": "Eve", "wallet": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"},
            ],
            "contents": "Hello, Bob! " * 50,
            "delta": -300,
            "urgent": True,
            "ranks": [3, 1, 2],
            "tags": ["a", "bc"],
            "blob": "0x" + "ab" * 40,
        },
    }
