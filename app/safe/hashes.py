"""What a Safe's owners sign: EIP-712 over the Safe's own domain (chain id + Safe address).

Two messages matter for governance:

- a **Safe message** (``SafeMessage(bytes message)``): how a Safe signs off-chain. For EIP-1271
  with a 32-byte hash (what Snapshot's sequencer asks ``isValidSignature(bytes32,bytes)``), the
  CompatibilityFallbackHandler wraps the hash as ``abi.encode(hash)``: that is the message.
- a **Safe transaction** (``SafeTx``): how a Safe calls a contract (castVote, delegate, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from eth_abi.abi import encode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

ZERO_ADDRESS: Final = "0x0000000000000000000000000000000000000000"
DOMAIN_TYPE: Final = [
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
SAFE_MESSAGE_TYPE: Final = [{"name": "message", "type": "bytes"}]
SAFE_TX_TYPE: Final = [
    {"name": "to", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "data", "type": "bytes"},
    {"name": "operation", "type": "uint8"},
    {"name": "safeTxGas", "type": "uint256"},
    {"name": "baseGas", "type": "uint256"},
    {"name": "gasPrice", "type": "uint256"},
    {"name": "gasToken", "type": "address"},
    {"name": "refundReceiver", "type": "address"},
    {"name": "nonce", "type": "uint256"},
]
_DOMAIN_TYPEHASH: Final = keccak(text="EIP712Domain(uint256 chainId,address verifyingContract)")
_SAFE_MESSAGE_TYPEHASH: Final = keccak(text="SafeMessage(bytes message)")
_SAFE_TX_TYPEHASH: Final = keccak(
    text="SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,"
    "uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)"
)


@dataclass(frozen=True)
class SafeTx:
    """One Safe transaction. Governance calls are plain CALLs (operation 0) with no refund."""

    to: str
    data: bytes
    nonce: int
    value: int = 0
    operation: int = 0
    safe_tx_gas: int = 0
    base_gas: int = 0
    gas_price: int = 0
    gas_token: str = ZERO_ADDRESS
    refund_receiver: str = ZERO_ADDRESS

    def message(self) -> dict[str, Any]:
        """The ``SafeTx`` struct as EIP-712 typed-data values."""
        return {
            "to": to_checksum_address(self.to),
            "value": self.value,
            "data": self.data,
            "operation": self.operation,
            "safeTxGas": self.safe_tx_gas,
            "baseGas": self.base_gas,
            "gasPrice": self.gas_price,
            "gasToken": to_checksum_address(self.gas_token),
            "refundReceiver": to_checksum_address(self.refund_receiver),
            "nonce": self.nonce,
        }


def domain_separator(chain_id: int, safe: str) -> bytes:
    return keccak(encode(["bytes32", "uint256", "address"], [_DOMAIN_TYPEHASH, chain_id, safe]))


def eip1271_message(data_hash: bytes) -> bytes:
    """The Safe message the fallback handler checks for ``isValidSignature(bytes32, bytes)``."""
    if len(data_hash) != 32:
        raise ValueError("An EIP-1271 hash is 32 bytes.")
    return encode(["bytes32"], [data_hash])


def safe_message_hash(chain_id: int, safe: str, message: bytes) -> bytes:
    """The hash each owner signs for ``message`` (the handler's ``getMessageHashForSafe``)."""
    struct = keccak(encode(["bytes32", "bytes32"], [_SAFE_MESSAGE_TYPEHASH, keccak(message)]))
    return keccak(b"\x19\x01" + domain_separator(chain_id, safe) + struct)


def safe_tx_hash(chain_id: int, safe: str, tx: SafeTx) -> bytes:
    """The hash each owner signs for ``tx`` (the Safe's ``getTransactionHash``)."""
    struct = keccak(
        encode(
            ["bytes32", "address", "uint256", "bytes32", "uint8", "uint256", "uint256",
             "uint256", "address", "address", "uint256"],
            [_SAFE_TX_TYPEHASH, tx.to, tx.value, keccak(tx.data), tx.operation, tx.safe_tx_gas,
             tx.base_gas, tx.gas_price, tx.gas_token, tx.refund_receiver, tx.nonce],
        )
    )  # fmt: skip
    return keccak(b"\x19\x01" + domain_separator(chain_id, safe) + struct)


def _domain(chain_id: int, safe: str) -> dict[str, Any]:
    return {"chainId": chain_id, "verifyingContract": to_checksum_address(safe)}


def safe_message_typed_data(chain_id: int, safe: str, message: bytes) -> dict[str, Any]:
    """EIP-712 typed data an owner's signer signs to approve ``message`` for the Safe."""
    return {
        "types": {"EIP712Domain": DOMAIN_TYPE, "SafeMessage": SAFE_MESSAGE_TYPE},
        "primaryType": "SafeMessage",
        "domain": _domain(chain_id, safe),
        "message": {"message": message},
    }


def safe_tx_typed_data(chain_id: int, safe: str, tx: SafeTx) -> dict[str, Any]:
    """EIP-712 typed data an owner's signer signs to approve ``tx`` for the Safe."""
    return {
        "types": {"EIP712Domain": DOMAIN_TYPE, "SafeTx": SAFE_TX_TYPE},
        "primaryType": "SafeTx",
        "domain": _domain(chain_id, safe),
        "message": tx.message(),
    }
