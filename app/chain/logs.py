"""Scan logs with block ranges that adapt to what the node accepts.

Nodes limit ``eth_getLogs`` by block span or result count, each with its own message. On such an
error the span shrinks (to the range the node suggests when it names one, else by half); after a
sparse window it grows. Results come back in chain order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.chain.errors import RpcError
from app.chain.rpc import RpcClient

_LIMIT_HINTS = (
    "range",
    "too many",
    "too large",
    "limit",
    "exceed",
    "more than",
    "response size",
    "timeout",
    "timed out",
)
_SUGGESTED = re.compile(r"\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]")


@dataclass(frozen=True)
class Log:
    address: str
    topics: tuple[bytes, ...]
    data: bytes
    block_number: int
    block_hash: str
    transaction_hash: str
    log_index: int


@dataclass(frozen=True)
class RangePolicy:
    initial_span: int = 10_000
    min_span: int = 1
    max_span: int = 500_000
    sparse_results: int = 200  # grow the span after a window with fewer logs than this


def parse_log(raw: dict[str, Any]) -> Log:
    return Log(
        address=str(raw["address"]),
        topics=tuple(bytes.fromhex(str(t)[2:]) for t in raw["topics"]),
        data=bytes.fromhex(str(raw["data"])[2:]),
        block_number=int(str(raw["blockNumber"]), 16),
        block_hash=str(raw["blockHash"]),
        transaction_hash=str(raw["transactionHash"]),
        log_index=int(str(raw["logIndex"]), 16),
    )


def is_range_error(exc: RpcError) -> bool:
    return any(hint in exc.rpc_message.lower() for hint in _LIMIT_HINTS)


class LogScanner:
    """Adaptive ``eth_getLogs`` over a block interval."""

    def __init__(self, rpc: RpcClient, policy: RangePolicy | None = None) -> None:
        self.rpc = rpc
        self.policy = policy or RangePolicy()
        self.span = self.policy.initial_span
        self.ceiling = self.policy.max_span  # lowered below any span the node refused
        self.requests = 0

    async def scan(
        self,
        *,
        address: str | Sequence[str],
        topics: Sequence[bytes | Sequence[bytes] | None],
        from_block: int,
        to_block: int,
    ) -> list[Log]:
        logs: list[Log] = []
        start = from_block
        while start <= to_block:
            end = min(to_block, start + self.span - 1)
            try:
                window = await self._get_logs(address, topics, start, end)
            except RpcError as exc:
                if not is_range_error(exc) or end == start:
                    raise
                self._shrink(exc, start, end)
                continue
            logs += window
            if len(window) < self.policy.sparse_results:
                self.span = min(self.ceiling, self.span * 2)
            start = end + 1
        return logs

    def _shrink(self, exc: RpcError, start: int, end: int) -> None:
        """Halve the span, or take the node's suggested range; never grow past it again."""
        self.span = max(self.policy.min_span, (end - start + 1) // 2)
        suggested = _SUGGESTED.search(exc.rpc_message)
        if suggested:
            low, high = (int(g, 16) for g in suggested.groups())
            if low == start and start <= high < end:
                self.span = max(self.policy.min_span, high - low + 1)
        self.ceiling = self.span

    async def _get_logs(
        self,
        address: str | Sequence[str],
        topics: Sequence[bytes | Sequence[bytes] | None],
        start: int,
        end: int,
    ) -> list[Log]:
        self.requests += 1
        query = {
            "address": address if isinstance(address, str) else list(address),
            "topics": [_topic(t) for t in topics],
            "fromBlock": hex(start),
            "toBlock": hex(end),
        }
        raw = await self.rpc.request("eth_getLogs", [query])
        return [parse_log(item) for item in raw]


def _topic(topic: bytes | Sequence[bytes] | None) -> str | list[str] | None:
    if topic is None:
        return None
    if isinstance(topic, bytes):
        return "0x" + topic.hex()
    return ["0x" + t.hex() for t in topic]
