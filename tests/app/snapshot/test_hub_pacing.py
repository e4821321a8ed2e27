"""Hub request pacing: the sliding per-minute budget, Retry-After, and a 429 waited out.

The 429 test uses httpx's MockTransport: the local hub does not rate-limit, and the clock and
sleep are injected, so this is pure logic (no real minute passes)."""

from __future__ import annotations

import json

import httpx
import pytest

from app.errors import ConfigError, NetworkError
from app.snapshot.hub_client import (
    KEYLESS_PER_MINUTE,
    HubClient,
    RequestBudget,
    retry_after,
)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_the_budget_allows_a_burst_then_waits_for_the_window_to_slide() -> None:
    time = FakeTime()
    budget = RequestBudget(3, clock=time.clock, sleep=time.sleep)
    for _ in range(3):
        await budget.take()
        time.now += 1.0
    assert time.slept == []
    await budget.take()  # the 4th: 60 s after the 1st, which was 3 s ago
    assert time.slept == [pytest.approx(57.0)]
    assert budget.waited == pytest.approx(57.0)


def test_budgets_and_retry_after() -> None:
    with pytest.raises(ConfigError):
        RequestBudget(0)
    hub = "https://hub.snapshot.org"
    assert HubClient(hub).budget.per_minute == KEYLESS_PER_MINUTE
    assert HubClient(hub, api_key="k").budget.per_minute > KEYLESS_PER_MINUTE
    # One budget per hub for the whole process: the hub counts requests per IP.
    assert HubClient(hub + "/").budget is HubClient(hub).budget
    assert HubClient("http://127.0.0.1:1").budget.per_minute > 10_000  # the devnet's: no limit
    assert retry_after("30") == 30.0
    assert retry_after(None) == 60.0
    assert retry_after("soon") == 60.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: 1445412470.0) == 10.0
    assert retry_after("99999") == 3600.0


def _page(count: int) -> bytes:
    votes = [{"voter": f"0x{i}", "created": i, "choice": 1, "vp": 1.0, "vp_by_strategy": [1.0]}
             for i in range(count)]  # fmt: skip
    return json.dumps({"data": {"votes": votes}}).encode()


async def test_a_429_is_waited_out_as_the_hub_asks_and_sent_again() -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200, content=_page(2)),
    ]
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return answers.pop(0)

    time = FakeTime()
    budget = RequestBudget(100, clock=time.clock, sleep=time.sleep)
    async with HubClient(
        "http://hub", transport=httpx.MockTransport(handler), budget=budget
    ) as hub:
        body = await hub.vote_page("0xp", 0, 0, 1000)
        assert hub.requests == 2
    assert time.slept == [7.0]
    assert json.loads(body)["data"]["votes"][1]["voter"] == "0x1"
    assert seen[0] == seen[1]


async def test_the_hub_limiting_for_good_is_a_clear_error() -> None:
    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "1"})

    time = FakeTime()
    budget = RequestBudget(100, clock=time.clock, sleep=time.sleep)
    async with HubClient(
        "http://hub", transport=httpx.MockTransport(handler), budget=budget
    ) as hub:
        with pytest.raises(NetworkError, match="rate limiting"):
            await hub.vote_page("0xp", 0, 0, 1000)
    assert len(time.slept) == 5


async def test_pages_outside_the_hub_limits_are_refused_before_sending() -> None:
    async with HubClient("http://127.0.0.1:1") as hub:
        with pytest.raises(ConfigError):
            await hub.vote_page("0xp", 0, 5001, 1000)
        with pytest.raises(ConfigError):
            await hub.vote_page("0xp", 0, 0, 1001)
