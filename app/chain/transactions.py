"""Send transactions safely: simulate, price (EIP-1559 with a cap), number, sign, wait.

Every send re-checks the endpoint's chain id right before the signature, simulates with
``eth_call`` and ``eth_estimateGas`` (a revert is decoded and raised before anything is signed),
and takes the next nonce from a per-account counter so several transactions can be pending.
Signing goes through ``app.keys.signer_protocol.Signer``; no key material passes through here.

Every RPC result used here has its shape checked (``parse_*`` below, passed to
``RpcClient.request``): a malformed nonce, gas estimate, block, tip, transaction hash or receipt
counts as a broken endpoint, so the next endpoint is asked, and when none answers well the error
names the method (issue #22). The hash the node returns must be the hash of what was signed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from app.chain.errors import ContractRevertError, RpcError, TransactionError
from app.chain.logs import Log, parse_log
from app.chain.revert import ErrorRegistry, revert_data_from_error
from app.chain.rpc import RpcClient, parse_data, parse_quantity
from app.errors import NetworkError
from app.keys.signer_protocol import Signer

GWEI = 10**9
MAX_NONCE = 2**64 - 2  # EIP-2681
# Far above any chain's block gas limit (Arbitrum's estimates, L1 part included, stay below 1e8):
# a larger estimate is a broken or hostile endpoint, not a call.
MAX_GAS = 1_000_000_000
MAX_FEE_WEI = 2**128  # base fees and tips beyond this are not prices


@dataclass(frozen=True)
class TxRequest:
    """An unsigned contract call: what to send, before gas, fees and nonce are known."""

    to: str
    data: bytes
    value: int = 0
    label: str = ""


@dataclass(frozen=True)
class FeePolicy:
    max_fee_cap_wei: int = 300 * GWEI  # never pay more per gas than this
    default_priority_wei: int = 1 * GWEI
    base_fee_multiplier: int = 2  # room for the base fee to rise while pending
    gas_margin_percent: int = 20
    # A contract call mined in a later block than the estimate's may write a checkpoint the
    # estimate updated in place (ERC20Votes and governors on a timestamp clock: a new storage
    # slot each for two accounts); the unused part of the limit is never paid.
    call_headroom_gas: int = 50_000


@dataclass(frozen=True)
class TxReceipt:
    tx_hash: str
    block_number: int
    success: bool
    gas_used: int
    logs: tuple[Log, ...]


class NonceManager:
    """Hands out sequential nonces per account, starting from the node's pending count."""

    def __init__(self, rpc: RpcClient) -> None:
        self.rpc = rpc
        self._next: dict[str, int] = {}
        self._lock = asyncio.Lock()

    async def reserve(self, address: str) -> int:
        async with self._lock:
            pending: int = await self.rpc.request(
                "eth_getTransactionCount", [address, "pending"], parse=parse_nonce
            )
            nonce = max(pending, self._next.get(address, 0))
            self._next[address] = nonce + 1
            return nonce

    def forget(self, address: str) -> None:
        self._next.pop(address, None)


class TxSender:
    """Simulates, signs (via a Signer) and sends transactions for one account on one chain."""

    def __init__(
        self,
        rpc: RpcClient,
        signer: Signer,
        *,
        errors: ErrorRegistry | None = None,
        fees: FeePolicy | None = None,
        nonces: NonceManager | None = None,
        receipt_timeout_s: float = 120.0,
    ) -> None:
        self.rpc = rpc
        self.signer = signer
        self.errors = errors or ErrorRegistry()
        self.fees = fees or FeePolicy()
        self.nonces = nonces or NonceManager(rpc)
        self.receipt_timeout_s = receipt_timeout_s

    def _call_object(self, req: TxRequest) -> dict[str, str]:
        return {
            "from": self.signer.address,
            "to": req.to,
            "data": "0x" + req.data.hex(),
            "value": hex(req.value),
        }

    async def simulate(self, req: TxRequest, block: str = "latest") -> int:
        """Run the call and estimate its gas; raise ``ContractRevertError`` with the reason."""
        call = self._call_object(req)
        await self._revert_checked("eth_call", [call, block], parse_call_result)
        gas: int = await self._revert_checked("eth_estimateGas", [call], parse_gas)
        headroom = self.fees.call_headroom_gas if req.data else 0
        return gas * (100 + self.fees.gas_margin_percent) // 100 + headroom

    async def _revert_checked(
        self, method: str, params: list[Any], parse: Callable[[Any], Any]
    ) -> Any:
        try:
            return await self.rpc.request(method, params, parse=parse)
        except RpcError as exc:
            data = revert_data_from_error(exc.data, exc.rpc_message)
            if data is None:
                raise
            reason = self.errors.describe(data) if data else exc.rpc_message
            raise ContractRevertError(reason, revert_data=data) from exc

    async def fee_fields(self) -> dict[str, int]:
        base: int = await self.rpc.request(
            "eth_getBlockByNumber", ["latest", False], parse=parse_base_fee
        )
        try:
            tip: int = await self.rpc.request("eth_maxPriorityFeePerGas", [], parse=parse_fee)
        except RpcError:
            tip = self.fees.default_priority_wei
        cap = self.fees.max_fee_cap_wei
        if base + tip > cap:
            raise TransactionError(
                f"Network fees ({(base + tip) / GWEI:.1f} gwei per gas) are above your cap of "
                f"{cap / GWEI:.1f} gwei. Try again later or raise the cap."
            )
        max_fee = min(cap, base * self.fees.base_fee_multiplier + tip)
        return {"maxFeePerGas": max_fee, "maxPriorityFeePerGas": min(tip, max_fee)}

    async def send(self, req: TxRequest) -> str:
        """Simulate, sign and broadcast; return the transaction hash (no waiting)."""
        gas = await self.simulate(req)
        fees = await self.fee_fields()
        nonce = await self.nonces.reserve(self.signer.address)
        tx: dict[str, Any] = {
            "type": 2,
            "chainId": self.rpc.chain_id,
            "nonce": nonce,
            "to": to_checksum_address(req.to),
            "value": req.value,
            "data": "0x" + req.data.hex(),
            "gas": gas,
            **fees,
        }
        await self.rpc.ensure_chain()  # never sign for another chain
        raw = await self.signer.sign_transaction(tx)
        signed_hash = "0x" + keccak(raw).hex()
        try:
            answered: str = await self.rpc.request(
                "eth_sendRawTransaction", ["0x" + raw.hex()], parse=parse_tx_hash
            )
        except RpcError as exc:
            # An endpoint whose earlier answer was malformed may have sent it all the same.
            if await self._already_known(signed_hash):
                return signed_hash
            self.nonces.forget(self.signer.address)
            raise TransactionError(
                f"The node refused the transaction{_label(req)}: {exc.rpc_message}"
            ) from exc
        except NetworkError as exc:  # no endpoint answered eth_sendRawTransaction usably
            raise TransactionError(
                f"The transaction{_label(req)} may have been sent, but no endpoint answered "
                f"eth_sendRawTransaction usably. Its hash is {signed_hash}: check it in a block "
                "explorer before sending again.",
                detail=str(exc),
            ) from exc
        if answered != signed_hash:
            raise TransactionError(
                f"The node answered with the hash {answered}, not the hash of the signed "
                f"transaction{_label(req)} ({signed_hash}). It may be broken or dishonest: "
                "check the transaction in a block explorer before sending again."
            )
        return signed_hash

    async def _already_known(self, tx_hash: str) -> bool:
        try:
            found = await self.rpc.request(
                "eth_getTransactionByHash", [tx_hash], parse=_object_or_none
            )
        except NetworkError:
            return False
        return found is not None

    async def send_and_wait(self, req: TxRequest) -> TxReceipt:
        """Send, wait for the receipt, and raise ``ContractRevertError`` if it reverted."""
        tx_hash = await self.send(req)
        receipt = await self.wait_for_receipt(tx_hash)
        if not receipt.success:
            await self._explain_failure(req, receipt)
        return receipt

    async def wait_for_receipt(self, tx_hash: str, poll_s: float = 0.05) -> TxReceipt:
        deadline = time.monotonic() + self.receipt_timeout_s
        while time.monotonic() < deadline:
            receipt: TxReceipt | None = await self.rpc.request(
                "eth_getTransactionReceipt", [tx_hash], parse=receipt_parser(tx_hash)
            )
            if receipt is not None:
                return receipt
            await asyncio.sleep(poll_s)
            poll_s = min(2.0, poll_s * 1.5)
        raise TransactionError(
            f"Transaction {tx_hash} was sent but not mined within "
            f"{self.receipt_timeout_s:.0f} s. It may still be mined later."
        )

    async def _explain_failure(self, req: TxRequest, receipt: TxReceipt) -> None:
        parent = hex(receipt.block_number - 1)
        try:
            await self._revert_checked(
                "eth_call", [self._call_object(req), parent], parse_call_result
            )
        except ContractRevertError as exc:
            raise ContractRevertError(exc.reason, revert_data=exc.revert_data) from None
        raise ContractRevertError(f"transaction {receipt.tx_hash} reverted (reason unavailable)")


def _label(req: TxRequest) -> str:
    return f" ({req.label})" if req.label else ""


def _bounded(value: Any, what: str, top: int) -> int:
    number = parse_quantity(value, what)
    if number > top:
        raise ValueError(f"the {what} {number} is larger than {top}")
    return number


def _object_or_none(value: Any) -> dict[str, Any] | None:
    if value is not None and not isinstance(value, dict):
        raise ValueError("the transaction is not an object")
    return value


def parse_nonce(value: Any) -> int:
    return _bounded(value, "nonce", MAX_NONCE)


def parse_gas(value: Any) -> int:
    gas = _bounded(value, "gas estimate", MAX_GAS)
    if gas < 21_000:  # the intrinsic cost of any transaction
        raise ValueError(f"the gas estimate {gas} is below 21000")
    return gas


def parse_fee(value: Any) -> int:
    return _bounded(value, "fee", MAX_FEE_WEI)


def parse_call_result(value: Any) -> bytes:
    return parse_data(value, "call result")


def parse_base_fee(block: Any) -> int:
    """The latest block's base fee (0 before London); the block must be an object."""
    if not isinstance(block, dict):
        raise ValueError("the latest block is not an object")
    fee = block.get("baseFeePerGas")
    return 0 if fee is None else _bounded(fee, "base fee", MAX_FEE_WEI)


def parse_tx_hash(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 66 or not value.startswith("0x"):
        raise ValueError(f"the transaction hash {str(value)[:80]!r} is not 32 bytes of hex")
    return "0x" + parse_data(value, "transaction hash").hex()


def receipt_parser(tx_hash: str) -> Callable[[Any], TxReceipt | None]:
    """Parse ``eth_getTransactionReceipt`` for ``tx_hash``: None (not mined yet) or a receipt."""

    def parse(raw: Any) -> TxReceipt | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise ValueError("the receipt is not an object")
        answered = parse_tx_hash(raw.get("transactionHash"))
        if answered != tx_hash.lower():
            raise ValueError(f"the receipt is for {answered}, not {tx_hash}")
        status = parse_quantity(raw.get("status"), "receipt status")
        if status not in (0, 1):
            raise ValueError(f"the receipt status {status} is neither 0 nor 1")
        logs = raw.get("logs", [])
        if not isinstance(logs, list):
            raise ValueError("the receipt's logs are not a list")
        return TxReceipt(
            tx_hash=answered,
            block_number=parse_quantity(raw.get("blockNumber"), "block number"),
            success=status == 1,
            gas_used=_bounded(raw.get("gasUsed"), "gas used", MAX_GAS),
            logs=tuple(parse_log(item) for item in logs),
        )

    return parse
