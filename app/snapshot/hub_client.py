"""Read Snapshot data from a hub's GraphQL API (``POST <hub>/graphql``) with httpx.

Every answer is also written to the local store (``HubCache``) when one is given; if the hub
cannot be reached, the cached answer is returned instead, so lists and details read offline.
Votes are paged past the hub's 6,000 offset limit (``first`` <= 1000, ``skip`` <= 5000) with a
``created_gte`` cursor and de-duplication by id, as the hub's maintainers advise.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final, TypeVar

import httpx

from app import jsonsafe
from app.errors import ConfigError, NetworkError
from app.snapshot import queries
from app.snapshot.cache import HubCache, canonical_key
from app.snapshot.records import (
    Follow,
    Proposal,
    Space,
    Vote,
    VotingPower,
    parse_follow,
    parse_list,
    parse_proposal,
    parse_space,
    parse_vote,
    parse_vp,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_HUB: Final = "https://hub.snapshot.org"
MAX_FIRST: Final = 1000
MAX_SKIP: Final = 5000


class HubClient:
    """GraphQL reads from one hub; pass ``transport`` in tests and ``cache`` for offline use."""

    def __init__(
        self,
        url: str = DEFAULT_HUB,
        *,
        api_key: str | None = None,
        cache: HubCache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
        page_size: int = MAX_FIRST,
    ) -> None:
        self.url = url.rstrip("/")
        headers = {"Accept": "application/json"}
        if api_key:
            headers["x-api-key"] = api_key
        self._client = httpx.AsyncClient(transport=transport, timeout=timeout, headers=headers)
        self._cache = cache
        self.served_from_cache = False  # set when an answer came from the cache, not the hub
        self._page = min(page_size, MAX_FIRST)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> HubClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _query(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._client.post(
                f"{self.url}/graphql", json={"query": query, "variables": variables}
            )
        except httpx.TimeoutException as exc:
            raise NetworkError("The Snapshot hub did not answer in time.") from exc
        except httpx.TransportError as exc:
            raise NetworkError("The Snapshot hub cannot be reached.", detail=str(exc)) from exc
        return _data(response)

    async def _cached(self, kind: str, key: str, fetch: Callable[[], Awaitable[Any]]) -> Any:
        try:
            payload = await fetch()
        except NetworkError:
            cached = self._cache.get(kind, key) if self._cache else None
            if cached is None:
                raise
            log.info("hub unreachable; using the cached %s %s", kind, key)
            self.served_from_cache = True
            return cached
        if self._cache is not None:
            self._cache.put(kind, key, payload)
        return payload

    async def _field(self, field: str, query: str, **variables: Any) -> Any:
        async def fetch() -> Any:
            return (await self._query(query, variables)).get(field)

        return await self._cached(field, canonical_key(**variables), fetch)

    async def space(self, space_id: str) -> Space | None:
        raw = await self._field("space", queries.SPACE, id=space_id)
        return _one(raw, parse_space)

    async def spaces(
        self, ids: list[str] | None = None, *, first: int = 20, skip: int = 0
    ) -> list[Space]:
        raw = await self._field("spaces", queries.SPACES, first=first, skip=skip, ids=ids)
        return parse_list(raw, parse_space, "spaces")

    async def proposal(self, proposal_id: str) -> Proposal | None:
        raw = await self._field("proposal", queries.PROPOSAL, id=proposal_id)
        return _one(raw, parse_proposal)

    async def proposals(
        self, space: str, *, state: str | None = None, first: int = 20, skip: int = 0
    ) -> list[Proposal]:
        """One page of a space's proposals, newest first (``state``: pending/active/closed)."""
        _check_page(first, skip)
        raw = await self._field(
            "proposals", queries.PROPOSALS, first=first, skip=skip, space=space, state=state
        )
        return parse_list(raw, parse_proposal, "proposals")

    async def all_proposals(self, space: str, *, state: str | None = None) -> list[Proposal]:
        found: list[Proposal] = []
        skip = 0
        while skip <= MAX_SKIP:
            page = await self.proposals(space, state=state, first=self._page, skip=skip)
            found.extend(page)
            if len(page) < self._page:
                break
            skip += self._page
        return found

    async def vp(self, voter: str, space: str, proposal: str | None = None) -> VotingPower:
        raw = await self._field("vp", queries.VP, voter=voter, space=space, proposal=proposal)
        return parse_vp(_one(raw, dict) or {})

    async def follows(
        self, *, follower: str | None = None, space: str | None = None, first: int = 100
    ) -> list[Follow]:
        raw = await self._field(
            "follows", queries.FOLLOWS, first=first, follower=follower, space=space
        )
        return parse_list(raw, parse_follow, "follows")

    async def votes(self, proposal: str) -> list[Vote]:
        """Every vote on ``proposal``, oldest first; from the cache if the hub is unreachable."""
        try:
            raw = await self._all_votes(proposal)
        except NetworkError:
            if self._cache is None or not (cached := self._cache.votes(proposal)):
                raise
            raw = cached
        else:
            if self._cache is not None:
                self._cache.put_votes(raw)
        return parse_list(raw, parse_vote, "votes")

    async def _all_votes(self, proposal: str) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        since, skip = 0, 0
        while True:
            variables = {"first": self._page, "skip": skip, "proposal": proposal, "since": since}
            page = _vote_page(await self._query(queries.VOTES, variables))
            for vote in page:
                seen.setdefault(vote["id"], vote)
            if len(page) < self._page:
                return list(seen.values())
            since, skip = _next_cursor(page, since, skip, self._page)


def _next_cursor(page: list[dict[str, Any]], since: int, skip: int, size: int) -> tuple[int, int]:
    """Move the ``created_gte`` cursor to the last vote's second; page within a full second."""
    last = int(page[-1]["created"])
    if last != since:
        return last, 0
    if skip + size > MAX_SKIP:
        raise NetworkError(
            "Too many votes were cast in the same second to page through them.",
            detail=f"created={since}",
        )
    return since, skip + size


def _one(raw: Any, parse: Callable[[Any], T]) -> T | None:
    """One record, or None when the hub has none; a non-object answer is malformed."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise NetworkError("The Snapshot hub sent a record in an unknown format.")
    return parse(raw)


def _vote_page(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A page of raw votes, each an object with an id and a created time (issue #22)."""
    page = data.get("votes")
    page = [] if page is None else page
    good = isinstance(page, list) and all(
        isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("created"), int)
        for v in page
    )
    if not good:
        raise NetworkError("The Snapshot hub sent votes in an unknown format.")
    return page


def _check_page(first: int, skip: int) -> None:
    if not 0 < first <= MAX_FIRST or not 0 <= skip <= MAX_SKIP:
        raise ConfigError(f"Page size must be 1-{MAX_FIRST} and offset 0-{MAX_SKIP}.")


def _data(response: httpx.Response) -> dict[str, Any]:
    if response.status_code == 401:
        raise ConfigError("The Snapshot hub refused the API key. Check or remove it.")
    if response.status_code == 429:
        raise NetworkError("The Snapshot hub is rate limiting requests; try again in a minute.")
    try:
        body = jsonsafe.loads(response.content, source=f"the Snapshot hub {response.url.host}")
    except jsonsafe.HostileDataError as exc:
        raise NetworkError(
            "The Snapshot hub answered with something unreadable.",
            detail=f"HTTP {response.status_code}: {exc.problem}",
        ) from exc
    if not isinstance(body, dict):
        raise NetworkError("The Snapshot hub answered with something unreadable.")
    if body.get("errors"):
        errors = body["errors"] if isinstance(body["errors"], list) else [body["errors"]]
        detail = "; ".join(
            str(e.get("message") if isinstance(e, dict) else e)[:200] for e in errors[:5]
        )
        raise NetworkError("The Snapshot hub refused the query.", detail=detail)
    if response.status_code != 200 or not isinstance(body.get("data"), dict):
        raise NetworkError("The Snapshot hub failed.", detail=f"HTTP {response.status_code}")
    data: dict[str, Any] = body["data"]
    return data
