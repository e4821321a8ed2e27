"""Link Snapshot and Governor proposals to initiatives.

Evidence, strongest first: a manual link or unlink by the user; the reference footer govdesk writes
when it creates the next phase; a shared discussion URL; a title that matches once the phase tags
are removed (only when exactly one initiative matches). Weaker evidence never overrides stronger.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

_FOOTER = re.compile(r"<!--\s*govdesk:(?P<fields>[^>]*?)\s*-->")
_FIELD = re.compile(r"(?P<key>[a-z]+)=(?P<value>[^\s]+)")
_SPACES = re.compile(r"\s+")


class ItemKind(Enum):
    IDEA = "idea"
    TEMPERATURE = "temperature"
    CONSENSUS = "consensus"
    ONCHAIN = "onchain"


@dataclass(frozen=True)
class ItemKey:
    kind: ItemKind
    item_id: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.item_id}"

    @classmethod
    def parse(cls, text: str) -> ItemKey | None:
        kind, _, item_id = text.partition(":")
        try:
            return cls(ItemKind(kind), item_id) if item_id else None
        except ValueError:
            return None


@dataclass(frozen=True)
class Item:
    """A phase artefact: a local idea, a Snapshot check, or an on-chain proposal."""

    key: ItemKey
    title: str
    text: str = ""  # body or description
    discussion_url: str = ""


@dataclass(frozen=True)
class Reference:
    initiative_id: str | None
    previous: ItemKey | None


class LinkReason(Enum):
    ANCHOR = "anchor"  # the item starts its own initiative
    MANUAL = "manual"
    REFERENCE = "reference"
    DISCUSSION = "discussion"
    TITLE = "title"


@dataclass(frozen=True)
class Link:
    item: ItemKey
    initiative_id: str
    reason: LinkReason


@dataclass(frozen=True)
class TitleTags:
    """Title conventions that mark a Snapshot proposal's phase."""

    temperature: tuple[str, ...] = ("[temperature check]", "[temp check]", "[tc]")
    consensus: tuple[str, ...] = ("[consensus check]", "[cc]")

    def kind_of(self, title: str) -> ItemKind | None:
        lowered = title.lower()
        if any(tag in lowered for tag in self.temperature):
            return ItemKind.TEMPERATURE
        if any(tag in lowered for tag in self.consensus):
            return ItemKind.CONSENSUS
        return None

    def normalise(self, title: str) -> str:
        lowered = title.lower()
        for tag in (*self.temperature, *self.consensus):
            lowered = lowered.replace(tag, " ")
        return _SPACES.sub(" ", lowered).strip(" -:")


def build_footer(initiative_id: str, previous: ItemKey | None) -> str:
    """The machine-readable line govdesk appends when it creates the next phase."""
    fields = f"initiative={initiative_id}" + (f" previous={previous}" if previous else "")
    return f"<!-- govdesk:{fields} -->"


def parse_footer(text: str) -> Reference | None:
    """The last govdesk footer in ``text``, if any."""
    matches = list(_FOOTER.finditer(text))
    if not matches:
        return None
    fields = {m["key"]: m["value"] for m in _FIELD.finditer(matches[-1]["fields"])}
    previous = ItemKey.parse(fields["previous"]) if "previous" in fields else None
    return Reference(fields.get("initiative"), previous)


def link_items(
    items: Sequence[Item],
    *,
    manual: Mapping[ItemKey, str | None] | None = None,
    tags: TitleTags | None = None,
) -> dict[ItemKey, Link]:
    """Assign every item to an initiative. Ideas anchor their own; others follow the evidence.

    Items are decided phase by phase (ideas, temperature checks, consensus checks, on-chain), so
    each can point at the ones before it. ``manual`` maps an item to an initiative id (a manual
    link) or to None (a manual unlink: the item then anchors its own initiative).
    """
    manual = manual or {}
    tags = tags or TitleTags()
    decided: list[tuple[Item, Link]] = []
    for item in sorted(items, key=lambda it: _KIND_ORDER[it.key.kind]):
        decided.append((item, _decide(item, decided, manual, tags)))
    return {item.key: link for item, link in decided}


_KIND_ORDER = {
    ItemKind.IDEA: 0,
    ItemKind.TEMPERATURE: 1,
    ItemKind.CONSENSUS: 2,
    ItemKind.ONCHAIN: 3,
}


def _decide(
    item: Item,
    earlier: Sequence[tuple[Item, Link]],
    manual: Mapping[ItemKey, str | None],
    tags: TitleTags,
) -> Link:
    if item.key in manual:
        target = manual[item.key]
        if target is not None:
            return Link(item.key, target, LinkReason.MANUAL)
        return Link(item.key, str(item.key), LinkReason.ANCHOR)
    if item.key.kind is ItemKind.IDEA:
        return Link(item.key, item.key.item_id, LinkReason.ANCHOR)
    found = (
        _by_reference(item, earlier)
        or _unique(
            item, earlier, LinkReason.DISCUSSION, _normalise_url, lambda it: it.discussion_url
        )
        or _unique(item, earlier, LinkReason.TITLE, tags.normalise, lambda it: it.title)
    )
    return found or Link(item.key, str(item.key), LinkReason.ANCHOR)


def _by_reference(item: Item, earlier: Sequence[tuple[Item, Link]]) -> Link | None:
    reference = parse_footer(item.text)
    if reference is None:
        return None
    if reference.previous is not None:
        for other, link in earlier:
            if other.key == reference.previous:
                return Link(item.key, link.initiative_id, LinkReason.REFERENCE)
    if reference.initiative_id:
        return Link(item.key, reference.initiative_id, LinkReason.REFERENCE)
    return None


def _unique(
    item: Item,
    earlier: Sequence[tuple[Item, Link]],
    reason: LinkReason,
    normalise: Callable[[str], str],
    field: Callable[[Item], str],
) -> Link | None:
    """Link by a normalised field only when exactly one earlier initiative shares it."""
    value = normalise(field(item))
    if not value:
        return None
    matches = {link.initiative_id for other, link in earlier if normalise(field(other)) == value}
    return Link(item.key, matches.pop(), reason) if len(matches) == 1 else None


def _normalise_url(url: str) -> str:
    url = url.strip().lower().removeprefix("https://").removeprefix("http://")
    return url.removeprefix("www.").rstrip("/")
