"""Recount a proposal's votes from its VoteCast events and compare with the contract's counts.

The recount itself is ``app.tally.governor_votes.tally_governor_votes``; this module finds
the events (adaptive log scan over the proposal's voting window) and the contract's own tally.
"""

from __future__ import annotations

from app.chain.logs import LogScanner
from app.governor.model import GovernorInfo, ProposalCreated, Tally
from app.tally.governor_votes import (
    GovernorComparison,
    GovernorVoteRecord,
    compare_governor_counts,
    tally_governor_votes,
)


async def vote_records(
    scanner: LogScanner, info: GovernorInfo, proposal: ProposalCreated, to_block: int
) -> list[GovernorVoteRecord]:
    """Every VoteCast (and VoteCastWithParams) for ``proposal``, oldest first."""
    events = info.adapter.vote_events
    logs = await scanner.scan(
        address=info.address,
        topics=[[e.topic0 for e in events]],
        from_block=proposal.block_number,
        to_block=to_block,
    )
    records = []
    for log in logs:
        event = next(e for e in events if e.topic0 == log.topics[0])
        voter, proposal_id, support, weight = event.decode(log.topics, log.data)[:4]
        if int(proposal_id) == proposal.proposal_id:
            records.append(GovernorVoteRecord(str(voter), support, int(weight)))
    return records


async def verify_votes(
    scanner: LogScanner,
    info: GovernorInfo,
    proposal: ProposalCreated,
    contract_votes: Tally,
    to_block: int,
) -> GovernorComparison:
    """Recount from events and compare with ``contract_votes`` (from ``proposalVotes``)."""
    records = await vote_records(scanner, info, proposal, to_block)
    return compare_governor_counts(
        tally_governor_votes(records),
        for_votes=contract_votes.for_,
        against_votes=contract_votes.against,
        abstain_votes=contract_votes.abstain,
    )
