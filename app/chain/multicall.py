"""Batch many read calls into few ``eth_call`` requests through Multicall3 ``aggregate3``.

Calls are split into chunks (``chunk_size`` calls per request). A chunk the node refuses for size
or gas is split in half and retried. Without a Multicall3 contract the calls are made one by one,
concurrently, with the same result shape.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from app.chain.abi import fn
from app.chain.errors import RpcError
from app.chain.rpc import RpcClient

AGGREGATE3 = fn("aggregate3((address,bool,bytes)[])", "(bool,bytes)[]")
CANONICAL_MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11"
DEFAULT_CHUNK_SIZE = 1000
_SIZE_HINTS = ("gas", "too large", "size", "limit", "timeout")


@dataclass(frozen=True)
class Call:
    """One read call inside a batch."""

    target: str
    data: bytes
    allow_failure: bool = True


@dataclass(frozen=True)
class CallResult:
    success: bool
    data: bytes


def encode_aggregate3(calls: Sequence[Call]) -> bytes:
    return AGGREGATE3.encode([(c.target, c.allow_failure, c.data) for c in calls])


def decode_aggregate3(data: bytes) -> list[CallResult]:
    return [CallResult(bool(ok), bytes(out)) for ok, out in AGGREGATE3.decode_one(data)]


def block_param(block: int | str) -> str:
    return hex(block) if isinstance(block, int) else block


class Multicall:
    """Reads through Multicall3 at ``address`` (or one call at a time when ``address`` is None)."""

    def __init__(
        self, rpc: RpcClient, address: str | None, *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> None:
        self.rpc = rpc
        self.address = address
        self.chunk_size = max(1, chunk_size)

    @classmethod
    async def discover(cls, rpc: RpcClient, address: str | None = None) -> Multicall:
        """Use ``address`` or the canonical Multicall3 if it has code; else plain calls."""
        candidate = address or CANONICAL_MULTICALL3
        code = await rpc.request("eth_getCode", [candidate, "latest"])
        return cls(rpc, candidate if code not in (None, "0x", "0x0") else None)

    async def run(self, calls: Sequence[Call], block: int | str = "latest") -> list[CallResult]:
        if not calls:
            return []
        if self.address is None:
            return list(await asyncio.gather(*(self._single(c, block) for c in calls)))
        results: list[CallResult] = []
        for start in range(0, len(calls), self.chunk_size):
            results += await self._chunk(calls[start : start + self.chunk_size], block)
        return results

    async def _chunk(self, calls: Sequence[Call], block: int | str) -> list[CallResult]:
        tx = {"to": self.address, "data": "0x" + encode_aggregate3(calls).hex()}
        try:
            raw = await self.rpc.request("eth_call", [tx, block_param(block)])
        except RpcError as exc:
            too_big = any(h in exc.rpc_message.lower() for h in _SIZE_HINTS)
            if len(calls) == 1 or not too_big:
                raise
            half = len(calls) // 2
            self.chunk_size = max(1, half)
            return await self._chunk(calls[:half], block) + await self._chunk(calls[half:], block)
        return decode_aggregate3(bytes.fromhex(raw[2:]))

    async def _single(self, call: Call, block: int | str) -> CallResult:
        tx = {"to": call.target, "data": "0x" + call.data.hex()}
        try:
            raw = await self.rpc.request("eth_call", [tx, block_param(block)])
        except RpcError:
            if not call.allow_failure:
                raise
            return CallResult(False, b"")
        return CallResult(True, bytes.fromhex(raw[2:]))
