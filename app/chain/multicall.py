"""Batch many read calls into few ``eth_call`` requests through Multicall3 ``aggregate3``.

Calls are split into chunks (``chunk_size`` calls per request). A chunk the node refuses for size
or gas is split in half and retried. Without a Multicall3 contract the calls are made one by one,
concurrently, with the same result shape.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.exceptions import DecodingError

from app.chain.abi_codec import fn
from app.chain.errors import RpcError
from app.chain.rpc import RpcClient, parse_data

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
    """The results of ``aggregate3``; ``ValueError`` when ``data`` does not decode as such."""
    try:
        return [CallResult(bool(ok), bytes(out)) for ok, out in AGGREGATE3.decode_one(data)]
    except DecodingError as exc:  # e.g. InvalidPointer from a hostile endpoint
        raise ValueError(f"the multicall answer does not decode: {exc}") from exc


def _decode_results(count: int) -> Callable[[Any], list[CallResult]]:
    def parse(raw: Any) -> list[CallResult]:
        results = decode_aggregate3(parse_data(raw, "multicall result"))
        if len(results) != count:
            raise ValueError(f"{len(results)} multicall results for {count} calls")
        return results

    return parse


def block_param(block: int | str) -> str:
    return hex(block) if isinstance(block, int) else block


def _parse_code(raw: Any) -> bytes:
    return b"" if raw in (None, "0x0") else parse_data(raw, "contract code")


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
        code = await rpc.request("eth_getCode", [candidate, "latest"], parse=_parse_code)
        return cls(rpc, candidate if code else None)

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
            results: list[CallResult] = await self.rpc.request(
                "eth_call", [tx, block_param(block)], parse=_decode_results(len(calls))
            )
        except RpcError as exc:
            too_big = any(h in exc.rpc_message.lower() for h in _SIZE_HINTS)
            if len(calls) == 1 or not too_big:
                raise
            half = len(calls) // 2
            self.chunk_size = max(1, half)
            return await self._chunk(calls[:half], block) + await self._chunk(calls[half:], block)
        return results

    async def _single(self, call: Call, block: int | str) -> CallResult:
        tx = {"to": call.target, "data": "0x" + call.data.hex()}
        try:
            data = await self.rpc.request("eth_call", [tx, block_param(block)], parse=parse_data)
        except RpcError:
            if not call.allow_failure:
                raise
            return CallResult(False, b"")
        return CallResult(True, data)
