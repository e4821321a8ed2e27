"""Proposal scores for the local hub, computed by govdesk's tally engine (``app.tally``),
in vote order (created, id); ``scores_state`` turns "final" once the proposal has ended.

On proposals whose power depends on who voted (the ``delegation`` strategy), every vote's power is
first read again with all the proposal's voters scored together, as the sequencer's
``updateProposalAndVotes`` does while votes are "pending": a delegator who voted is then no longer
counted in their delegate's power."""

from __future__ import annotations

import json
import time
from typing import Any

from app.devnet.hub.delegation import has_override
from app.devnet.hub.store import HubStore
from app.devnet.hub.voting_power import VotingPowerSource
from app.tally import TallyVote, tally


def _tally_inputs(store: HubStore, proposal: dict[str, Any]) -> list[TallyVote]:
    rows = store.query(
        "SELECT choice, vp, vp_by_strategy FROM votes WHERE proposal = ? ORDER BY created, id",
        (proposal["id"],),
    )
    return [TallyVote(r["choice"], float(r["vp"]), tuple(r["vp_by_strategy"])) for r in rows]


def update_scores(store: HubStore, proposal_id: str) -> None:
    """Recompute and store a proposal's scores, as the sequencer does after each vote."""
    proposal = store.proposal(proposal_id)
    if proposal is None:
        return
    votes = _tally_inputs(store, proposal)
    result = tally(proposal["type"], proposal["choices"], votes, len(proposal["strategies"]))
    with store.write() as conn:
        conn.execute(
            "UPDATE proposals SET scores = ?, scores_by_strategy = ?, scores_total = ?,"
            " scores_state = ?, scores_updated = ? WHERE id = ?",
            (
                json.dumps(list(result.scores)),
                json.dumps([list(row) for row in result.scores_by_strategy]),
                float(result.scores_total),
                "final" if proposal["end"] <= time.time() else "pending",
                int(time.time()),
                proposal_id,
            ),
        )


def refresh_vote_power(store: HubStore, power: VotingPowerSource, proposal_id: str) -> None:
    """Rescore every vote of a delegation proposal with all its voters together."""
    proposal = store.proposal(proposal_id)
    if proposal is None or not has_override(proposal["strategies"]):
        return
    rows = store.query(
        "SELECT voter FROM votes WHERE proposal = ? ORDER BY created, id", (proposal_id,)
    )
    voters = [r["voter"] for r in rows]
    state = "final" if proposal["end"] <= time.time() else "pending"
    updates = []
    for voter in voters:
        vp = power.voting_power(voter, proposal["strategies"], proposal["snapshot"],
                                space=proposal["space"], scored=voters)  # fmt: skip
        updates.append((vp.vp, json.dumps(list(vp.vp_by_strategy)), state, voter, proposal_id))
    with store.write() as conn:
        conn.executemany(
            "UPDATE votes SET vp = ?, vp_by_strategy = ?, vp_state = ?"
            " WHERE voter = ? AND proposal = ?",
            updates,
        )
