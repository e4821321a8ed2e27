"""Fetch a proposal's votes incrementally into the store, as columns ready to recount.

The first verification pages through every vote (``created_gte`` cursor, ``first`` <= 1000,
``skip`` <= 5000 within one second); each later one asks only for votes created since the newest
it holds (that second included, so nothing cast in it is missed) and merges them in, a re-vote
replacing the voter's earlier vote; only what it fetched is written to the store (a delta
after the stored votes, ``VoteColumnCache.append``). Votes fetched after the proposal closed are
final: they are never fetched again. Progress is reported after every page; cancelling the task
stops between pages and keeps nothing half-merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.errors import NetworkError
from app.snapshot.cache import VoteColumnCache
from app.snapshot.hub_client import MAX_FIRST, MAX_SKIP, HubClient
from app.snapshot.vote_columns import (
    VoteColumns,
    concat_columns,
    decode_vote_page,
    merge_votes,
    strategies_of_page,
)


@dataclass(frozen=True)
class VoteProgress:
    """How far a fetch is: votes held so far against the hub's count, and requests sent."""

    fetched: int
    expected: int
    requests: int

    @property
    def message(self) -> str:
        if self.expected > 0:
            return f"{min(self.fetched, self.expected):,} of {self.expected:,} votes"
        return f"{self.fetched:,} votes"


ProgressCallback = Callable[[VoteProgress], None]


async def sync_votes(
    hub: HubClient,
    proposal: str,
    *,
    cache: VoteColumnCache | None = None,
    expected: int = 0,
    closed: bool = False,
    progress: ProgressCallback | None = None,
    page_size: int = MAX_FIRST,
) -> VoteColumns:
    """Every current vote on ``proposal``, one per voter, oldest first."""
    stored = cache.load_parts(proposal) if cache is not None else None
    if stored is not None and stored.final:
        held = _merged(stored.parts)
        if progress is not None:
            progress(VoteProgress(held.size, expected or held.size, 0))
        return held
    parts = list(stored.parts) if stored is not None else []
    strategies = parts[0].strategies_count if parts else None
    since = next((p.last_created for p in reversed(parts) if p.size), 0)
    skip, fetched, requests = 0, sum(p.size for p in parts), 0
    pages: list[VoteColumns] = []
    while True:
        body = await hub.vote_page(proposal, since, skip, page_size)
        requests += 1
        if strategies is None:
            strategies = strategies_of_page(body)
        page = decode_vote_page(body, strategies)
        pages.append(page)
        fetched += page.size
        if progress is not None:
            progress(VoteProgress(fetched, expected, requests))
        if page.size < page_size:
            break
        since, skip = next_cursor(page.last_created, since, skip, page_size)
    merged = merge_votes([*parts, *pages], strategies)
    if cache is not None:
        new_rows = sum(p.size for p in pages)
        if cache.should_append(stored, new_rows, final=closed):
            cache.append(proposal, concat_columns(pages, strategies))
        else:  # the first sync, a closing one, or deltas grown large: one base row again
            cache.store(proposal, merged, final=closed)
    return merged


def _merged(parts: list[VoteColumns]) -> VoteColumns:
    return parts[0] if len(parts) == 1 else merge_votes(parts, parts[0].strategies_count)


def next_cursor(last: int, since: int, skip: int, size: int) -> tuple[int, int]:
    """Move the ``created_gte`` cursor to the page's last second; page within a full second."""
    if last != since:
        return last, 0
    if skip + size > MAX_SKIP:
        raise NetworkError(
            "Too many votes were cast in the same second to page through them.",
            detail=f"created={since}",
        )
    return since, skip + size
