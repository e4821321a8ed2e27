"""The multicall calls that make up one proposal's status, and their parsing.

Two shapes: OpenZeppelin's per-field getters, and Compound's ``proposals(id)`` tuple plus
``getReceipt``. Which one (and which tuple) a governor uses is its adapter's choice
(``app.governor.families``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.chain.abi_codec import Function
from app.chain.multicall import Call, CallResult
from app.governor import contract_interface as abi
from app.governor.model import (
    GovernorInfo,
    ProposalCreated,
    ProposalState,
    ProposalStatus,
    Support,
    Tally,
    VoteReceipt,
)


@dataclass(frozen=True)
class StatusPlan:
    calls: tuple[Call, ...]
    parse: Callable[[Sequence[CallResult]], ProposalStatus]


def _value(function: Function, result: CallResult) -> Any:
    if not result.success or not result.data:
        return None
    values = function.decode(result.data)
    return values[0] if len(values) == 1 else values


def plan_status_calls(
    info: GovernorInfo, proposal: ProposalCreated, account: str | None
) -> StatusPlan:
    return info.adapter.status_plan(info, proposal, account)


def plan_oz(info: GovernorInfo, proposal: ProposalCreated, account: str | None) -> StatusPlan:
    gov, pid, snap = info.address, proposal.proposal_id, proposal.vote_start
    calls = [
        Call(gov, abi.STATE.encode(pid)),
        Call(gov, abi.PROPOSAL_VOTES.encode(pid)),
        Call(gov, abi.PROPOSAL_SNAPSHOT.encode(pid)),
        Call(gov, abi.PROPOSAL_DEADLINE.encode(pid)),
        Call(gov, abi.PROPOSAL_ETA.encode(pid)),
        Call(gov, abi.QUORUM_AT.encode(snap)),
    ]
    if account:
        calls += [
            Call(gov, abi.HAS_VOTED.encode(pid, account)),
            Call(gov, abi.GET_VOTES_AT.encode(account, snap)),
        ]

    def parse(results: Sequence[CallResult]) -> ProposalStatus:
        state, votes, snapshot, deadline, eta, quorum = (
            _value(f, r)
            for f, r in zip(
                (
                    abi.STATE,
                    abi.PROPOSAL_VOTES,
                    abi.PROPOSAL_SNAPSHOT,
                    abi.PROPOSAL_DEADLINE,
                    abi.PROPOSAL_ETA,
                    abi.QUORUM_AT,
                ),
                results[:6],
                strict=True,
            )
        )
        against, for_, abstain = votes or (0, 0, 0)
        receipt, power = None, None
        if account:
            voted = _value(abi.HAS_VOTED, results[6])
            receipt = VoteReceipt(bool(voted), None, None)
            power = _value(abi.GET_VOTES_AT, results[7])
        return ProposalStatus(
            proposal_id=pid,
            state=ProposalState(int(state)) if state is not None else ProposalState.PENDING,
            votes=Tally(int(against), int(for_), int(abstain)),
            snapshot=int(snapshot if snapshot is not None else proposal.vote_start),
            deadline=int(deadline if deadline is not None else proposal.vote_end),
            eta=int(eta or 0),
            quorum=int(quorum if quorum is not None else info.quorum),
            deadline_estimate=0,
            receipt=receipt,
            power=None if power is None else int(power),
        )

    return StatusPlan(tuple(calls), parse)


def plan_compound(
    info: GovernorInfo,
    proposal: ProposalCreated,
    account: str | None,
    getter: Function,
    receipt_fn: Function,
    tally: Callable[[Sequence[Any]], Tally],
) -> StatusPlan:
    """``getter`` is the family's ``proposals(id)``; ``tally`` reads its vote fields."""
    gov, pid = info.address, proposal.proposal_id
    calls = [Call(gov, abi.STATE.encode(pid)), Call(gov, getter.encode(pid))]
    if account:
        calls += [
            Call(gov, receipt_fn.encode(pid, account)),
            Call(info.token.address, abi.GET_PRIOR_VOTES.encode(account, proposal.vote_start)),
        ]

    def parse(results: Sequence[CallResult]) -> ProposalStatus:
        state = _value(abi.STATE, results[0])
        fields = _value(getter, results[1])
        _, _, eta, start, end = fields[:5]
        receipt, power = None, None
        if account:
            has_voted, support, weight = _value(receipt_fn, results[2])
            receipt = VoteReceipt(
                bool(has_voted),
                Support(int(support)) if has_voted else None,
                int(weight) if has_voted else None,
            )
            prior = _value(abi.GET_PRIOR_VOTES, results[3])
            power = None if prior is None else int(prior)
        return ProposalStatus(
            proposal_id=pid,
            state=ProposalState(int(state)) if state is not None else ProposalState.PENDING,
            votes=tally(fields),
            snapshot=int(start),
            deadline=int(end),
            eta=int(eta),
            quorum=info.quorum,
            deadline_estimate=0,
            receipt=receipt,
            power=power,
        )

    return StatusPlan(tuple(calls), parse)
