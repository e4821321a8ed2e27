"""Drafts and manual links persist in the store, with clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InputError
from app.pipeline.drafts import DraftsRepo
from app.pipeline.linking import ItemKey, ItemKind
from app.store.database import connect


@pytest.fixture
def repo(tmp_path: Path) -> DraftsRepo:
    return DraftsRepo(connect(tmp_path / "store.db"), clock=lambda: 1_800_000_000)


def test_create_update_list_delete(repo: DraftsRepo) -> None:
    a = repo.create("bt", "  Lower the fee ", "Body **md**", "https://forum.x/t/1")
    b = repo.create("bt", "Add a category", needs_onchain=False)
    repo.create("other", "Elsewhere")
    assert [d.title for d in repo.list("bt")] == ["Lower the fee", "Add a category"]
    assert not repo.get(b.initiative_id).needs_onchain
    updated = repo.update(a.initiative_id, title="Lower the fee to 5%", body="x", discussion_url="")
    assert (updated.title, updated.body, updated.discussion_url) == ("Lower the fee to 5%", "x", "")
    repo.set_forum_stats(a.initiative_id, 12, 1_799_999_000)
    assert repo.get(a.initiative_id).forum_replies == 12
    repo.delete(a.initiative_id)
    assert [d.initiative_id for d in repo.list("bt")] == [b.initiative_id]


@pytest.mark.parametrize(
    ("title", "body", "url", "message"),
    [("", "", "", "needs a title"), ("x" * 257, "", "", "limit is 256"),
     ("ok", "", "javascript:alert(1)", "not an http"), ("ok", "b" * 40_001, "", "limit is 40000")],
)  # fmt: skip
def test_bad_fields_are_refused(
    repo: DraftsRepo, title: str, body: str, url: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        repo.create("bt", title, body, url)


def test_missing_draft_is_a_clear_error(repo: DraftsRepo) -> None:
    with pytest.raises(InputError, match="no idea with id nope"):
        repo.get("nope")
    with pytest.raises(InputError, match="no idea with id nope"):
        repo.update("nope", title="t", body="", discussion_url="")


def test_manual_links_are_stored_per_org_and_can_be_cleared(repo: DraftsRepo) -> None:
    tc = ItemKey(ItemKind.TEMPERATURE, "0xabc")
    oc = ItemKey(ItemKind.ONCHAIN, "7")
    repo.set_manual_link("bt", tc, "fee")
    repo.set_manual_link("bt", oc, None)
    repo.set_manual_link("bt", tc, "cat")  # relinking replaces
    assert repo.manual_links("bt") == {tc: "cat", oc: None}
    assert repo.manual_links("other") == {}
    repo.clear_manual_link("bt", tc)
    assert repo.manual_links("bt") == {oc: None}
