"""Per-type writers of the local hub: each ``verify`` raises ``RejectionError`` with the sequencer's
error string, or returns the action that stores the message (run inside one transaction)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_utils.address import is_checksum_address

from app import jsonsafe
from app.devnet.hub.config import SpaceConfig
from app.devnet.hub.delegation import has_override
from app.devnet.hub.proposal_rules import check_proposal_rules, parse_proposal_payload
from app.devnet.hub.rejection import RejectionError
from app.devnet.hub.store import HubStore
from app.devnet.hub.validation import ValidationUnavailableError, validate
from app.devnet.hub.voting_power import VotingPowerSource
from app.domain.voting import VotingType
from app.errors import AppError
from app.snapshot.messages import FOLLOW_NETWORKS, MAX_APP, MAX_METADATA, MAX_REASON
from app.tally import is_valid_choice

FOLLOW_LIMIT = 25

Action = Callable[[sqlite3.Connection], None]
__all__ = ["WRITERS", "Action", "RejectionError", "WriteContext"]


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


def _vote_choice(ctx: WriteContext, proposal: dict[str, Any]) -> Any:
    choice = ctx.message["choice"]
    if ctx.kind != "vote-string" or proposal["privacy"] == "shutter":
        return choice  # a shutter choice is ciphertext, not JSON
    if not isinstance(choice, str):
        raise RejectionError("invalid choice")
    try:
        return jsonsafe.loads(choice, source="the choice")
    except jsonsafe.HostileDataError as exc:
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
    choice = _vote_choice(ctx, proposal)
    ts = ctx.message["timestamp"]
    if not (
        proposal["start"] <= ts <= proposal["end"]
        and proposal["start"] <= ctx.now <= proposal["end"]
    ):
        raise RejectionError("not in voting window")
    if proposal["privacy"] == "shutter":
        if ctx.message.get("reason"):
            raise RejectionError("reason not allowed with shutter")
        if not (isinstance(choice, str) and choice.startswith("0x")):
            raise RejectionError("invalid choice")
    elif not is_valid_choice(proposal["type"], choice, len(proposal["choices"])):
        raise RejectionError("invalid choice")
    voter = ctx.message["from"]
    _check_vote_validation(ctx, proposal)
    try:
        power = ctx.power.voting_power(
            voter, proposal["strategies"], proposal["snapshot"], space=ctx.the_space.id
        )
    except AppError as exc:
        raise RejectionError("failed to check voting power") from exc
    if power.vp <= 0:
        raise RejectionError("no voting power")
    # The sequencer keeps delegation-dependent power "pending" while the proposal is open.
    vp_state = "pending" if has_override(proposal["strategies"]) else power.vp_state
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
        vp_state,
    )

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO votes (id, ipfs, voter, created, space, proposal, choice,"
            " reason, app, metadata, vp, vp_by_strategy, vp_state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )

    return action


def _check_vote_validation(ctx: WriteContext, proposal: dict[str, Any]) -> None:
    """The proposal's validation (copied from the space's voteValidation when it was created)."""
    validation = proposal.get("validation") or {}
    if not validation.get("name") or validation.get("name") == "any":
        return
    try:
        passed = validate(
            ctx.power, validation, ctx.body["address"], proposal["strategies"],
            proposal["snapshot"], space=ctx.the_space.id,
        )  # fmt: skip
    except ValidationUnavailableError as exc:
        raise RejectionError("failed to check vote validation") from exc
    if not passed:
        raise RejectionError("failed vote validation")


def _metadata(text: object) -> dict[str, Any]:
    if not isinstance(text, str):
        return {}
    try:
        parsed = jsonsafe.loads(text, source="the metadata")
    except jsonsafe.HostileDataError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def verify_proposal(ctx: WriteContext) -> Action:
    space, msg = ctx.the_space, ctx.message
    payload = parse_proposal_payload(msg, space)
    check_proposal_rules(ctx.store, ctx.power, space, ctx.body["address"], msg, ctx.now)
    row = (
        ctx.message_id,
        ctx.ipfs,
        ctx.body["address"],
        msg["timestamp"],
        space.id,
        payload.voting_type,
        payload.title,
        payload.body,
        payload.discussion,
        json.dumps(list(payload.choices)),
        json.dumps(list(payload.labels)),
        payload.start,
        payload.end,
        payload.snapshot,
        json.dumps(_metadata(payload.plugins)),
        space.privacy if space.privacy not in ("", "any") else payload.privacy,
        payload.app,
        json.dumps(space.to_graphql()["strategies"]),
        space.network,
        space.symbol,
        json.dumps(space.to_graphql()["voteValidation"]),
        space.quorum,
    )

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO proposals (id, ipfs, author, created, space, type, title, body,"
            ' discussion, choices, labels, start, "end", snapshot, plugins, privacy, app,'
            " strategies, network, symbol, validation, quorum) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )

    return action


def _known_proposal(ctx: WriteContext) -> dict[str, Any]:
    proposal = ctx.store.proposal(str(ctx.message["proposal"]))
    if proposal is None or proposal["space"] != ctx.the_space.id:
        raise RejectionError("unknown proposal")
    return proposal


def verify_update_proposal(ctx: WriteContext) -> Action:
    space, msg = ctx.the_space, ctx.message
    payload = parse_proposal_payload({**msg, "start": 1e9, "end": 2e9, "snapshot": 0}, space)
    proposal = _known_proposal(ctx)
    if payload.voting_type == VotingType.BASIC and len(payload.choices) not in (2, 3):
        raise RejectionError(f'wrong choices for "{payload.voting_type}" type voting')
    if proposal["author"] != ctx.body["address"]:
        raise RejectionError("Not the author")
    if proposal["start"] <= ctx.now:
        raise RejectionError("proposal already started")
    if space.voting_type and payload.voting_type != space.voting_type:
        raise RejectionError("space voting type mismatch")
    if space.privacy not in ("", "any") and payload.privacy != space.privacy:
        raise RejectionError("not allowed to set privacy")
    values = (
        payload.voting_type,
        payload.title,
        payload.body,
        payload.discussion,
        json.dumps(list(payload.choices)),
        json.dumps(list(payload.labels)),
        json.dumps(_metadata(payload.plugins)),
        msg["timestamp"],
        proposal["id"],
    )

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "UPDATE proposals SET type = ?, title = ?, body = ?, discussion = ?, choices = ?,"
            " labels = ?, plugins = ?, updated = ? WHERE id = ?",
            values,
        )

    return action


def verify_cancel_proposal(ctx: WriteContext) -> Action:
    proposal = _known_proposal(ctx)
    address = ctx.body["address"]
    if proposal["author"] != address and not ctx.the_space.is_moderator(address):
        raise RejectionError("not authorized to archive proposal")
    proposal_id = proposal["id"]

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
    if network not in FOLLOW_NETWORKS:
        raise RejectionError(f"network {network} is not allowed")
    if ctx.kind == "follow":
        count = ctx.store.one("SELECT COUNT(*) AS n FROM follows WHERE follower = ?", (follower,))
        if count is not None and count["n"] >= FOLLOW_LIMIT:
            raise RejectionError(f"you can join max {FOLLOW_LIMIT} spaces")
    row = (ctx.message_id, ctx.ipfs, follower, space, network, ctx.message["timestamp"])

    def action(conn: sqlite3.Connection) -> None:
        if ctx.kind == "follow":
            conn.execute("INSERT INTO follows VALUES (?, ?, ?, ?, ?, ?)", row)
        else:
            conn.execute("DELETE FROM follows WHERE follower = ? AND space = ?", (follower, space))

    return action


def verify_alias(ctx: WriteContext) -> Action:
    owner, alias = ctx.message["from"], ctx.message.get("alias")
    if not isinstance(alias, str) or not is_checksum_address(alias):
        raise RejectionError("wrong alias format")
    if alias == owner:
        raise RejectionError("alias cannot be the same as the address")
    taken = ctx.store.one("SELECT address FROM aliases WHERE alias = ?", (alias,))
    if taken is not None and taken["address"] != owner:
        raise RejectionError("alias is already linked to another address")

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO aliases (address, alias, created) VALUES (?, ?, ?)"
            " ON CONFLICT(address, alias) DO UPDATE SET created = excluded.created",
            (owner, alias, ctx.now),
        )

    return action


_DISCOURSE = re.compile(r"^[A-Za-z0-9\-_.]{0,30}$")


def verify_statement(ctx: WriteContext) -> Action:
    """A delegate statement (snapshot-sequencer ``writer/statement.ts``): one per delegate, space
    and network, replaced by the next."""
    msg = ctx.message
    fields = [msg.get(k, "") for k in ("about", "statement", "discourse", "status")]
    about, text, discourse, status = fields
    if not all(isinstance(f, str) for f in fields) or (
        len(about) > 140 or len(text) > 10_000 or not _DISCOURSE.match(discourse)
        or status not in ("ACTIVE", "INACTIVE")
    ):  # fmt: skip
        raise RejectionError("wrong statement format")
    network = msg.get("network") or "s"
    if network not in FOLLOW_NETWORKS:
        raise RejectionError(f"network {network} is not allowed")
    row = (ctx.message_id, ctx.ipfs, msg["from"], ctx.the_space.id, network, about, text,
           discourse, status, None, ctx.now, ctx.now)  # fmt: skip

    def action(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (delegate, space, network) DO UPDATE SET id = excluded.id,"
            " ipfs = excluded.ipfs, about = excluded.about, statement = excluded.statement,"
            " discourse = excluded.discourse, status = excluded.status,"
            " updated = excluded.updated",
            row,
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
    "statement": verify_statement,
}
