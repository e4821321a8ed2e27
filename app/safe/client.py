"""A Safe as the chain sees it: owners, threshold, nonce; EIP-1271 checks; ``execTransaction``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from eth_abi.exceptions import DecodingError
from eth_utils.address import to_checksum_address

from app.chain.abi_codec import fn
from app.chain.errors import RpcError
from app.chain.rpc import RpcClient
from app.chain.transactions import TxRequest
from app.errors import InputError
from app.safe.hashes import SafeTx

EIP1271_MAGIC: Final = bytes.fromhex("1626ba7e")
_GET_OWNERS: Final = fn("getOwners()", "address[]")
_GET_THRESHOLD: Final = fn("getThreshold()", "uint256")
_NONCE: Final = fn("nonce()", "uint256")
_VERSION: Final = fn("VERSION()", "string")
_IS_VALID_SIGNATURE: Final = fn("isValidSignature(bytes32,bytes)", "bytes4")
EXEC_TRANSACTION: Final = fn(
    "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
    "bool",
)


@dataclass(frozen=True)
class SafeInfo:
    """A Safe's owners (checksummed, in the Safe's order), threshold, next nonce and version."""

    address: str
    chain_id: int
    owners: tuple[str, ...]
    threshold: int
    nonce: int
    version: str

    @property
    def summary(self) -> str:
        """``"Safe 0x1234…abcd (2 of 3)"``."""
        return (
            f"Safe {self.address[:6]}…{self.address[-4:]} ({self.threshold} of {len(self.owners)})"
        )


async def _call(rpc: RpcClient, address: str, data: bytes) -> bytes:
    result = await rpc.request("eth_call", [{"to": address, "data": "0x" + data.hex()}, "latest"])
    return bytes.fromhex(str(result).removeprefix("0x"))


async def read_safe(rpc: RpcClient, address: str) -> SafeInfo:
    """Read a Safe; a clear error when ``address`` is not one."""
    safe = to_checksum_address(address)
    code = await rpc.request("eth_getCode", [safe, "latest"])
    if str(code) in ("0x", ""):
        raise InputError(f"{safe} has no contract on chain {rpc.chain_id}, so it is not a Safe.")
    try:
        version = str(_VERSION.decode_one(await _call(rpc, safe, _VERSION.encode())))
        owners = _GET_OWNERS.decode_one(await _call(rpc, safe, _GET_OWNERS.encode()))
        threshold = int(_GET_THRESHOLD.decode_one(await _call(rpc, safe, _GET_THRESHOLD.encode())))
        nonce = int(_NONCE.decode_one(await _call(rpc, safe, _NONCE.encode())))
    except (RpcError, DecodingError, OverflowError) as exc:  # some other contract
        raise InputError(f"The contract at {safe} does not answer as a Safe does.") from exc
    return SafeInfo(
        safe, rpc.chain_id, tuple(to_checksum_address(o) for o in owners), threshold, nonce, version
    )


async def is_valid_signature(rpc: RpcClient, safe: str, data_hash: bytes, signature: bytes) -> bool:
    """What the Safe answers to EIP-1271 ``isValidSignature(hash, signature)`` (a revert is no)."""
    data = _IS_VALID_SIGNATURE.encode(data_hash, signature)
    try:
        answer = await _call(rpc, to_checksum_address(safe), data)
    except RpcError:  # the Safe reverts (GS0xx) for signatures it does not accept
        return False
    return answer[:4] == EIP1271_MAGIC


def exec_transaction_request(
    safe: SafeInfo, tx: SafeTx, signatures: bytes, label: str
) -> TxRequest:
    """The transaction any owner sends to execute ``tx`` with the owners' packed signatures."""
    data = EXEC_TRANSACTION.encode(
        to_checksum_address(tx.to), tx.value, tx.data, tx.operation, tx.safe_tx_gas, tx.base_gas,
        tx.gas_price, to_checksum_address(tx.gas_token), to_checksum_address(tx.refund_receiver),
        signatures,
    )  # fmt: skip
    return TxRequest(to=safe.address, data=data, label=label)
