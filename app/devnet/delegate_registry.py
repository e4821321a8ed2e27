"""Snapshot's Delegate Registry on the devnet, at its mainnet address.

Our own contract (resources/contracts/src/snapshot/DelegateRegistry.sol) has the registry's
public interface. It is deployed once, and its runtime code is then placed at
``DELEGATE_REGISTRY`` with ``anvil_setCode``, so govdesk reads and writes delegations on the devnet
at the same address it uses on mainnet.
"""

from __future__ import annotations

from web3 import Web3

from app.artifacts import load_artifact
from app.devnet.control import DevnetControl
from app.errors import DevnetError
from app.snapshot.delegation import DELEGATE_REGISTRY


def install_delegate_registry(rpc_url: str, deployer: str) -> str:
    """Put the registry at its mainnet address on the devnet; return that address."""
    w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 30}))
    artifact = load_artifact("DelegateRegistry")
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    tx_hash = factory.constructor().transact({"from": Web3.to_checksum_address(deployer)})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30, poll_latency=0.01)
    if receipt["status"] != 1 or receipt["contractAddress"] is None:
        raise DevnetError("Deploying the Delegate Registry on the devnet failed.")
    code = w3.eth.get_code(receipt["contractAddress"])
    DevnetControl(rpc_url).request("anvil_setCode", [DELEGATE_REGISTRY, "0x" + bytes(code).hex()])
    return DELEGATE_REGISTRY
