"""Assemble initiatives from local drafts and the phase artefacts found on Snapshot and on-chain.

Pure: the artefacts come in already converted (see ``app.pipeline.sources``); linking decides which
initiative each belongs to, and the newest artefact of each kind represents its phase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.pipeline.drafts import Draft
from app.pipeline.linking import Item, ItemKey, ItemKind, TitleTags, link_items
from app.pipeline.model import Initiative, OffchainCheck, OnchainProposal


@dataclass(frozen=True)
class Artefact:
    """A Snapshot check or an on-chain proposal, with what linking needs to place it."""

    item: Item
    check: OffchainCheck | None = None
    onchain: OnchainProposal | None = None
    sort_key: int = 0  # newer artefacts of the same kind win (start time or block)


@dataclass
class _Group:
    title: str = ""
    body: str = ""
    discussion: str = ""
    needs_onchain: bool = True
    forum: tuple[int | None, int | None] = (None, None)
    checks: dict[ItemKind, Artefact] = field(default_factory=dict)


def strip_tags(title: str, tags: TitleTags) -> str:
    """The title without its phase tag, keeping the author's capitalisation."""
    for tag in (*tags.temperature, *tags.consensus):
        title = re.sub(re.escape(tag), " ", title, flags=re.IGNORECASE)
    return " ".join(title.split()).strip(" -:")


def assemble(
    drafts: Sequence[Draft],
    artefacts: Iterable[Artefact],
    *,
    manual: Mapping[ItemKey, str | None] | None = None,
    tags: TitleTags | None = None,
) -> list[Initiative]:
    """One initiative per idea, plus one for every artefact that links to no idea."""
    tags = tags or TitleTags()
    artefacts = list(artefacts)
    items = [
        Item(ItemKey(ItemKind.IDEA, d.initiative_id), d.title, d.body, d.discussion_url)
        for d in drafts
    ]
    links = link_items([*items, *(a.item for a in artefacts)], manual=manual, tags=tags)
    groups: dict[str, _Group] = {}
    for draft in drafts:
        group = groups.setdefault(
            links[ItemKey(ItemKind.IDEA, draft.initiative_id)].initiative_id, _Group()
        )
        group.title, group.body = draft.title, draft.body
        group.discussion, group.needs_onchain = draft.discussion_url, draft.needs_onchain
        group.forum = (draft.forum_replies, draft.forum_last_activity)
    for artefact in artefacts:
        group = groups.setdefault(links[artefact.item.key].initiative_id, _Group())
        kind = artefact.item.key.kind
        current = group.checks.get(kind)
        if current is None or artefact.sort_key > current.sort_key:
            group.checks[kind] = artefact
        if not group.title:
            group.title = strip_tags(artefact.item.title, tags)
            group.body, group.discussion = artefact.item.text, artefact.item.discussion_url
    return [_initiative(initiative_id, group) for initiative_id, group in groups.items()]


def _initiative(initiative_id: str, group: _Group) -> Initiative:
    def check(kind: ItemKind) -> OffchainCheck | None:
        artefact = group.checks.get(kind)
        return artefact.check if artefact else None

    onchain = group.checks.get(ItemKind.ONCHAIN)
    return Initiative(
        initiative_id=initiative_id,
        title=group.title or initiative_id,
        body=group.body,
        discussion_url=group.discussion,
        temperature=check(ItemKind.TEMPERATURE),
        consensus=check(ItemKind.CONSENSUS),
        onchain=onchain.onchain if onchain else None,
        needs_onchain=group.needs_onchain,
        forum_replies=group.forum[0],
        forum_last_activity=group.forum[1],
    )
