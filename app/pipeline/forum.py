"""Discourse thread statistics for an idea's discussion link: replies and last activity.

Optional information: when the forum is unreachable or the link is not a Discourse topic, the
answer is ``None`` and the idea simply shows no statistics.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

import httpx

from app import bounded_http, jsonsafe
from app.errors import AppError

log = logging.getLogger(__name__)
_TOPIC = re.compile(r"^(?P<base>https?://[^/]+(?:/[^/]+)*?/t/[^/]+/\d+)(?:/\d+)?/?(?:\?.*)?$")
TIMEOUT_S = 10.0
MAX_TOPIC_BYTES = 4 * 1024 * 1024  # a topic page with its first 20 posts is well under 1 MB


@dataclass(frozen=True)
class ThreadStats:
    replies: int
    last_activity: int  # unix seconds


def topic_json_url(discussion_url: str) -> str | None:
    """``https://forum/t/slug/123/4`` -> ``https://forum/t/slug/123.json``; None if not a topic."""
    match = _TOPIC.match(discussion_url.strip())
    return f"{match['base']}.json" if match else None


def parse_topic(payload: object) -> ThreadStats | None:
    if not isinstance(payload, dict):
        return None
    posts = payload.get("posts_count")
    last = payload.get("last_posted_at") or payload.get("bumped_at")
    if not isinstance(posts, int) or not isinstance(last, str):
        return None
    try:
        when = datetime.fromisoformat(last.replace("Z", "+00:00"))
    except ValueError:
        return None
    return ThreadStats(replies=max(posts - 1, 0), last_activity=int(when.timestamp()))


async def fetch_thread_stats(client: httpx.AsyncClient, discussion_url: str) -> ThreadStats | None:
    """The thread's statistics, or None when the link is not Discourse or cannot be read."""
    url = topic_json_url(discussion_url)
    if url is None:
        return None
    try:
        response = await bounded_http.send(
            client,
            "GET",
            url,
            source=f"The forum at {url}",
            max_bytes=MAX_TOPIC_BYTES,
            deadline_s=4 * TIMEOUT_S,
            timeout=TIMEOUT_S,
            follow_redirects=True,
        )
        response.raise_for_status()
        return parse_topic(jsonsafe.loads(response.content, source=f"the forum at {url}"))
    except (httpx.HTTPError, ValueError, AppError) as exc:  # AppError: too large or not JSON
        log.info("forum thread %s not readable: %s", url, exc)
        return None
