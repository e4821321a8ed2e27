"""Load what the proposal detail view shows, as frozen records (no Qt).

``load_detail`` reads an initiative's Snapshot checks (proposal, votes, the account's power) and
its Governor proposal (status, tallies, decoded actions); a source that cannot be read becomes a
plain-words entry in ``problems``. ``verify_results`` fetches the votes afresh and recounts them.
The pure rules (bars, quorum, timeline, power, risks) are in ``app.pipeline.detail_checks`` and
re-exported here; casting votes is ``app.pipeline.voting``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from app.chain.abi_codec import fn
from app.chain.multicall import Call
from app.errors import AppError, InputError, NetworkError
from app.governor.client import GovernorClient
from app.governor.families import GovernorAdapter
from app.governor.model import GovernorFamily, Support
from app.governor.model import Proposal as GovernorProposal
from app.governor.recount import vote_records
from app.orgs import Organisation
from app.pipeline.detail_checks import (
    ActionWarning,
    PowerFacts,
    QuorumProgress,
    ResultBar,
    Risk,
    StepState,
    TimelineStep,
    Verification,
    action_warnings,
    check_title,
    governor_verification,
    onchain_quorum_votes,
    power_explanation,
    quorum_progress,
    result_bars,
    space_power_kind,
    timeline,
    verify_snapshot_columns,
)
from app.pipeline.model import CheckKind, Initiative, OffchainCheck
from app.ports import Factories, HubSource
from app.snapshot.cache import VoteColumnCache
from app.snapshot.records import Proposal as SnapshotProposal
from app.snapshot.records import Vote
from app.snapshot.vote_sync import ProgressCallback, sync_votes
from app.tally.governor_votes import GovernorVoteRecord

__all__ = [
    "ActionWarning",
    "OffchainDetail",
    "OnchainDetail",
    "PowerFacts",
    "ProposalDetail",
    "QuorumProgress",
    "ResultBar",
    "Risk",
    "StepState",
    "TimelineStep",
    "Verification",
    "action_warnings",
    "detail_body",
    "find_initiative",
    "load_detail",
    "onchain_bars",
    "onchain_quorum",
    "power_explanation",
    "quorum_progress",
    "result_bars",
    "timeline",
    "verify_results",
]

_BALANCE_OF = fn("balanceOf(address)", "uint256")


@dataclass(frozen=True)
class OffchainDetail:
    kind: CheckKind
    proposal: SnapshotProposal
    votes: tuple[Vote, ...]
    quorum: float
    power: PowerFacts


@dataclass(frozen=True)
class OnchainDetail:
    proposal: GovernorProposal
    family: GovernorFamily
    counting_mode: str
    support_options: tuple[Support, ...]
    vote_start: int  # unix seconds (estimated under a block-number clock)
    vote_end: int
    decimals: int
    symbol: str
    power: PowerFacts
    votes: tuple[Vote, ...] = ()  # from VoteCast events; choice 1-based in ONCHAIN_CHOICES

    @property
    def rules(self) -> GovernorAdapter:
        """What this governor's ballots allow (support values, reason): ask, don't branch."""
        return self.family.adapter


@dataclass(frozen=True)
class ProposalDetail:
    initiative: Initiative
    offchain: tuple[OffchainDetail, ...] = ()
    onchain: OnchainDetail | None = None
    problems: tuple[str, ...] = ()


# --- loading ---


async def load_detail(
    org: Organisation,
    initiative: Initiative,
    account: str | None,
    factories: Factories | None = None,
    hubs: HubSource | None = None,
) -> ProposalDetail:
    """Everything the detail view shows for ``initiative``, as seen by ``account``; the hub is
    read through ``hubs`` (``Services.hubs``: the stored API key and the store's cache)."""
    problems: list[str] = []
    factories = factories or Factories()
    onchain, token = None, PowerFacts(account, 0.0)
    if org.governor and org.network.rpc_urls:
        try:
            onchain, token = await _load_onchain(factories, org, initiative, account)
        except AppError as exc:
            problems.append(f"Governor: {exc.user_message}")
    offchain: tuple[OffchainDetail, ...] = ()
    checks = [c for c in (initiative.temperature, initiative.consensus) if c is not None]
    if checks and org.snapshot_hub:
        try:
            offchain = await _load_offchain(
                hubs or factories.hubs(None), org, checks, account, token
            )
        except AppError as exc:
            problems.append(f"Snapshot: {exc.user_message}")
    return ProposalDetail(initiative, offchain, onchain, tuple(problems))


async def _load_offchain(
    hubs: HubSource, org: Organisation, checks: Sequence[OffchainCheck], account: str | None,
    token: PowerFacts,
) -> tuple[OffchainDetail, ...]:  # fmt: skip
    found = []
    # Keyed but not cached: writing every vote to the store (about 5 s per 100,000 votes) would
    # block the event loop; votes are kept as columns by ``verify_results`` instead.
    async with hubs.client(org.snapshot_hub, cached=False) as hub:
        for check in checks:
            proposal = await hub.proposal(check.proposal_id)
            if proposal is None:
                raise NetworkError(f"The hub no longer has proposal {check.proposal_id}.")
            votes = tuple(await hub.votes(proposal.id))
            power = 0.0
            if account:
                power = (
                    await hub.vp(account, proposal.space or org.snapshot_space, proposal.id)
                ).vp
            delegation, token_votes = space_power_kind(proposal.strategies)
            facts = PowerFacts(account, power, token.delegate, token.balance,
                               snapshot_delegation=delegation, token_votes=token_votes)  # fmt: skip
            quorum = check.quorum or (
                org.conventions.temperature_quorum if check.kind is CheckKind.TEMPERATURE else 0.0
            )
            found.append(OffchainDetail(check.kind, proposal, votes, quorum, facts))
    return tuple(found)


async def _load_onchain(
    factories: Factories, org: Organisation, initiative: Initiative, account: str | None
) -> tuple[OnchainDetail | None, PowerFacts]:
    async with factories.governor(org) as client:
        token = await _token_facts(client, account)
        if initiative.onchain is None:
            return None, token
        proposal = await client.proposal(initiative.onchain.proposal_id, account)
        clock = await client.clock()
        records = await vote_records(client.reader.scanner, client.info, proposal.created,
                                     clock.number)  # fmt: skip
    info, status = client.info, proposal.status
    power = PowerFacts(account, float(status.power or 0), token.delegate, token.balance)
    detail = OnchainDetail(
        proposal,
        info.family,
        info.counting_mode,
        info.support_options,
        clock.estimate(status.snapshot, info.clock_mode),
        status.deadline_estimate,
        info.token.decimals,
        info.token.symbol,
        power,
        onchain_votes(records, proposal.created.proposal_id, info.token.decimals),
    )
    return detail, token


ONCHAIN_CHOICES = ("Against", "For", "Abstain")  # support 0, 1, 2 (Alpha: false, true)


def onchain_votes(
    records: Sequence[GovernorVoteRecord], proposal_id: int, decimals: int
) -> tuple[Vote, ...]:
    """VoteCast records as voter rows (power in whole tokens), for the voters table."""
    return tuple(
        Vote(
            f"{proposal_id}:{n}",
            r.voter,
            0,
            str(proposal_id),
            int(r.support) + 1,
            "",
            "",
            r.weight / 10**decimals,
            (),
            "final",
        )
        for n, r in enumerate(records)
    )


async def _token_facts(client: GovernorClient, account: str | None) -> PowerFacts:
    if not account:
        return PowerFacts(None, 0.0)
    delegate = await client.current_delegate(account)
    call = Call(client.info.token.address, _BALANCE_OF.encode(account))
    (result,) = await client.multicall.run([call])
    balance = int(_BALANCE_OF.decode_one(result.data)) if result.success else None
    return PowerFacts(account, 0.0, delegate, balance)


def onchain_bars(detail: OnchainDetail) -> tuple[ResultBar, ...]:
    """For / Against / (Abstain when the governor counts it), in whole tokens."""
    votes, unit = detail.proposal.status.votes, 10**detail.decimals
    by_support = {Support.FOR: votes.for_, Support.AGAINST: votes.against}
    by_support[Support.ABSTAIN] = votes.abstain
    shown = [
        s for s in (Support.FOR, Support.AGAINST, Support.ABSTAIN) if s in detail.support_options
    ]
    return result_bars([s.name.capitalize() for s in shown], [by_support[s] / unit for s in shown])


def onchain_quorum(detail: OnchainDetail) -> QuorumProgress | None:
    status, unit = detail.proposal.status, 10**detail.decimals
    current = onchain_quorum_votes(detail.counting_mode, status.votes)
    return quorum_progress(current / unit, status.quorum / unit)


async def verify_results(
    org: Organisation,
    detail: ProposalDetail,
    factories: Factories | None = None,
    *,
    conn: sqlite3.Connection | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Verification, ...]:
    """Fetch the votes and recount every part of ``detail``.

    With ``conn``, Snapshot votes are kept in the store and only the newer ones are fetched next
    time, and the hub is asked with the stored API key (``factories.hub``); ``progress`` hears
    after every page of votes.
    """
    found: list[Verification] = []
    factories = factories or Factories()
    if detail.offchain:
        cache = VoteColumnCache(conn, org.snapshot_hub) if conn is not None else None
        async with factories.hubs(conn).client(org.snapshot_hub) as hub:
            for part in detail.offchain:
                proposal = await hub.proposal(part.proposal.id) or part.proposal
                votes = await sync_votes(
                    hub,
                    proposal.id,
                    cache=cache,
                    expected=proposal.votes,
                    closed=proposal.state == "closed",
                    progress=progress,
                )
                found.append(verify_snapshot_columns(check_title(part.kind), proposal, votes))
    if detail.onchain is not None:
        pid = detail.onchain.proposal.created.proposal_id
        async with factories.governor(org) as client:
            found.append(governor_verification("On-chain vote", await client.verify_votes(pid)))
    return tuple(found)


def find_initiative(initiatives: Sequence[Initiative], initiative_id: str) -> Initiative:
    """The initiative with ``initiative_id``; AppError when it is gone (e.g. deleted elsewhere)."""
    for initiative in initiatives:
        if initiative.initiative_id == initiative_id:
            return initiative
    raise InputError("This initiative is no longer in the organisation's list; refresh the board.")


def detail_body(detail: ProposalDetail) -> str:
    """The text to show: the initiative's own, else its latest Snapshot or on-chain description."""
    if detail.initiative.body.strip():
        return detail.initiative.body
    for part in reversed(detail.offchain):
        if part.proposal.body.strip():
            return part.proposal.body
    return detail.onchain.proposal.created.description if detail.onchain else ""
