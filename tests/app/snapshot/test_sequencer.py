"""The sequencer client's handling of every kind of answer (transport injected: pure logic)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import replace
from email.utils import formatdate

import httpx
import pytest

from app.errors import InputError, NetworkError
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.sequencer import (
    SEQUENCER_RETRY,
    SequencerClient,
    SequencerRejectedError,
    check_clock_skew,
)

URL = "http://sequencer.test/"


def _error(status: int, description: str) -> httpx.Response:
    kind = "server_error" if status >= 500 else "client_error"
    return httpx.Response(status, json={"error": kind, "error_description": description})


def _ok(envelope: SignedEnvelope) -> httpx.Response:
    return httpx.Response(
        200,
        json={"id": envelope.id, "ipfs": "bafy", "relayer": {"address": "0xR", "receipt": "0xS"}},
    )


class Script:
    """Answers requests from a list, recording bodies."""

    def __init__(self, answers: list[Callable[[httpx.Request], httpx.Response]]) -> None:
        self.answers = answers
        self.bodies: list[dict[str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        return self.answers[min(len(self.bodies), len(self.answers)) - 1](request)


def _client(script: Script, sleeps: list[float], **policy: float) -> SequencerClient:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    return SequencerClient(
        URL,
        transport=httpx.MockTransport(script),
        sleep=sleep,
        policy=replace(SEQUENCER_RETRY, **policy),  # the sequencer's policy, changed as asked
        rng=random.Random(7),
    )


async def test_success_returns_receipt_and_posts_exact_envelope(envelope: SignedEnvelope) -> None:
    script = Script([lambda _r: _ok(envelope)])
    receipt = await _client(script, []).submit(envelope)
    assert receipt.id == envelope.id
    assert (receipt.ipfs, receipt.relayer_address, receipt.relayer_receipt) == (
        "bafy",
        "0xR",
        "0xS",
    )
    assert script.bodies == [envelope.body()]


async def test_429_and_5xx_retry_with_growing_jittered_backoff(envelope: SignedEnvelope) -> None:
    sleeps: list[float] = []
    script = Script(
        [lambda _r: _error(429, "too many requests")] * 2
        + [lambda _r: _error(503, "update in progress, try later")] * 2
        + [lambda _r: _ok(envelope)]
    )
    receipt = await _client(script, sleeps, base_delay_s=1.0, max_delay_s=100.0).submit(envelope)
    assert receipt.id == envelope.id
    assert len(script.bodies) == 5
    for attempt, slept in enumerate(sleeps):  # full jitter in [ceiling/2, ceiling]
        ceiling = 2.0**attempt
        assert ceiling / 2 <= slept <= ceiling
    assert len(set(sleeps)) == len(sleeps)


async def test_retry_after_header_is_respected(envelope: SignedEnvelope) -> None:
    sleeps: list[float] = []
    limited = httpx.Response(429, headers={"Retry-After": "30"}, json={"error": "client_error"})
    script = Script([lambda _r: limited, lambda _r: _ok(envelope)])
    await _client(script, sleeps).submit(envelope)
    assert sleeps == [30.0]


async def test_persistent_server_errors_become_network_error(envelope: SignedEnvelope) -> None:
    sleeps: list[float] = []
    script = Script([lambda _r: _error(500, "failed")])
    with pytest.raises(NetworkError) as info:
        await _client(script, sleeps, attempts=3).submit(envelope)
    assert len(script.bodies) == 3
    assert "kept" in info.value.user_message
    assert "HTTP 500" in (info.value.detail or "")


async def test_425_waits_then_duplicate_counts_as_accepted(envelope: SignedEnvelope) -> None:
    sleeps: list[float] = []
    script = Script(
        [
            lambda _r: _error(425, "request already being processed"),
            lambda _r: _error(400, "duplicate message"),
        ]
    )
    receipt = await _client(script, sleeps).submit(envelope)
    assert receipt.duplicate
    assert receipt.id == envelope.id
    assert len(sleeps) == 1


async def test_timeouts_are_retried_then_network_error(envelope: SignedEnvelope) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    script = Script([timeout])
    with pytest.raises(NetworkError) as info:
        await _client(script, [], attempts=2).submit(envelope)
    assert "timed out" in (info.value.detail or "")
    assert len(script.bodies) == 2


async def test_timeout_then_success_on_resend(envelope: SignedEnvelope) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    script = Script([timeout, lambda _r: _error(400, "duplicate message")])
    assert (await _client(script, []).submit(envelope)).duplicate


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("wrong timestamp", "clock"),
        ("no voting power", "no voting power"),
        ("invalid choice", "not valid"),
        ("not in voting window", "not open"),
        ("something new", "something new"),
    ],
)
async def test_client_errors_are_final_and_explained(
    envelope: SignedEnvelope, reason: str, words: str
) -> None:
    script = Script([lambda _r: _error(400, reason)])
    with pytest.raises(SequencerRejectedError) as info:
        await _client(script, []).submit(envelope)
    assert words in info.value.user_message
    assert info.value.reason == reason
    assert len(script.bodies) == 1


@pytest.mark.parametrize(
    ("offset", "refused"), [(0, False), (-200, False), (600, True), (-7 * 86400, True)]
)
async def test_clock_skew_from_date_header(offset: int, refused: bool) -> None:
    local_now = 1_800_000_000.0

    def answer(request: httpx.Request) -> httpx.Response:
        served = formatdate(local_now - offset, usegmt=True)  # server behind by `offset`
        return httpx.Response(200, headers={"Date": served}, json={"name": "seq"})

    client = SequencerClient(URL, transport=httpx.MockTransport(answer), clock=lambda: local_now)
    skew = await client.clock_skew()
    assert skew == -offset
    if refused:
        with pytest.raises(InputError, match="clock"):
            check_clock_skew(skew)
    else:
        check_clock_skew(skew)


async def test_clock_skew_unknown_when_server_unreachable() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    assert await SequencerClient(URL, transport=httpx.MockTransport(down)).clock_skew() is None
    check_clock_skew(None)
