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
