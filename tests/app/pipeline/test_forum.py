"""Discourse thread stats over real HTTP from a local server; unreachable forums give None."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from app.pipeline.forum import fetch_thread_stats, parse_topic, topic_json_url

TOPIC = {"id": 123, "posts_count": 13, "last_posted_at": "2026-11-20T10:00:00.000Z"}


class _Discourse(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/t/lower-the-fee/123.json":
            body = json.dumps(TOPIC).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        else:
            body = b'{"errors": ["not found"]}'
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def forum() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discourse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://f.org/t/slug/123", "https://f.org/t/slug/123.json"),
     ("https://f.org/t/slug/123/4", "https://f.org/t/slug/123.json"),
     ("https://f.org/forum/t/slug/123/?u=me", "https://f.org/forum/t/slug/123.json"),
     ("https://f.org/c/governance/5", None), ("not a url", None)],
)  # fmt: skip
def test_topic_json_url(url: str, expected: str | None) -> None:
    assert topic_json_url(url) == expected


async def test_stats_over_http(forum: str) -> None:
    async with httpx.AsyncClient() as client:
        stats = await fetch_thread_stats(client, f"{forum}/t/lower-the-fee/123/7")
        missing = await fetch_thread_stats(client, f"{forum}/t/gone/999")
    assert stats is not None
    assert (stats.replies, stats.last_activity) == (12, 1_795_168_800)
    assert missing is None


async def test_unreachable_forum_gives_none() -> None:
    async with httpx.AsyncClient() as client:
        # A port nothing listens on: the connection is refused at once.
        assert await fetch_thread_stats(client, "http://127.0.0.1:9/t/x/1") is None


def test_parse_topic_rejects_odd_payloads() -> None:
    assert parse_topic([]) is None
    assert parse_topic({"posts_count": "13", "last_posted_at": "x"}) is None
    assert parse_topic({"posts_count": 1, "last_posted_at": "yesterday"}) is None
