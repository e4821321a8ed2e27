"""Send transactions safely: simulate, price (EIP-1559 with a cap), number, sign, wait.

Every send re-checks the endpoint's chain id right before the signature, simulates with
``eth_call`` and ``eth_estimateGas`` (a revert is decoded and raised before anything is signed),
and takes the next nonce from a per-account counter so several transactions can be pending.
Signing goes through ``app.keys.signer_protocol.Signer``; no key material passes through here.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from eth_utils.address import to_checksum_address

from app.chain.errors import ContractRevertError, RpcError, TransactionError
from app.chain.logs import Log, parse_log
from app.chain.revert import ErrorRegistry, revert_data_from_error
from app.chain.rpc import RpcClient
from app.keys.signer_protocol import Signer

GWEI = 10**9


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
            pending = int(
                await self.rpc.request("eth_getTransactionCount", [address, "pending"]), 16
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
        await self._revert_checked("eth_call", [call, block])
        gas = int(await self._revert_checked("eth_estimateGas", [call]), 16)
        return gas * (100 + self.fees.gas_margin_percent) // 100

    async def _revert_checked(self, method: str, params: list[Any]) -> Any:
        try:
            return await self.rpc.request(method, params)
        except RpcError as exc:
            data = revert_data_from_error(exc.data, exc.rpc_message)
            if data is None:
                raise
            reason = self.errors.describe(data) if data else exc.rpc_message
            raise ContractRevertError(reason, revert_data=data) from exc

    async def fee_fields(self) -> dict[str, int]:
        block = await self.rpc.request("eth_getBlockByNumber", ["latest", False])
        base = int(block.get("baseFeePerGas") or "0x0", 16)
        try:
            tip = int(await self.rpc.request("eth_maxPriorityFeePerGas", []), 16)
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
        try:
            return str(await self.rpc.request("eth_sendRawTransaction", ["0x" + raw.hex()]))
        except RpcError as exc:
            self.nonces.forget(self.signer.address)
            raise TransactionError(
                f"The node refused the transaction{_label(req)}: {exc.rpc_message}"
            ) from exc

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
            raw = await self.rpc.request("eth_getTransactionReceipt", [tx_hash])
            if raw is not None:
                return _parse_receipt(raw)
            await asyncio.sleep(poll_s)
            poll_s = min(2.0, poll_s * 1.5)
        raise TransactionError(
            f"Transaction {tx_hash} was sent but not mined within "
            f"{self.receipt_timeout_s:.0f} s. It may still be mined later."
        )

    async def _explain_failure(self, req: TxRequest, receipt: TxReceipt) -> None:
        parent = hex(receipt.block_number - 1)
        try:
            await self._revert_checked("eth_call", [self._call_object(req), parent])
        except ContractRevertError as exc:
            raise ContractRevertError(exc.reason, revert_data=exc.revert_data) from None
        raise ContractRevertError(f"transaction {receipt.tx_hash} reverted (reason unavailable)")


def _label(req: TxRequest) -> str:
    return f" ({req.label})" if req.label else ""


def _parse_receipt(raw: dict[str, Any]) -> TxReceipt:
    return TxReceipt(
        tx_hash=str(raw["transactionHash"]),
        block_number=int(raw["blockNumber"], 16),
        success=int(raw["status"], 16) == 1,
        gas_used=int(raw["gasUsed"], 16),
        logs=tuple(parse_log(item) for item in raw.get("logs", [])),
    )
