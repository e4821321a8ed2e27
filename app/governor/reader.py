"""Read proposals: ProposalCreated logs (adaptive scan, incremental, reorg-safe) and each
proposal's live status, batched through Multicall3.

``GovernorReader.sync()`` scans from the last block seen, re-reading the last ``reorg_depth``
blocks so a reorganised proposal is replaced, not duplicated. ``statuses()`` reads state, votes,
snapshot, deadline, eta, quorum and (for an account) its receipt and power at the snapshot for
many proposals in a few ``eth_call`` requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from eth_utils.address import to_checksum_address

from app.chain.logs import Log, LogScanner
from app.chain.multicall import Call, Multicall
from app.chain.rpc import RpcClient, parse_quantity
from app.governor import contract_interface as abi
from app.governor.model import (
    ClockMode,
    GovernorInfo,
    ProposalCreated,
    ProposalStatus,
)
from app.governor.status_calls import StatusPlan, plan_status_calls

DEFAULT_BLOCK_SECONDS = 12.0
BLOCK_TIME_SAMPLE = 1000


@dataclass(frozen=True)
class ChainClock:
    """The head of the chain, to turn block numbers into wall-clock estimates."""

    number: int
    timestamp: int
    seconds_per_block: float

    def estimate(self, timepoint: int, mode: ClockMode) -> int:
        if mode is ClockMode.TIMESTAMP:
            return timepoint
        return int(self.timestamp + (timepoint - self.number) * self.seconds_per_block)


def parse_proposal_created(log: Log) -> ProposalCreated:
    pid, proposer, targets, values, sigs, datas, start, end, description = (
        abi.PROPOSAL_CREATED.decode(log.topics, log.data)
    )
    return ProposalCreated(
        proposal_id=int(pid),
        proposer=str(to_checksum_address(proposer)),
        targets=tuple(str(to_checksum_address(t)) for t in targets),
        values=tuple(int(v) for v in values),
        signatures=tuple(str(s) for s in sigs),
        calldatas=tuple(bytes(c) for c in datas),
        vote_start=int(start),
        vote_end=int(end),
        description=str(description),
        block_number=log.block_number,
        transaction_hash=log.transaction_hash,
    )


class GovernorReader:
    """Proposals of one governor, kept up to date incrementally."""

    def __init__(
        self,
        rpc: RpcClient,
        multicall: Multicall,
        info: GovernorInfo,
        *,
        scanner: LogScanner | None = None,
        from_block: int = 0,
        reorg_depth: int = 12,
    ) -> None:
        self.rpc = rpc
        self.multicall = multicall
        self.info = info
        self.scanner = scanner or LogScanner(rpc)
        self.from_block = from_block
        self.reorg_depth = reorg_depth
        self.last_block: int | None = None
        self._last_hash: str | None = None
        self._created: dict[int, ProposalCreated] = {}

    @property
    def created(self) -> list[ProposalCreated]:
        return sorted(self._created.values(), key=lambda p: (p.block_number, p.proposal_id))

    async def sync(self, head: int | None = None) -> list[ProposalCreated]:
        """Scan new blocks (and the last ``reorg_depth`` again); return every proposal.

        If the last block seen is gone or has another hash (a reorg deeper than
        ``reorg_depth``, or a reset devnet), everything is scanned again.
        """
        if head is None:
            head = await self.rpc.request("eth_blockNumber", [], parse=parse_quantity)
        start = self.from_block
        if self.last_block is not None and await self._last_block_unchanged():
            start = max(self.from_block, min(self.last_block, head) - self.reorg_depth + 1)
        if start <= head:
            logs = await self.scanner.scan(
                address=self.info.address,
                topics=[abi.PROPOSAL_CREATED.topic0],
                from_block=start,
                to_block=head,
            )
            self._created = {k: v for k, v in self._created.items() if v.block_number < start}
            for log in logs:
                proposal = parse_proposal_created(log)
                self._created[proposal.proposal_id] = proposal
        self.last_block = head
        self._last_hash = await self._block_hash(head) if self._created else None
        return self.created

    async def _last_block_unchanged(self) -> bool:
        if self.last_block is None or self._last_hash is None:
            return self.last_block is not None
        return await self._block_hash(self.last_block) == self._last_hash

    async def _block_hash(self, number: int) -> str | None:
        block = await self.rpc.request("eth_getBlockByNumber", [hex(number), False])
        return None if not isinstance(block, dict) else str(block.get("hash"))

    async def chain_clock(self) -> ChainClock:
        """Head block and the average block time over the last ``BLOCK_TIME_SAMPLE`` blocks."""
        number, stamp = await self.rpc.request(
            "eth_getBlockByNumber", ["latest", False], parse=_number_and_time
        )
        spb = DEFAULT_BLOCK_SECONDS
        if self.info.clock_mode is ClockMode.BLOCKNUMBER and number > 0:
            old_number = max(0, number - BLOCK_TIME_SAMPLE)
            _, old_stamp = await self.rpc.request(
                "eth_getBlockByNumber", [hex(old_number), False], parse=_number_and_time
            )
            elapsed = stamp - old_stamp
            if elapsed > 0:
                spb = elapsed / (number - old_number)
        return ChainClock(number, stamp, spb)

    async def statuses(
        self,
        proposals: Sequence[ProposalCreated],
        *,
        account: str | None = None,
        clock: ChainClock | None = None,
    ) -> dict[int, ProposalStatus]:
        """Live status of each proposal (and the account's receipt and power), batched."""
        if not proposals:
            return {}
        clock = clock or await self.chain_clock()
        plans: list[StatusPlan] = [plan_status_calls(self.info, p, account) for p in proposals]
        calls: list[Call] = [c for plan in plans for c in plan.calls]
        results = await self.multicall.run(calls)
        out: dict[int, ProposalStatus] = {}
        offset = 0
        for plan in plans:
            chunk = results[offset : offset + len(plan.calls)]
            offset += len(plan.calls)
            status = plan.parse(chunk)
            estimate = clock.estimate(status.deadline, self.info.clock_mode)
            out[status.proposal_id] = _with_estimate(status, estimate)
        return out


def _with_estimate(status: ProposalStatus, estimate: int) -> ProposalStatus:
    return replace(status, deadline_estimate=estimate)


def _number_and_time(block: Any) -> tuple[int, int]:
    """A block's number and timestamp; ``ValueError`` for a malformed block (issue #22)."""
    if not isinstance(block, dict):
        raise ValueError("the block is not an object")
    return parse_quantity(block.get("number"), "block number"), parse_quantity(
        block.get("timestamp"), "block timestamp"
    )
