"""Ideas show their forum thread's replies and last activity once the thread has been read."""

from __future__ import annotations

from pathlib import Path

from app.orgs import Network, Organisation
from app.pipeline.model import AccountContext
from app.services import Services
from tests.app.pipeline.test_forum import forum  # noqa: F401 - the local Discourse server fixture
from ui.format import format_forum


async def test_refresh_forum_stats_reaches_the_board(forum: str, tmp_path: Path) -> None:  # noqa: F811
    org = Organisation("local", "Local", Network(31337, "x", ("http://127.0.0.1:9",)), "local.eth")
    with Services.open(
        data_dir=tmp_path / "d", config_dir=tmp_path / "c", clock=lambda: 1_795_200_000
    ) as services:
        services.orgs.save(org)
        services.drafts.create(
            "local", "Lower the fee", discussion_url=f"{forum}/t/lower-the-fee/123"
        )
        services.drafts.create("local", "No thread")
        services.drafts.create("local", "Gone thread", discussion_url=f"{forum}/t/gone/9")
        assert await services.refresh_forum_stats("local") == 1
        assert await services.refresh_forum_stats("local") == 0  # nothing changed since
        cards = {c.title: c for c in (await services.board(org, AccountContext(None))).cards}
    assert (cards["Lower the fee"].forum_replies, cards["Lower the fee"].forum_last_activity) == (
        12,
        1_795_168_800,
    )
    assert cards["No thread"].forum_replies is None
    assert cards["Gone thread"].forum_replies is None


def test_format_forum() -> None:
    assert format_forum(None, None, 0) == ""
    assert format_forum(1, None, 0) == "1 reply"
    assert format_forum(12, 1_000, 1_000 + 3 * 86_400) == "12 replies · active 3 d ago"
