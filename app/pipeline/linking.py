"""Link Snapshot and Governor proposals to initiatives.

Evidence, strongest first: a manual link or unlink by the user; the reference footer govdesk writes
when it creates the next phase; a shared discussion URL; a title that matches once the phase tags
are removed (only when exactly one initiative matches). Weaker evidence never overrides stronger.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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
    decided = _Decided(tags or TitleTags())
    for item in sorted(items, key=lambda it: _KIND_ORDER[it.key.kind]):
        decided.add(item, _decide(item, decided, manual))
    return decided.links


_KIND_ORDER = {
    ItemKind.IDEA: 0,
    ItemKind.TEMPERATURE: 1,
    ItemKind.CONSENSUS: 2,
    ItemKind.ONCHAIN: 3,
}


class _Decided:
    """The items linked so far, indexed by key, discussion URL and normalised title, so each
    new item is looked up rather than compared with every earlier one (the board of a large
    organisation is linked at every start; issue #20)."""

    def __init__(self, tags: TitleTags) -> None:
        self.tags = tags
        self.links: dict[ItemKey, Link] = {}
        self._first: dict[ItemKey, Link] = {}
        self._by_url: dict[str, set[str]] = {}
        self._by_title: dict[str, set[str]] = {}

    def add(self, item: Item, link: Link) -> None:
        self.links[item.key] = link
        self._first.setdefault(item.key, link)
        for index, value in (
            (self._by_url, _normalise_url(item.discussion_url)),
            (self._by_title, self.tags.normalise(item.title)),
        ):
            if value:
                index.setdefault(value, set()).add(link.initiative_id)

    def link_of(self, key: ItemKey) -> Link | None:
        return self._first.get(key)

    def unique(self, item: Item, reason: LinkReason) -> Link | None:
        """Link by a normalised field only when exactly one earlier initiative shares it."""
        if reason is LinkReason.DISCUSSION:
            value, index = _normalise_url(item.discussion_url), self._by_url
        else:
            value, index = self.tags.normalise(item.title), self._by_title
        matches = index.get(value, set()) if value else set()
        return Link(item.key, next(iter(matches)), reason) if len(matches) == 1 else None


def _decide(item: Item, earlier: _Decided, manual: Mapping[ItemKey, str | None]) -> Link:
    if item.key in manual:
        target = manual[item.key]
        if target is not None:
            return Link(item.key, target, LinkReason.MANUAL)
        return Link(item.key, str(item.key), LinkReason.ANCHOR)
    if item.key.kind is ItemKind.IDEA:
        return Link(item.key, item.key.item_id, LinkReason.ANCHOR)
    found = (
        _by_reference(item, earlier)
        or earlier.unique(item, LinkReason.DISCUSSION)
        or earlier.unique(item, LinkReason.TITLE)
    )
    return found or Link(item.key, str(item.key), LinkReason.ANCHOR)


def _by_reference(item: Item, earlier: _Decided) -> Link | None:
    reference = parse_footer(item.text)
    if reference is None:
        return None
    if reference.previous is not None:
        link = earlier.link_of(reference.previous)
        if link is not None:
            return Link(item.key, link.initiative_id, LinkReason.REFERENCE)
    if reference.initiative_id:
        return Link(item.key, reference.initiative_id, LinkReason.REFERENCE)
    return None


def _normalise_url(url: str) -> str:
    url = url.strip().lower().removeprefix("https://").removeprefix("http://")
    return url.removeprefix("www.").rstrip("/")
