"""Plain-web3 helpers for the integration tests: contracts by artifact name, checked transactions."""

from __future__ import annotations

from typing import Any

from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.logs import DISCARD
from web3.types import TxReceipt

from app.artifacts import load_artifact
from app.devnet.network import Devnet

PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED = range(8)


def contract(w3: Web3, artifact: str, address: str) -> Contract:
    return w3.eth.contract(
        address=Web3.to_checksum_address(address), abi=load_artifact(artifact).abi
    )


def send(w3: Web3, call: ContractFunction, sender: str) -> TxReceipt:
    """Send ``call`` from an unlocked dev account and require that it succeeded."""
    tx_hash = call.transact({"from": Web3.to_checksum_address(sender)})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10, poll_latency=0.01)
    assert receipt["status"] == 1
    return receipt


def advance_clock(devnet: Devnet, clock: str, units: int) -> None:
    """Move a governor's clock ``units`` forward: blocks, or seconds on the timestamp clock."""
    if clock == "timestamp":
        devnet.control.increase_time(units)
    else:
        devnet.control.mine(units)


def token_artifact(stack: dict[str, str]) -> str:
    if stack["kind"] != "oz":
        return "CompToken"
    return "GovTokenTimestamp" if stack["clock"] == "timestamp" else "GovToken"


def first_event(receipt: TxReceipt, contract_: Contract, event: str) -> Any:
    # DISCARD: other contracts' logs in the same receipt are not errors.
    logs = contract_.events[event]().process_receipt(receipt, errors=DISCARD)
    assert len(logs) == 1
    return logs[0]["args"]


def sign_compound_ballot(
    w3: Web3, governor: Contract, dev_key: str, proposal_id: int, support: int | bool
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of a Compound-style Ballot: EIP-712 domain without a version field."""
    from eth_account import Account

    support_type = "bool" if isinstance(support, bool) else "uint8"
    typed_data = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Ballot": [
                {"name": "proposalId", "type": "uint256"},
                {"name": "support", "type": support_type},
            ],
        },
        "primaryType": "Ballot",
        "domain": {
            "name": governor.functions.name().call(),
            "chainId": w3.eth.chain_id,
            "verifyingContract": governor.address,
        },
        "message": {"proposalId": proposal_id, "support": support},
    }
    signed = Account.sign_typed_data(dev_key, full_message=typed_data)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
