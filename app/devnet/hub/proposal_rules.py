"""The sequencer's proposal checks (snapshot-sequencer ``writer/proposal.ts``), in its order.

1. space state (hibernated)          -> ``invalid space settings: space hibernated``
2. payload schema                    -> ``wrong proposal format``; then the tier's
   body and choices limits           -> ``proposal body length can not exceed N characters`` /
                                        ``number of choices can not exceed N``
3. end in the future                 -> ``proposal end date must be in the future``
4. basic has 2 or 3 choices          -> ``wrong choices for basic type voting``
5. voting.delay exact                -> ``invalid voting delay`` (start == timestamp + delay)
6. voting.period exact               -> ``invalid voting period`` (end - start == period)
7. voting.type                       -> ``invalid voting type``
8. voting.privacy                    -> ``not allowed to set privacy``
9. filters.onlyMembers               -> ``only space authors can propose`` (members, admins and
                                        moderators may always propose)
10. proposal validation (basic)      -> ``validation failed`` / ``failed to check validation``
11. snapshot block                   -> ``unable to fetch block`` / ``invalid snapshot block``
12. limits per day/month, per author -> ``proposal limit reached`` /
                                        ``active proposal limit reached for author`` /
                                        ``failed to check proposals limit``
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from app.devnet.hub.config import SpaceConfig
from app.devnet.hub.rejection import RejectionError
from app.devnet.hub.store import HubStore
from app.devnet.hub.validation import ValidationUnavailableError, validate
from app.devnet.hub.voting_power import VotingPowerSource
from app.domain.voting import VotingType
from app.errors import AppError
from app.snapshot.messages import PROPOSAL_TYPES

_LABEL: Final = re.compile(r"^[a-zA-Z0-9]{1,8}$")
_DISCUSSION: Final = re.compile(r"^((https?|ipfs|ipns|snapshot)://\S+)?$")
DAY: Final = 86_400
MONTH: Final = 30 * DAY


@dataclass(frozen=True)
class ProposalPayload:
    voting_type: str
    title: str
    body: str
    discussion: str
    choices: tuple[str, ...]
    labels: tuple[str, ...]
    start: int
    end: int
    snapshot: int
    plugins: str
    privacy: str
    app: str


def _text(value: Any, low: int, high: int) -> str:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise ValueError(value)
    return value


def _payload(msg: Mapping[str, Any]) -> ProposalPayload:
    choices, labels = msg["choices"], msg.get("labels", [])
    if not isinstance(choices, list) or not choices or not isinstance(labels, list):
        raise ValueError("choices")
    if (
        len(labels) > 10
        or len(set(labels)) != len(labels)
        or not all(isinstance(x, str) and _LABEL.match(x) for x in labels)
    ):
        raise ValueError("labels")
    discussion = _text(msg.get("discussion", ""), 0, 256)
    if msg["type"] not in PROPOSAL_TYPES or not _DISCUSSION.match(discussion):
        raise ValueError("type")
    start, end = int(msg["start"]), int(msg["end"])
    if not (1e9 <= start <= 2e9 and 1e9 <= end <= 2e9) or msg.get("privacy", "") not in (
        "",
        "shutter",
    ):
        raise ValueError("dates")
    return ProposalPayload(
        voting_type=msg["type"],
        title=_text(msg["title"], 1, 256),
        body=_text(msg["body"], 0, 10**7),
        discussion=discussion,
        choices=tuple(_text(c, 1, 256) for c in choices),
        labels=tuple(labels),
        start=start,
        end=end,
        snapshot=int(msg.get("snapshot", 0)),
        plugins=str(msg.get("plugins", "{}")),
        privacy=str(msg.get("privacy", "")),
        app=_text(msg.get("app", ""), 0, 24),
    )


def parse_proposal_payload(msg: Mapping[str, Any], space: SpaceConfig) -> ProposalPayload:
    """Checks 1-2: the space takes proposals, and the payload fits the schema and the tier."""
    if space.hibernated:
        raise RejectionError("invalid space settings: space hibernated")
    try:
        payload = _payload(msg)
    except (KeyError, TypeError, ValueError) as exc:
        raise RejectionError("wrong proposal format") from exc
    limits = space.limits
    if len(payload.body) > limits.body_limit:
        raise RejectionError(f"proposal body length can not exceed {limits.body_limit} characters")
    if len(payload.choices) > limits.choices_limit:
        raise RejectionError(f"number of choices can not exceed {limits.choices_limit}")
    return payload


def _check_timing(space: SpaceConfig, msg: Mapping[str, Any], now: int) -> None:
    start, end, created = int(msg["start"]), int(msg["end"]), int(msg["timestamp"])
    if end <= now:
        raise RejectionError("proposal end date must be in the future")
    if msg["type"] == VotingType.BASIC and len(msg["choices"]) not in (2, 3):
        raise RejectionError("wrong choices for basic type voting")
    if space.voting_delay and start != created + space.voting_delay:
        raise RejectionError("invalid voting delay")
    if space.voting_period and end - start != space.voting_period:
        raise RejectionError("invalid voting period")
    if space.voting_type and msg["type"] != space.voting_type:
        raise RejectionError("invalid voting type")
    if space.privacy not in ("", "any") and msg.get("privacy", "") != space.privacy:
        raise RejectionError("not allowed to set privacy")


def _check_author(power: VotingPowerSource, space: SpaceConfig, address: str) -> bool:
    """Checks 9-10; True when the author is a member (exempt from the per-author limit)."""
    if space.is_author(address):
        return True
    if space.only_members:
        raise RejectionError("only space authors can propose")
    try:
        passed = validate(
            power, space.validation, address, space.strategies, None, min_score=space.min_score,
            space=space.id,
        )  # fmt: skip
    except ValidationUnavailableError as exc:
        raise RejectionError("failed to check validation") from exc
    if not passed:
        raise RejectionError("validation failed")
    return False


def _check_block(power: VotingPowerSource, snapshot: int) -> None:
    try:
        latest = power.latest_block()
    except AppError as exc:
        raise RejectionError("unable to fetch block") from exc
    if not 0 < snapshot <= latest:
        raise RejectionError("invalid snapshot block")


def _check_limits(
    store: HubStore, space: SpaceConfig, address: str, now: int, member: bool
) -> None:
    try:
        row = store.one(
            "SELECT COUNT(CASE WHEN created > ? THEN 1 END) AS day, COUNT(*) AS month"
            " FROM proposals WHERE space = ? AND created > ?",
            (now - DAY, space.id, now - MONTH),
        )
        active = store.one(
            'SELECT COUNT(*) AS n FROM proposals WHERE author = ? AND "end" > ? AND deleted = 0',
            (address, now),
        )
    except Exception as exc:  # the store failed: the sequencer's own words for it
        raise RejectionError("failed to check proposals limit") from exc
    limits = space.limits
    if row is not None and (
        row["day"] >= limits.proposals_per_day or row["month"] >= limits.proposals_per_month
    ):
        raise RejectionError("proposal limit reached")
    if not member and active is not None and active["n"] >= limits.active_per_author:
        raise RejectionError("active proposal limit reached for author")


def check_proposal_rules(
    store: HubStore,
    power: VotingPowerSource,
    space: SpaceConfig,
    address: str,
    msg: Mapping[str, Any],
    now: int,
) -> None:
    """Checks 3-12 (after ``parse_proposal_payload``), raising the first that fails."""
    _check_timing(space, msg, now)
    member = _check_author(power, space, address)
    _check_block(power, int(msg.get("snapshot", 0)))
    _check_limits(store, space, address, now, member)
