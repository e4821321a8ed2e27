"""Fetch the phase artefacts of an organisation: Snapshot checks from its hub, proposals on-chain.

Each source is independent: when one is unreachable the board still shows the others, and the
problem is reported in plain words beside it. ``saved_artefacts`` reads both from the store alone
(no network, no web3 or httpx loaded): what the board shows at once, before the sources answer.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.titles import title_from_description
from app.domain.voting import SINGLE_TYPES
from app.errors import AppError
from app.governor.model import Proposal as GovernorProposal
from app.orgs import Organisation
from app.pipeline.assemble import Artefact
from app.pipeline.linking import Item, ItemKey, ItemKind, TitleTags
from app.pipeline.model import CheckKind, OffchainCheck, OnchainProposal
from app.pipeline.onchain_cache import load_onchain, save_onchain
from app.ports import Factories, HubSource
from app.snapshot.cache import HubCache
from app.snapshot.records import Proposal as SnapshotProposal

if TYPE_CHECKING:  # web3 and httpx load when a source is asked, not with the saved board
    from app.governor.client import GovernorClient
    from app.governor.reader import ChainClock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fetched:
    artefacts: list[Artefact]
    problems: list[str]


def tags_of(org: Organisation) -> TitleTags:
    return TitleTags(org.conventions.temperature_tags, org.conventions.consensus_tags)


def snapshot_kind(proposal: SnapshotProposal, tags: TitleTags) -> ItemKind:
    """By title tag; untagged yes/no votes count as temperature checks, the rest as consensus."""
    tagged = tags.kind_of(proposal.title)
    if tagged is not None:
        return tagged
    yes_no = proposal.type in SINGLE_TYPES and len(proposal.choices) <= 3
    return ItemKind.TEMPERATURE if yes_no else ItemKind.CONSENSUS


def snapshot_artefact(
    proposal: SnapshotProposal, tags: TitleTags, voted: Collection[str]
) -> Artefact:
    kind = snapshot_kind(proposal, tags)
    check = OffchainCheck(
        proposal_id=proposal.id,
        kind=CheckKind.TEMPERATURE if kind is ItemKind.TEMPERATURE else CheckKind.CONSENSUS,
        voting_type=proposal.type,
        choices=proposal.choices,
        start=proposal.start,
        end=proposal.end,
        scores=proposal.scores,
        scores_total=proposal.scores_total,
        account_voted=proposal.id in voted,
    )
    item = Item(ItemKey(kind, proposal.id), proposal.title, proposal.body)
    return Artefact(item, check=check, sort_key=proposal.start)


def governor_artefact(
    proposal: GovernorProposal,
    clock: ChainClock,
    client: GovernorClient,
    wall_now: float | None = None,
) -> Artefact:
    """The proposal as a pipeline artefact. Its times are moved from the chain's clock to the
    wall clock the board counts down with (``wall_now``; a devnet's chain may run ahead), so the
    board and the detail view agree on when it can be executed."""
    created, status = proposal.created, proposal.status
    shift = 0 if wall_now is None else int(wall_now) - clock.timestamp
    receipt = status.receipt
    support = receipt.support.name.capitalize() if receipt and receipt.support is not None else ""
    onchain = OnchainProposal(
        proposal_id=created.proposal_id,
        state=status.state,
        vote_start=clock.estimate(status.snapshot, client.info.clock_mode) + shift,
        vote_end=status.deadline_estimate + shift,
        eta=status.eta + shift if status.eta else 0,
        account_voted=bool(receipt and receipt.has_voted),
        account_power=status.power,
        account_support=support if receipt and receipt.has_voted else "",
    )
    title = title_from_description(created.description, "")
    item = Item(ItemKey(ItemKind.ONCHAIN, str(created.proposal_id)), title, created.description)
    return Artefact(item, onchain=onchain, sort_key=created.block_number)


async def fetch_snapshot(
    org: Organisation, voted: Collection[str], hubs: HubSource | None = None
) -> Fetched:
    """The organisation's Snapshot checks, read through ``hubs`` (``Services.hubs``: with the
    stored API key, and cached in the store for offline use)."""
    if not (org.snapshot_hub and org.snapshot_space):
        return Fetched([], [])
    hub = (hubs or HubSource()).client(org.snapshot_hub)
    try:
        proposals = await hub.all_proposals(org.snapshot_space)
    except AppError as exc:
        return Fetched([], [f"Snapshot: {exc.user_message}"])
    finally:
        await hub.aclose()
    problems = []
    if hub.served_from_cache:
        problems.append("Snapshot: the hub cannot be reached; showing the proposals saved earlier.")
    tags = tags_of(org)
    return Fetched([snapshot_artefact(p, tags, voted) for p in proposals], problems)


async def fetch_governor(
    org: Organisation,
    account: str | None,
    conn: sqlite3.Connection | None = None,
    factories: Factories | None = None,
    now: Callable[[], float] = time.time,
) -> Fetched:
    """The governor's proposals; with ``conn``, cached so the board stays readable offline."""
    if not (org.governor and org.network.rpc_urls):
        return Fetched([], [])
    try:
        async with (factories or Factories()).governor(org) as client:
            proposals = await client.proposals(account)
            clock = await client.clock()
    except AppError as exc:
        return _cached_governor(org, account, conn, f"Governor: {exc.user_message}")
    wall = now()
    artefacts = [governor_artefact(p, clock, client, wall) for p in proposals]
    if conn is not None:
        save_onchain(conn, org.network.chain_id, org.governor, artefacts, account)
    return Fetched(artefacts, [])


def _cached_governor(
    org: Organisation, account: str | None, conn: sqlite3.Connection | None, problem: str
) -> Fetched:
    cached = load_onchain(conn, org.network.chain_id, org.governor, account) if conn else []
    if cached:
        problem += " Showing the proposals saved earlier."
    return Fetched(cached, [problem])


def saved_artefacts(
    org: Organisation, voted: Collection[str], account: str | None, conn: sqlite3.Connection
) -> Fetched:
    """The Snapshot checks and governor proposals as the sources last answered, from the store
    alone; a damaged saved answer is left out and said."""
    artefacts: list[Artefact] = []
    problems: list[str] = []
    if org.snapshot_hub and org.snapshot_space:
        try:
            proposals = HubCache(conn, org.snapshot_hub).proposals(org.snapshot_space)
        except AppError as exc:
            problems.append(f"Snapshot (saved): {exc.user_message}")
        else:
            tags = tags_of(org)
            artefacts += [snapshot_artefact(p, tags, voted) for p in proposals]
    if org.governor and org.network.rpc_urls:
        artefacts += load_onchain(conn, org.network.chain_id, org.governor, account)
    return Fetched(artefacts, problems)
