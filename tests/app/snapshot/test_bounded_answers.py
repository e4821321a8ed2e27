"""Answers from the hub, the sequencer, a forum and the avatar lookup are read with a size limit
while they stream, and the local hub and sequencer cap what they read (issue #22).

A real HTTP server on loopback sends a 2 GiB body; the test asserts the client refused it after
reading about its limit (``sent`` counts what reached the socket, so a client that read it all
would show 2 GiB) and did so quickly.
"""

from __future__ import annotations

import socket
import time
from typing import Any

import httpx
import pytest

from app import bounded_http
from app.avatars import space_avatar_url
from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.errors import NetworkError
from app.pipeline.forum import MAX_TOPIC_BYTES, fetch_thread_stats
from app.snapshot import sequencer
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.hub_client import MAX_ANSWER_BYTES, HubClient
from app.snapshot.sequencer import RetryPolicy, SequencerClient
from tests.hostile_server import HostileServer

GIB = 1024**3
# Loopback socket buffers hold a few MiB that the server "sent" before the client hung up.
SLACK = 24 * 1024 * 1024


@pytest.mark.parametrize("declared", [False, True], ids=["streamed", "content-length"])
async def test_a_2_gib_hub_answer_is_refused_after_the_limit(declared: bool) -> None:
    with HostileServer().flood(2 * GIB, declared=declared) as hub:
        started = time.monotonic()
        async with HubClient(hub.url) as client:
            with pytest.raises(NetworkError) as info:
                await client.proposal("0x1")
        elapsed = time.monotonic() - started
    assert isinstance(info.value, bounded_http.ResponseTooLargeError)
    assert info.value.user_message == (
        "The Snapshot hub sent an answer larger than 32 MiB; it was refused unread."
    )
    limit = 0 if declared else MAX_ANSWER_BYTES  # a declared length is refused before the body
    assert hub.sent < limit + SLACK
    assert elapsed < 10


async def test_a_2_gib_sequencer_answer_keeps_the_envelope_pending(
    envelope: SignedEnvelope,
) -> None:
    with HostileServer().flood(2 * GIB) as seq:
        async with SequencerClient(seq.url + "/", policy=RetryPolicy(attempts=2)) as client:
            client._sleep = _no_sleep
            with pytest.raises(sequencer.SequencerUnavailableError) as info:
                await client.submit(envelope)
    assert "larger than 1 MiB" in str(info.value)
    assert "kept and will be sent again" in info.value.user_message
    assert len(seq.requests) == 2  # retried: sending the same envelope again is safe
    assert seq.sent < 2 * (sequencer.MAX_ANSWER_BYTES + SLACK)


async def _no_sleep(_seconds: float) -> None:
    return None


async def test_a_2_gib_forum_topic_is_ignored_after_the_limit() -> None:
    with HostileServer().flood(2 * GIB) as forum:
        async with httpx.AsyncClient() as client:
            assert await fetch_thread_stats(client, f"{forum.url}/t/a-topic/12") is None
    assert forum.sent < MAX_TOPIC_BYTES + SLACK


async def test_a_2_gib_avatar_lookup_gives_no_avatar() -> None:
    with HostileServer().flood(2 * GIB) as hub:
        async with httpx.AsyncClient() as client:
            assert await space_avatar_url(client, hub.url, "s.eth") is None
    assert hub.sent < SLACK


async def test_a_body_that_never_ends_in_time_is_given_up() -> None:
    def trickle(_m: str, _p: str, _b: bytes) -> tuple[int, dict[str, str], bytes]:
        time.sleep(3)
        return 200, {}, b"{}"

    with HostileServer(answer=trickle) as slow:
        async with httpx.AsyncClient() as client:
            with pytest.raises(NetworkError, match=r"did not finish answering within 0\.5 s"):
                await bounded_http.send(
                    client, "GET", slow.url, source="The slow server", max_bytes=10, deadline_s=0.5
                )


async def test_a_bounded_answer_reads_like_an_ordinary_response() -> None:
    def gzip_answer(_m: str, _p: str, _b: bytes) -> tuple[int, dict[str, str], bytes]:
        import gzip

        return 201, {"Content-Encoding": "gzip", "X-Kept": "yes"}, gzip.compress(b'{"ok": 1}')

    with HostileServer(answer=gzip_answer) as server:
        async with httpx.AsyncClient() as client:
            response = await bounded_http.send(
                client, "POST", server.url, source="The server", max_bytes=100, json={"a": 1}
            )
    assert (response.status_code, response.content) == (201, b'{"ok": 1}')
    assert response.headers["x-kept"] == "yes"
    assert response.json() == {"ok": 1}
    assert server.requests[0][2] == b'{"a":1}'


async def test_a_gzip_bomb_counts_at_its_decoded_size() -> None:
    import gzip

    bomb = gzip.compress(b"[" + b" " * (50 * 1024 * 1024) + b"]")  # 50 MiB in about 50 kB

    with HostileServer(answer=lambda *_: (200, {"Content-Encoding": "gzip"}, bomb)) as server:
        async with httpx.AsyncClient() as client:
            with pytest.raises(bounded_http.ResponseTooLargeError, match="larger than 1 MiB"):
                await bounded_http.send(
                    client, "GET", server.url, source="The server", max_bytes=1024 * 1024
                )


# --- the local hub and sequencer cap what they read ------------------------------------------


@pytest.fixture
def local_hub() -> Any:
    space = space_from_dict({"id": "s.eth", "strategies": [{"name": "t"}]})
    with LocalHub([space], FixedVotingPower({})) as hub:
        yield hub


def _raw_request(url: str, head: bytes, body: bytes = b"") -> bytes:
    """Send bytes as they are (httpx would fix a bad Content-Length) and read the answer."""
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head + b"\r\n\r\n" + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _post_head(length: str) -> bytes:
    return (
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + length.encode()
    )


@pytest.mark.parametrize("port", ["sequencer_url", "url"])
def test_the_local_servers_refuse_a_2_gib_request_before_reading_it(
    local_hub: LocalHub, port: str
) -> None:
    started = time.monotonic()
    answer = _raw_request(getattr(local_hub, port), _post_head(str(2 * GIB)), b"{" * 1000)
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"error_description": "too large message"' in answer
    assert b"Connection: close" in answer
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("length", "status"), [("-1", b"400"), ("12abc", b"400"), ("", b"400")])
def test_the_local_sequencer_refuses_a_bad_content_length(
    local_hub: LocalHub, length: str, status: bytes
) -> None:
    answer = _raw_request(local_hub.sequencer_url, _post_head(length), b"{}")
    assert answer.startswith(b"HTTP/1.1 " + status)
    assert b"wrong envelope format" in answer


def test_the_local_sequencer_refuses_a_chunked_body(local_hub: LocalHub) -> None:
    head = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
    answer = _raw_request(local_hub.sequencer_url, head, b"2\r\n{}\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 411")


def test_a_message_over_100000_characters_is_too_large_as_on_snapshot(
    local_hub: LocalHub,
) -> None:
    body = b'{"address": "0x0000000000000000000000000000000000000000", "x": "' + b"a" * 200_000
    answer = httpx.post(local_hub.sequencer_url, content=body + b'"}', timeout=10)
    assert answer.status_code == 400  # within the read cap, refused by the ingestor's rule
    assert answer.json()["error_description"] in ("too large message", "wrong envelope format")


@pytest.mark.parametrize("port", ["sequencer_url", "graphql_url"])
def test_deeply_nested_requests_are_refused_not_a_dropped_connection(
    local_hub: LocalHub, port: str
) -> None:
    body = b"[" * 200_000 + b"]" * 200_000  # under the read cap; json.loads would recurse
    answer = httpx.post(getattr(local_hub, port), content=body, timeout=10)
    assert answer.status_code == 400
    assert "error_description" in answer.json() or "errors" in answer.json()


def test_a_deeply_nested_choice_is_an_invalid_choice(local_hub: LocalHub) -> None:
    from app.devnet.hub.rejection import RejectionError
    from app.devnet.hub.writers import _vote_choice

    class Ctx:
        kind = "vote-string"
        message: dict[str, Any] = {"choice": "[" * 50_000 + "]" * 50_000}  # noqa: RUF012

    with pytest.raises(RejectionError, match="invalid choice"):
        _vote_choice(Ctx(), {"privacy": ""})  # type: ignore[arg-type]
