"""Local drafts (the Ideate phase) and the user's manual links, kept in the store."""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from app.errors import InputError
from app.pipeline.linking import ItemKey
from app.store.database import transaction

TITLE_LIMIT = 256  # Snapshot's limit, so a draft can become a proposal unchanged
BODY_LIMIT = 40_000


@dataclass(frozen=True)
class Draft:
    initiative_id: str
    org: str
    title: str
    body: str = ""
    discussion_url: str = ""
    needs_onchain: bool = True
    forum_replies: int | None = None
    forum_last_activity: int | None = None
    created_at: int = 0
    updated_at: int = 0


def check_draft_fields(title: str, body: str, discussion_url: str) -> None:
    if not title.strip():
        raise InputError("An idea needs a title.")
    if len(title) > TITLE_LIMIT:
        raise InputError(f"The title is {len(title)} characters; the limit is {TITLE_LIMIT}.")
    if len(body) > BODY_LIMIT:
        raise InputError(f"The text is {len(body)} characters; the limit is {BODY_LIMIT}.")
    if discussion_url:
        parsed = urlparse(discussion_url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise InputError(f"The discussion link “{discussion_url}” is not an http(s) URL.")


class DraftsRepo:
    """Drafts and manual links of every organisation, in one store connection."""

    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock

    def create(
        self,
        org: str,
        title: str,
        body: str = "",
        discussion_url: str = "",
        *,
        needs_onchain: bool = True,
    ) -> Draft:
        check_draft_fields(title, body, discussion_url)
        now = int(self._clock())
        draft = Draft(secrets.token_hex(6), org, title.strip(), body, discussion_url.strip(),
                      needs_onchain, None, None, now, now)  # fmt: skip
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO initiatives (id, org, title, body, discussion_url, needs_onchain,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (draft.initiative_id, org, draft.title, body, draft.discussion_url,
                 int(needs_onchain), now, now),
            )  # fmt: skip
        return draft

    def update(self, initiative_id: str, *, title: str, body: str, discussion_url: str) -> Draft:
        check_draft_fields(title, body, discussion_url)
        with transaction(self._conn):
            changed = self._conn.execute(
                "UPDATE initiatives SET title = ?, body = ?, discussion_url = ?, updated_at = ?"
                " WHERE id = ?",
                (title.strip(), body, discussion_url.strip(), int(self._clock()), initiative_id),
            ).rowcount
        if not changed:
            raise InputError(f"There is no idea with id {initiative_id}.")
        return self.get(initiative_id)

    def set_forum_stats(self, initiative_id: str, replies: int, last_activity: int) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE initiatives SET forum_replies = ?, forum_last_activity = ? WHERE id = ?",
                (replies, last_activity, initiative_id),
            )

    def delete(self, initiative_id: str) -> None:
        with transaction(self._conn):
            self._conn.execute("DELETE FROM initiatives WHERE id = ?", (initiative_id,))

    def get(self, initiative_id: str) -> Draft:
        row = self._conn.execute(
            "SELECT * FROM initiatives WHERE id = ?", (initiative_id,)
        ).fetchone()
        if row is None:
            raise InputError(f"There is no idea with id {initiative_id}.")
        return _draft(row)

    def list(self, org: str) -> list[Draft]:
        rows = self._conn.execute(
            "SELECT * FROM initiatives WHERE org = ? ORDER BY created_at, rowid", (org,)
        )
        return [_draft(row) for row in rows]

    def set_manual_link(self, org: str, item: ItemKey, initiative_id: str | None) -> None:
        """Link ``item`` to an initiative by hand, or unlink it (None). The user's word wins."""
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO initiative_links (org, item_key, initiative_id, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (org, item_key) DO UPDATE SET"
                " initiative_id = excluded.initiative_id, created_at = excluded.created_at",
                (org, str(item), initiative_id, int(self._clock())),
            )

    def clear_manual_link(self, org: str, item: ItemKey) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "DELETE FROM initiative_links WHERE org = ? AND item_key = ?", (org, str(item))
            )

    def manual_links(self, org: str) -> dict[ItemKey, str | None]:
        rows = self._conn.execute(
            "SELECT item_key, initiative_id FROM initiative_links WHERE org = ?", (org,)
        )
        links: dict[ItemKey, str | None] = {}
        for row in rows:
            key = ItemKey.parse(row["item_key"])
            if key is not None:
                links[key] = row["initiative_id"]
        return links


def _draft(row: sqlite3.Row) -> Draft:
    return Draft(
        initiative_id=row["id"],
        org=row["org"],
        title=row["title"],
        body=row["body"],
        discussion_url=row["discussion_url"],
        needs_onchain=bool(row["needs_onchain"]),
        forum_replies=row["forum_replies"],
        forum_last_activity=row["forum_last_activity"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
