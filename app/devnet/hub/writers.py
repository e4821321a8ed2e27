"""Per-type writers of the local hub: each ``verify`` raises ``RejectionError`` with the sequencer's
error string, or returns the action that stores the message (run inside one transaction)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_utils.address import is_checksum_address

from app.devnet.hub.config import SpaceConfig
from app.devnet.hub.store import HubStore
from app.devnet.hub.voting_power import VotingPowerSource
from app.errors import AppError, InputError
from app.snapshot.messages import (
    MAX_APP,
    MAX_METADATA,
    MAX_REASON,
    ProposalDraft,
    check_proposal_content,
)
from app.tally import is_valid_choice

Action = Callable[[sqlite3.Connection], None]


class RejectionError(Exception):
    """The message is refused; ``reason`` is the sequencer's error_description."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WriteContext:
    store: HubStore
    space: SpaceConfig | None
    power: VotingPowerSource
    now: int
    body: dict[str, Any]
    message_id: str
    ipfs: str
    kind: str

    @property
    def message(self) -> dict[str, Any]:
        msg: dict[str, Any] = self.body["data"]["message"]
        return msg

    @property
    def the_space(self) -> SpaceConfig:
        assert self.space is not None  # noqa: S101 - the ingestor checked the space
        return self.space


def _vote_choice(ctx: WriteContext) -> Any:
    choice = ctx.message["choice"]
    if ctx.kind != "vote-string":
        return choice
    try:
        return json.loads(choice)
    except (TypeError, ValueError) as exc:
        raise RejectionError("invalid choice") from exc


def _check_vote_payload(ctx: WriteContext) -> dict[str, Any]:
    msg = ctx.message
    if len(str(msg.get("metadata", ""))) > MAX_METADATA:
        raise RejectionError("too large metadata")
    proposal = ctx.store.proposal(str(msg["proposal"]))
    if proposal is None or proposal["space"] != ctx.the_space.id:
        raise RejectionError("unknown proposal")
    if len(msg.get("reason", "")) > MAX_REASON or len(msg.get("app", "")) > MAX_APP:
        raise RejectionError("wrong vote format")
    return proposal


def _check_revote(ctx: WriteContext, voter: str, proposal_id: str) -> None:
    existing = ctx.store.vote_of(voter, ctx.the_space.id, proposal_id)
    if existing is None:
        return
    if ctx.message["timestamp"] < existing["created"]:
        raise RejectionError("already voted at later time")
    if ctx.message["timestamp"] == existing["created"] and ctx.message_id <= existing["id"]:
        raise RejectionError("already voted same time with lower index")


def verify_vote(ctx: WriteContext) -> Action:
    proposal = _check_vote_payload(ctx)
    choice = _vote_choice(ctx)
    ts = ctx.message["timestamp"]
    if not (
        proposal["start"] <= ts <= proposal["end"]
        and proposal["start"] <= ctx.now <= proposal["end"]
    ):
        raise RejectionError("not in voting window")
    if not is_valid_choice(proposal["type"], choice, len(proposal["choices"])):
        raise RejectionError("invalid choice")
    voter = ctx.message["from"]
    try:
        power = ctx.power.voting_power(voter, proposal["strategies"], proposal["snapshot"])
    except AppError as exc:
        raise RejectionError("failed to check voting power") from exc
    if power.vp <= 0:
        raise RejectionError("no voting power")
    _check_revote(ctx, voter, proposal["id"])
    row = (
        ctx.message_id,
        ctx.ipfs,
        voter,
        ts,
        ctx.the_space.id,
        proposal["id"],
        json.dumps(choice),
        ctx.message.get("reason", ""),
        ctx.message.get("app", ""),
        json.dumps(_metadata(ctx.message.get("metadata", ""))),
        power.vp,
        json.dumps(list(power.vp_by_strategy)),
        power.vp_state,
    )

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO votes (id, ipfs, voter, created, space, proposal, choice,"
            " reason, app, metadata, vp, vp_by_strategy, vp_state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )

    return action


def _metadata(text: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _draft(ctx: WriteContext) -> ProposalDraft:
    msg = ctx.message
    try:
        draft = ProposalDraft(
            space=msg["space"],
            voting_type=msg["type"],
            title=msg["title"],
            body=msg["body"],
            choices=tuple(msg["choices"]),
            start=int(msg.get("start", 0)),
            end=int(msg.get("end", 0)),
            snapshot=int(msg.get("snapshot", 0)),
            discussion=msg["discussion"],
            labels=tuple(msg.get("labels", ())),
            plugins=msg.get("plugins", "{}"),
            privacy=msg.get("privacy", ""),
            app=msg.get("app", ""),
        )
        check_proposal_content(draft)
    except (KeyError, TypeError, ValueError, InputError) as exc:
        raise RejectionError("wrong proposal format") from exc
    return draft


def _check_space_rules(ctx: WriteContext, draft: ProposalDraft) -> None:
    space = ctx.the_space
    if draft.voting_type not in space.voting_types:
        raise RejectionError(f"space does not allow {draft.voting_type} voting")
    if space.title_prefixes and not draft.title.startswith(space.title_prefixes):
        raise RejectionError("title must start with one of: " + ", ".join(space.title_prefixes))
    if not space.can_propose(ctx.body["address"]):
        raise RejectionError("only space members can propose")
    if space.voting_delay and draft.start != ctx.message["timestamp"] + space.voting_delay:
        raise RejectionError("invalid start date")
    if space.voting_period and draft.end - draft.start != space.voting_period:
        raise RejectionError("invalid end date")


def verify_proposal(ctx: WriteContext) -> Action:
    draft = _draft(ctx)
    if not 1_000_000_000 <= draft.start < draft.end <= 2_000_000_000 or draft.end <= ctx.now:
        raise RejectionError("wrong proposal format")
    _check_space_rules(ctx, draft)
    if not 0 < draft.snapshot <= ctx.power.latest_block():
        raise RejectionError("invalid snapshot block")
    space, msg = ctx.the_space, ctx.message
    row = (
        ctx.message_id,
        ctx.ipfs,
        ctx.body["address"],
        msg["timestamp"],
        space.id,
        draft.voting_type,
        draft.title,
        draft.body,
        draft.discussion,
        json.dumps(list(draft.choices)),
        json.dumps(list(draft.labels)),
        draft.start,
        draft.end,
        draft.snapshot,
        json.dumps(_metadata(draft.plugins)),
        draft.privacy,
        draft.app,
        json.dumps(space.to_graphql()["strategies"]),
        space.network,
        space.symbol,
    )

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO proposals (id, ipfs, author, created, space, type, title, body,"
            ' discussion, choices, labels, start, "end", snapshot, plugins, privacy, app,'
            " strategies, network, symbol) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )

    return action


def _own_proposal(ctx: WriteContext, *, admins_too: bool) -> dict[str, Any]:
    proposal = ctx.store.proposal(str(ctx.message["proposal"]))
    if proposal is None or proposal["space"] != ctx.the_space.id:
        raise RejectionError("unknown proposal")
    allowed = proposal["author"] == ctx.body["address"]
    if admins_too and ctx.body["address"] in ctx.the_space.admins:
        allowed = True
    if not allowed:
        raise RejectionError("not authorized")
    return proposal


def verify_update_proposal(ctx: WriteContext) -> Action:
    proposal = _own_proposal(ctx, admins_too=False)
    if proposal["start"] <= ctx.now:
        raise RejectionError("proposal already started")
    draft = _draft(ctx)
    if draft.voting_type not in ctx.the_space.voting_types:
        raise RejectionError(f"space does not allow {draft.voting_type} voting")
    values = (
        draft.voting_type,
        draft.title,
        draft.body,
        draft.discussion,
        json.dumps(list(draft.choices)),
        json.dumps(list(draft.labels)),
        json.dumps(_metadata(draft.plugins)),
        draft.privacy,
        proposal["id"],
    )

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "UPDATE proposals SET type = ?, title = ?, body = ?, discussion = ?, choices = ?,"
            " labels = ?, plugins = ?, privacy = ? WHERE id = ?",
            values,
        )

    return action


def verify_cancel_proposal(ctx: WriteContext) -> Action:
    proposal_id = _own_proposal(ctx, admins_too=True)["id"]

    def action(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE proposals SET deleted = 1 WHERE id = ?", (proposal_id,))
        conn.execute("DELETE FROM votes WHERE proposal = ?", (proposal_id,))

    return action


def verify_follow(ctx: WriteContext) -> Action:
    follower, space = ctx.message["from"], ctx.the_space.id
    found = ctx.store.one(
        "SELECT id FROM follows WHERE follower = ? AND space = ?", (follower, space)
    )
    if ctx.kind == "follow" and found is not None:
        raise RejectionError("you are already following this space")
    if ctx.kind == "unfollow" and found is None:
        raise RejectionError("you can only unfollow a space you follow")
    network = ctx.message.get("network") or "s"
    row = (ctx.message_id, ctx.ipfs, follower, space, network, ctx.message["timestamp"])

    def action(conn: sqlite3.Connection) -> None:
        if ctx.kind == "follow":
            conn.execute("INSERT INTO follows VALUES (?, ?, ?, ?, ?, ?)", row)
        else:
            conn.execute("DELETE FROM follows WHERE follower = ? AND space = ?", (follower, space))

    return action


def verify_alias(ctx: WriteContext) -> Action:
    owner, alias = ctx.message["from"], ctx.message.get("alias")
    if not isinstance(alias, str) or not is_checksum_address(alias) or alias == owner:
        raise RejectionError("wrong alias format")
    taken = ctx.store.one("SELECT address FROM aliases WHERE alias = ?", (alias,))
    if taken is not None and taken["address"] != owner:
        raise RejectionError("alias already linked to another address")

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO aliases (address, alias, created) VALUES (?, ?, ?)"
            " ON CONFLICT(address, alias) DO UPDATE SET created = excluded.created",
            (owner, alias, ctx.now),
        )

    return action


WRITERS: dict[str, Callable[[WriteContext], Action]] = {
    "vote": verify_vote,
    "vote-array": verify_vote,
    "vote-string": verify_vote,
    "proposal": verify_proposal,
    "update-proposal": verify_update_proposal,
    "delete-proposal": verify_cancel_proposal,
    "follow": verify_follow,
    "unfollow": verify_follow,
    "alias": verify_alias,
}
