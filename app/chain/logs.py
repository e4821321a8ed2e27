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
from app.chain.rpc import RpcClient, parse_data, parse_quantity

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
_LOG_FIELDS = frozenset(
    {"address", "topics", "data", "blockNumber", "blockHash", "transactionHash", "logIndex"}
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


def parse_log(raw: Any) -> Log:
    """One log from ``eth_getLogs``; ``ValueError`` when a field is missing or malformed."""
    if not isinstance(raw, dict):
        raise ValueError("a log is not an object")
    missing = _LOG_FIELDS - raw.keys()
    if missing:
        raise ValueError(f"a log has no {', '.join(sorted(missing))}")
    if not isinstance(raw["topics"], list) or len(raw["topics"]) > 4:
        raise ValueError("a log's topics are not a list of at most 4")
    return Log(
        address=_text(raw["address"], 42, "address"),
        topics=tuple(parse_data(t, "topic") for t in raw["topics"]),
        data=parse_data(raw["data"], "log data"),
        block_number=parse_quantity(raw["blockNumber"], "block number"),
        block_hash=_text(raw["blockHash"], 66, "block hash"),
        transaction_hash=_text(raw["transactionHash"], 66, "transaction hash"),
        log_index=parse_quantity(raw["logIndex"], "log index"),
    )


def parse_logs(raw: Any) -> list[Log]:
    if not isinstance(raw, list):
        raise ValueError("eth_getLogs did not answer with a list")
    return [parse_log(item) for item in raw]


def _text(value: Any, length: int, what: str) -> str:
    if not isinstance(value, str) or len(value) != length or not value.startswith("0x"):
        raise ValueError(f"the {what} {str(value)[:70]!r} is not valid")
    return value


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
        logs: list[Log] = await self.rpc.request("eth_getLogs", [query], parse=parse_logs)
        return logs


def _topic(topic: bytes | Sequence[bytes] | None) -> str | list[str] | None:
    if topic is None:
        return None
    if isinstance(topic, bytes):
        return "0x" + topic.hex()
    return ["0x" + t.hex() for t in topic]
