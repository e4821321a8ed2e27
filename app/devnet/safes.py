"""Real Safe contracts on the devnet, from the npm package ``@safe-global/safe-contracts`` 1.4.1.

The compiled artifacts come with the package (``build/artifacts``): the Safe singleton, the proxy
factory and the CompatibilityFallbackHandler (which gives a Safe EIP-1271). Nothing of Safe's is
compiled or committed here. Safes are made as production makes them: a proxy created through the
factory with ``setup(owners, threshold, ..., fallbackHandler, ...)`` as its initializer.
This is dev tooling: sync web3 and unlocked anvil accounts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from eth_typing import ChecksumAddress
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from app.devnet.tools import node_modules_dir
from app.errors import DevnetError, ToolMissingError

SAFE_PACKAGE: Final = "@safe-global/safe-contracts"
_ARTIFACTS: Final = {
    "Safe": "Safe.sol/Safe.json",
    "SafeProxyFactory": "proxies/SafeProxyFactory.sol/SafeProxyFactory.json",
    "CompatibilityFallbackHandler": (
        "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json"
    ),
}
_ZERO: Final = "0x0000000000000000000000000000000000000000"


def safe_artifact(name: str) -> dict[str, Any]:
    """``abi`` and ``bytecode`` of one Safe contract, read from the installed npm package."""
    path = (
        node_modules_dir() / SAFE_PACKAGE / "build" / "artifacts" / "contracts" / _ARTIFACTS[name]
    )
    if not path.is_file():
        raise ToolMissingError(
            f"The Safe contracts are not installed ({path} is missing); run scripts/setup."
        )
    data: dict[str, Any] = json.loads(Path(path).read_text("utf-8"))
    return data


@dataclass(frozen=True)
class SafeInfra:
    """The addresses of the deployed Safe singleton, proxy factory and fallback handler."""

    singleton: str
    factory: str
    fallback_handler: str


class SafeDeployer:
    """Deploys the Safe contracts once, then creates Safes for given owners and thresholds."""

    def __init__(self, w3: Web3, deployer: str) -> None:
        self.w3 = w3
        self.deployer = Web3.to_checksum_address(deployer)
        self._salt = 0

    def deploy_infra(self) -> SafeInfra:
        singleton = self._deploy("Safe")
        factory = self._deploy("SafeProxyFactory")
        handler = self._deploy("CompatibilityFallbackHandler")
        return SafeInfra(singleton, factory, handler)

    def create_safe(self, infra: SafeInfra, owners: Sequence[str], threshold: int) -> str:
        """A new Safe proxy with ``owners`` and ``threshold``; its checksummed address."""
        singleton = self._contract("Safe", infra.singleton)
        initializer = singleton.encode_abi(
            "setup",
            args=[
                [Web3.to_checksum_address(o) for o in owners], threshold, _ZERO, b"",
                Web3.to_checksum_address(infra.fallback_handler), _ZERO, 0, _ZERO,
            ],
        )  # fmt: skip
        factory = self._contract("SafeProxyFactory", infra.factory)
        self._salt += 1
        call = factory.functions.createProxyWithNonce(
            Web3.to_checksum_address(infra.singleton), initializer, self._salt
        )
        receipt = self.wait(call.transact({"from": self.deployer}), "creating a Safe")
        created = factory.events.ProxyCreation().process_receipt(receipt, errors=DISCARD)
        if len(created) != 1:
            raise DevnetError("The Safe proxy factory reported no new Safe.")
        return str(Web3.to_checksum_address(created[0]["args"]["proxy"]))

    def execute(self, safe: str, owners: Sequence[str], to: str, data: bytes) -> None:
        """Have ``owners`` (unlocked dev accounts, as many as the threshold) run one call from
        ``safe``: each but the last approves the hash on chain, the last executes."""
        contract = self._contract("Safe", safe)
        nonce = contract.functions.nonce().call()
        target = Web3.to_checksum_address(to)
        tx_hash = contract.functions.getTransactionHash(
            target, 0, data, 0, 0, 0, 0, _ZERO, _ZERO, nonce).call()  # fmt: skip
        signers = [Web3.to_checksum_address(o) for o in owners]
        for owner in signers[:-1]:
            self.wait(contract.functions.approveHash(tx_hash).transact({"from": owner}),
                       "approving a Safe transaction")  # fmt: skip
        # Pre-validated signatures (v = 1): r is the owner, s is zero; sorted by owner.
        packed = b"".join(
            bytes(12) + bytes.fromhex(o[2:]) + bytes(32) + b"\x01"
            for o in sorted(signers, key=lambda a: int(a, 16))
        )
        call = contract.functions.execTransaction(target, 0, data, 0, 0, 0, 0, _ZERO, _ZERO, packed)
        self.wait(call.transact({"from": signers[-1]}), "executing a Safe transaction")

    def _contract(self, name: str, address: str) -> Contract:
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(address), abi=safe_artifact(name)["abi"]
        )

    def _deploy(self, name: str) -> ChecksumAddress:
        artifact = safe_artifact(name)
        factory = self.w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
        receipt = self.wait(factory.constructor().transact({"from": self.deployer}), name)
        if receipt["contractAddress"] is None:
            raise DevnetError(f"Deploying {name} on the devnet created no contract.")
        return Web3.to_checksum_address(receipt["contractAddress"])

    def wait(self, tx_hash: Any, what: str) -> Any:
        """The receipt of ``tx_hash``; a revert is a DevnetError naming ``what``."""
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30, poll_latency=0.01)
        if receipt["status"] != 1:
            raise DevnetError(f"The devnet transaction {what} reverted.")
        return receipt


@dataclass(frozen=True)
class DevnetSafe:
    """A Safe every devnet has: its name, its owners (dev-account indexes) and threshold."""

    name: str
    owners: tuple[int, ...]
    threshold: int


# Dev 1 owns both, so an account added from the dev accounts has a Safe to vote as.
DEVNET_SAFES: Final = (
    DevnetSafe("Dev 1's Safe", (1,), 1),
    DevnetSafe("Treasury", (1, 2, 3), 2),
)


def create_devnet_safes(w3: Web3, accounts: Sequence[str]) -> dict[str, str]:
    """Deploy the Safe contracts and create :data:`DEVNET_SAFES`; name → address."""
    deployer = SafeDeployer(w3, accounts[0])
    infra = deployer.deploy_infra()
    return {
        safe.name: deployer.create_safe(infra, [accounts[i] for i in safe.owners], safe.threshold)
        for safe in DEVNET_SAFES
    }
