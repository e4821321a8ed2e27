"""Read Snapshot data from a hub's GraphQL API (``POST <hub>/graphql``) with httpx
over ``app.stream_http``.

Every answer is also written to the local store (``HubCache``) when one is given; if the hub
cannot be reached, the cached answer is returned instead, so lists and details read offline.
Votes are paged past the hub's 6,000 offset limit (``first`` <= 1000, ``skip`` <= 5000) with a
``created_gte`` cursor and de-duplication by id, as the hub's maintainers advise.

Requests are paced to the hub's budget: at most 100 in any 60 seconds without an API key (the
hub's own limit), or the key's budget; a 429 answer is waited out (its ``Retry-After``) and the
request sent again.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final, TypeVar

import httpx

from app import bounded_http, jsonsafe
from app.errors import ConfigError, NetworkError
from app.snapshot import queries
from app.snapshot.cache import HubCache, canonical_key
from app.snapshot.records import (
    Follow,
    Proposal,
    Space,
    Statement,
    Vote,
    VotingPower,
    parse_follow,
    parse_list,
    parse_proposal,
    parse_space,
    parse_statement,
    parse_vote,
    parse_vp,
)
from app.stream_http import StreamTransport
from app.tls import shared_context

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_HUB: Final = "https://hub.snapshot.org"
MAX_FIRST: Final = queries.MAX_FIRST
MAX_SKIP: Final = queries.MAX_SKIP
MAX_IDS: Final = 100  # the hub's limit on `*_in` lists
KEYLESS_PER_MINUTE: Final = 100  # the hub's limit per IP without an API key
API_KEY_PER_MINUTE: Final = 1000  # an API key's budget is 2M a month; pace bursts all the same
LOCAL_PER_MINUTE: Final = 1_000_000  # the local hub does not limit
MAX_RATE_LIMITED: Final = 5  # 429 answers in a row before giving up
DEFAULT_RETRY_AFTER: Final = 60.0
# A page of 1,000 votes, each with a 5,000-character reason, is about 6 MB; jsonsafe's own cap.
MAX_ANSWER_BYTES: Final = jsonsafe.MAX_BYTES
ANSWER_DEADLINE_S: Final = 120.0  # a body that trickles in for longer is given up


class RequestBudget:
    """At most ``per_minute`` requests in any 60-second window (a sliding window)."""

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_minute < 1:
            raise ConfigError("The hub's request budget must be at least 1 a minute.")
        self.per_minute = per_minute
        self._clock, self._sleep = clock, sleep
        self._sent: deque[float] = deque()
        self.waited = 0.0  # seconds spent waiting for the budget, for reports

    def delay(self) -> float:
        """Seconds to wait before the next request fits the budget (0 when it fits now)."""
        now = self._clock()
        while self._sent and now - self._sent[0] >= 60.0:
            self._sent.popleft()
        if len(self._sent) < self.per_minute:
            return 0.0
        return 60.0 - (now - self._sent[0])

    async def take(self) -> None:
        """Wait until a request fits, and count it."""
        while (wait := self.delay()) > 0:
            self.waited += wait
            await self._sleep(wait)
        self._sent.append(self._clock())

    async def pause(self, seconds: float) -> None:
        """Wait as the hub asked (a 429 answer)."""
        self.waited += seconds
        await self._sleep(seconds)


_BUDGETS: dict[tuple[str, bool], RequestBudget] = {}


def shared_budget(url: str, *, keyed: bool) -> RequestBudget:
    """The process's one budget for a hub (the limit is per IP, not per client object).

    A hub on this machine (the devnet's) has no limit to keep to.
    """
    key = (url.rstrip("/"), keyed)
    if key not in _BUDGETS:
        host = httpx.URL(url).host
        per_minute = API_KEY_PER_MINUTE if keyed else KEYLESS_PER_MINUTE
        if host in ("127.0.0.1", "localhost", "::1"):
            per_minute = LOCAL_PER_MINUTE
        _BUDGETS[key] = RequestBudget(per_minute)
    return _BUDGETS[key]


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
        budget: RequestBudget | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        headers = {"Accept": "application/json"}
        if api_key:
            headers["x-api-key"] = api_key
        self._client = httpx.AsyncClient(
            transport=transport or StreamTransport(verify=shared_context()),
            timeout=timeout,
            headers=headers,
        )
        self._cache = cache
        self.served_from_cache = False  # set when an answer came from the cache, not the hub
        self._page = min(page_size, MAX_FIRST)
        self.budget = budget or shared_budget(self.url, keyed=bool(api_key))
        self.requests = 0  # requests sent, for progress and benchmarks

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> HubClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _post(self, query: str, variables: dict[str, Any]) -> httpx.Response:
        """One GraphQL request within the budget; a 429 answer is waited out and sent again."""
        for _ in range(MAX_RATE_LIMITED):
            await self.budget.take()
            self.requests += 1
            try:
                response = await bounded_http.send(
                    self._client,
                    "POST",
                    f"{self.url}/graphql",
                    source="The Snapshot hub",
                    max_bytes=MAX_ANSWER_BYTES,
                    deadline_s=ANSWER_DEADLINE_S,
                    json={"query": query, "variables": variables},
                )
            except httpx.TimeoutException as exc:
                raise NetworkError("The Snapshot hub did not answer in time.") from exc
            except httpx.TransportError as exc:
                raise NetworkError("The Snapshot hub cannot be reached.", detail=str(exc)) from exc
            if response.status_code != 429:
                return response
            wait = retry_after(response.headers.get("retry-after"))
            log.info("the hub is rate limiting; waiting %.0f s as it asks", wait)
            await self.budget.pause(wait)
        raise NetworkError("The Snapshot hub is rate limiting requests; try again in a minute.")

    async def _query(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return _data(await self._post(query, variables))

    async def vote_page(self, proposal: str, since: int, skip: int, first: int) -> bytes:
        """The raw body of one page of ``proposal``'s votes created at ``since`` or later."""
        _check_page(first, skip)
        variables = {"first": first, "skip": skip, "proposal": proposal, "since": since}
        response = await self._post(queries.VERIFY_VOTES, variables)
        if response.status_code != 200:
            _data(response)  # raises the matching error
            raise NetworkError("The Snapshot hub failed.", detail=f"HTTP {response.status_code}")
        return response.content

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
            data = await self._query(query, variables)
            if field not in data:  # GraphQL answers null for "none"; a missing field is broken
                raise NetworkError(
                    "The Snapshot hub answered with something unreadable.",
                    detail=f"the answer has no {field!r}",
                )
            return data[field]

        return await self._cached(field, canonical_key(**variables), fetch)

    async def space(self, space_id: str) -> Space | None:
        raw = await self._field("space", queries.SPACE, id=space_id)
        return _one(raw, parse_space)

    async def spaces(
        self, ids: list[str] | None = None, *, first: int = 20, skip: int = 0
    ) -> list[Space]:
        query = queries.spaces_query(ids=ids is not None)
        extra = {"ids": ids} if ids is not None else {}
        raw = await self._field("spaces", query, first=first, skip=skip, **extra)
        return parse_list(raw, parse_space, "spaces")

    async def proposal(self, proposal_id: str) -> Proposal | None:
        raw = await self._field("proposal", queries.PROPOSAL, id=proposal_id)
        return _one(raw, parse_proposal)

    async def proposals(
        self, space: str, *, state: str | None = None, first: int = 20, skip: int = 0
    ) -> list[Proposal]:
        """One page of a space's proposals, newest first (``state``: pending/active/closed)."""
        _check_page(first, skip)
        query = queries.proposals_query(state=state is not None)
        extra = {"state": state} if state is not None else {}
        raw = await self._field("proposals", query, first=first, skip=skip, space=space, **extra)
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
        extra = {"proposal": proposal} if proposal else {}  # never an explicit null
        raw = await self._field("vp", queries.VP, voter=voter, space=space, **extra)
        return parse_vp(_one(raw, dict) or {})

    async def follows(
        self, *, follower: str | None = None, space: str | None = None, first: int = 100
    ) -> list[Follow]:
        filters = {k: v for k, v in (("follower", follower), ("space", space)) if v}
        query = queries.follows_query(follower=bool(follower), space=bool(space))
        raw = await self._field("follows", query, first=first, **filters)
        return parse_list(raw, parse_follow, "follows")

    async def statements(self, space: str, delegates: Sequence[str]) -> list[Statement]:
        """The delegate statements of ``delegates`` on ``space`` (100 addresses per request)."""
        found: list[Statement] = []
        wanted = list(dict.fromkeys(delegates))
        for start in range(0, len(wanted), MAX_IDS):
            chunk = wanted[start : start + MAX_IDS]
            raw = await self._field("statements", queries.STATEMENTS, first=len(chunk),
                                    space=space, delegates=chunk)  # fmt: skip
            found.extend(parse_list(raw, parse_statement, "statements"))
        return found

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


def retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); 60 if absent."""
    if not value:
        return DEFAULT_RETRY_AFTER
    text = value.strip()
    if text.isdigit():
        return min(float(text), 3600.0)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
    return min(max(when.timestamp() - now(), 0.0), 3600.0)


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
