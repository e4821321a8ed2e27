"""Who holds the votes: delegates ranked by voting power, their delegators and participation.

Read from the token's ``DelegateChanged`` and ``DelegateVotesChanged`` events (the same in
Compound's Comp, Braintrust's BTRST and OpenZeppelin's Votes) and the governor's ``VoteCast``
events, with the adaptive log scanner. ``sync`` is incremental: each call scans only the blocks
after the last one it saw (and the last few again, for reorgs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from eth_utils.address import to_checksum_address

from app.chain.abi_codec import event
from app.chain.logs import Log, LogScanner
from app.chain.rpc import RpcClient

DELEGATE_CHANGED: Final = event("DelegateChanged(address,address,address)", "111")
DELEGATE_VOTES_CHANGED: Final = event("DelegateVotesChanged(address,uint256,uint256)", "100")
PROPOSAL_CREATED: Final = event(
    "ProposalCreated(uint256,address,address[],uint256[],string[],bytes[],uint256,uint256,string)"
)
_VOTE_CASTS: Final = (
    event("VoteCast(address,uint256,uint8,uint256,string)", "10000"),  # Bravo, OpenZeppelin
    event("VoteCastWithParams(address,uint256,uint8,uint256,string,bytes)", "100000"),
    event("VoteCast(address,uint256,bool,uint256)", "0000"),  # GovernorAlpha
)
ZERO_ADDRESS: Final = "0x0000000000000000000000000000000000000000"


@dataclass(frozen=True)
class Delegate:
    """One delegate: current votes, how many accounts delegate to it, how often it voted."""

    address: str
    votes: int
    delegators: int
    voted: int  # of the last ``considered`` proposals
    considered: int

    @property
    def participation(self) -> float | None:
        """Share of the recent proposals it voted on; None when there were none yet."""
        return self.voted / self.considered if self.considered else None


@dataclass
class _State:
    votes: dict[str, int] = field(default_factory=dict)
    delegate_of: dict[str, str] = field(default_factory=dict)
    proposals: list[tuple[int, int]] = field(default_factory=list)  # (block, proposal id)
    voted: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


class DelegateBook:
    """The delegates of one token and governor, kept up to date by ``sync``."""

    def __init__(
        self, token: str, governor: str, *, from_block: int = 0, reorg_depth: int = 12
    ) -> None:
        self.token = to_checksum_address(token)
        self.governor = to_checksum_address(governor)
        self.from_block = from_block
        self.reorg_depth = reorg_depth
        self.last_block: int | None = None
        self._logs: list[Log] = []
        self._state = _State()

    async def sync(self, rpc: RpcClient, head: int | None = None) -> None:
        """Scan the blocks not seen yet (and the last ``reorg_depth`` again) through ``rpc``."""
        if head is None:
            head = int(await rpc.request("eth_blockNumber", []), 16)
        scanner = LogScanner(rpc)
        start = self.from_block
        if self.last_block is not None:
            start = max(self.from_block, min(self.last_block, head) - self.reorg_depth + 1)
        if start <= head:
            token_topics: list[bytes | Sequence[bytes] | None] = [
                [DELEGATE_CHANGED.topic0, DELEGATE_VOTES_CHANGED.topic0]
            ]
            governor_topics: list[bytes | Sequence[bytes] | None] = [
                [PROPOSAL_CREATED.topic0, *(e.topic0 for e in _VOTE_CASTS)]
            ]
            fresh = await scanner.scan(
                address=self.token, topics=token_topics, from_block=start, to_block=head
            )
            fresh += await scanner.scan(
                address=self.governor, topics=governor_topics, from_block=start, to_block=head
            )
            kept = [log for log in self._logs if log.block_number < start]
            self._logs = sorted(kept + fresh, key=lambda log: (log.block_number, log.log_index))
            self._state = _replay(self._logs, self.token)
        self.last_block = head

    def ranked(self, *, recent: int = 10, limit: int | None = None) -> list[Delegate]:
        """Delegates with votes, most votes first (ties by address), with their numbers."""
        state = self._state
        counts: dict[str, int] = defaultdict(int)
        for delegate in state.delegate_of.values():
            counts[delegate] += 1
        recent_ids = {pid for _, pid in sorted(state.proposals)[-recent:]} if recent else set()
        people = {a for a, v in state.votes.items() if v > 0} | set(counts)
        rows = [
            Delegate(
                address=a,
                votes=state.votes.get(a, 0),
                delegators=counts.get(a, 0),
                voted=len(state.voted.get(a, set()) & recent_ids),
                considered=len(recent_ids),
            )
            for a in people
        ]
        rows.sort(key=lambda d: (-d.votes, d.address.lower()))
        return rows[:limit] if limit is not None else rows

    def delegators_of(self, delegate: str) -> list[str]:
        """Who delegates to ``delegate`` now (sorted)."""
        target = to_checksum_address(delegate)
        return sorted(a for a, d in self._state.delegate_of.items() if d == target)

    def delegate_of(self, account: str) -> str | None:
        return self._state.delegate_of.get(to_checksum_address(account))


def _replay(logs: Sequence[Log], token: str) -> _State:
    state = _State()
    by_topic = {e.topic0: e for e in _VOTE_CASTS}
    for log in logs:
        topic = log.topics[0] if log.topics else b""
        if log.address.lower() == token.lower():
            _apply_token_log(state, log, topic)
        elif topic == PROPOSAL_CREATED.topic0:
            proposal_id = int(PROPOSAL_CREATED.decode(log.topics, log.data)[0])
            state.proposals.append((log.block_number, proposal_id))
        elif topic in by_topic:
            voter, proposal_id = by_topic[topic].decode(log.topics, log.data)[:2]
            state.voted[to_checksum_address(voter)].add(int(proposal_id))
    return state


def _apply_token_log(state: _State, log: Log, topic: bytes) -> None:
    if topic == DELEGATE_VOTES_CHANGED.topic0:
        delegate, _, new_votes = DELEGATE_VOTES_CHANGED.decode(log.topics, log.data)
        state.votes[to_checksum_address(delegate)] = int(new_votes)
    elif topic == DELEGATE_CHANGED.topic0:
        delegator, _, to = DELEGATE_CHANGED.decode(log.topics, log.data)
        if to_checksum_address(to) == ZERO_ADDRESS:
            state.delegate_of.pop(to_checksum_address(delegator), None)
        else:
            state.delegate_of[to_checksum_address(delegator)] = to_checksum_address(to)
