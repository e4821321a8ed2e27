"""Contract-wallet signatures for the local hub, checked on the devnet chain as Snapshot does.

When a signature does not recover to the envelope's address, snapshot.js ``verify`` goes to the
network (reference/snapshot.md §1.6): EIP-1271 ``isValidSignature(bytes32,bytes)`` answering
``0x1626ba7e``, then the legacy ``isValidSignature(bytes,bytes)`` answering ``0x20c13b0b``. A
Safe answers through its CompatibilityFallbackHandler, checking its owners' packed signatures.
"""

from __future__ import annotations

from typing import Final, Protocol

from eth_abi.abi import encode
from eth_utils.crypto import keccak
from web3 import Web3
from web3.exceptions import ContractLogicError, Web3RPCError

_MAGIC: Final = bytes.fromhex("1626ba7e")
_LEGACY_MAGIC: Final = bytes.fromhex("20c13b0b")
_IS_VALID: Final = keccak(text="isValidSignature(bytes32,bytes)")[:4]
_IS_VALID_LEGACY: Final = keccak(text="isValidSignature(bytes,bytes)")[:4]


class ContractSignatures(Protocol):
    def is_valid(self, address: str, digest: bytes, signature: bytes) -> bool: ...


class NoContractWallets:
    """For hubs without a chain: only EOA signatures are valid."""

    def is_valid(self, address: str, digest: bytes, signature: bytes) -> bool:
        return False


class ChainContractSignatures:
    """EIP-1271 checks by ``eth_call`` on the devnet chain."""

    def __init__(self, rpc_url: str) -> None:
        self._w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 10}))

    def is_valid(self, address: str, digest: bytes, signature: bytes) -> bool:
        target = Web3.to_checksum_address(address)
        if not self._w3.eth.get_code(target):
            return False
        current = _IS_VALID + encode(["bytes32", "bytes"], [digest, signature])
        if self._answer(target, current)[:4] == _MAGIC:
            return True
        legacy = _IS_VALID_LEGACY + encode(["bytes", "bytes"], [digest, signature])
        return self._answer(target, legacy)[:4] == _LEGACY_MAGIC

    def _answer(self, target: str, data: bytes) -> bytes:
        try:
            return bytes(self._w3.eth.call({"to": Web3.to_checksum_address(target), "data": data}))
        except (ContractLogicError, Web3RPCError, ValueError):  # a revert is a "no"
            return b""
