"""Advance an initiative: prefill the next phase from the previous one.

Each builder returns a draft the person reviews before anything is signed. Every draft carries the
govdesk reference footer naming the previous phase, so linking never depends on titles alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.voting import VotingType
from app.errors import InputError
from app.orgs import Conventions
from app.pipeline.linking import ItemKey, ItemKind, build_footer

SNAPSHOT_TITLE_LIMIT = 256
TEMPERATURE_CHOICES = ("Yes", "No")


@dataclass(frozen=True)
class SnapshotDraft:
    """A Snapshot proposal ready for review: what the Proposal message will carry."""

    title: str
    body: str
    discussion: str
    choices: tuple[str, ...]
    voting_type: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class OnchainDraft:
    """The description of a governor proposal (first line = title, Tally convention)."""

    description: str


def _tagged_title(tag: str, title: str) -> str:
    tagged = f"{tag} {title.strip()}"
    if len(tagged) <= SNAPSHOT_TITLE_LIMIT:
        return tagged
    return tagged[: SNAPSHOT_TITLE_LIMIT - 1].rstrip() + "…"


def _display_tag(tag: str) -> str:
    """“[temperature check]” -> “[Temperature Check]” for titles people read."""
    return tag.title() if tag.startswith("[") else tag


def temperature_check(
    *, initiative_id: str, title: str, body: str, discussion: str, conventions: Conventions
) -> SnapshotDraft:
    """Phase 2, step 1: a yes/no vote that passes on a simple majority (or the org's rule)."""
    footer = build_footer(initiative_id, ItemKey(ItemKind.IDEA, initiative_id))
    return SnapshotDraft(
        title=_tagged_title(_display_tag(conventions.temperature_tags[0]), title),
        body=f"{body.rstrip()}\n\n{footer}\n",
        discussion=discussion,
        choices=TEMPERATURE_CHOICES,
        voting_type=VotingType.SINGLE_CHOICE,
    )


def consensus_check(
    *,
    initiative_id: str,
    title: str,
    body: str,
    discussion: str,
    temperature_id: str,
    options: Sequence[str],
    voting_type: str = VotingType.RANKED_CHOICE,
    conventions: Conventions,
) -> SnapshotDraft:
    """Phase 2, step 2: the concrete resolution, with richer voting types."""
    cleaned = tuple(o.strip() for o in options)
    if len(cleaned) < 2 or any(not o for o in cleaned):
        raise InputError("A consensus check needs at least two non-empty options.")
    if len(set(cleaned)) != len(cleaned):
        raise InputError("Two options of the consensus check are the same.")
    if voting_type == VotingType.BASIC and len(cleaned) not in (2, 3):
        raise InputError("A basic vote has exactly 2 or 3 options (For, Against, Abstain).")
    footer = build_footer(initiative_id, ItemKey(ItemKind.TEMPERATURE, temperature_id))
    return SnapshotDraft(
        title=_tagged_title(_display_tag(conventions.consensus_tags[0]), title),
        body=f"{body.rstrip()}\n\n{footer}\n",
        discussion=discussion,
        choices=cleaned,
        voting_type=voting_type,
    )


def onchain_proposal(
    *, initiative_id: str, title: str, body: str, consensus_id: str, resolution: str
) -> OnchainDraft:
    """Phase 3: the governor proposal's description, naming the consensus resolution."""
    heading = title.strip().splitlines()[0] if title.strip() else ""
    if not heading:
        raise InputError("An on-chain proposal needs a title.")
    footer = build_footer(initiative_id, ItemKey(ItemKind.CONSENSUS, consensus_id))
    text = (
        f"# {heading}\n\n{body.rstrip()}\n\nResolution agreed off-chain: {resolution}\n\n{footer}"
    )
    return OnchainDraft(text)
