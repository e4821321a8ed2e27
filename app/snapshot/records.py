"""Immutable records for what the hub returns, and pure parsers from its JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from app.errors import NetworkError

T = TypeVar("T")
# What a hostile or broken hub's odd shapes raise inside a parser (issue #22).
_SHAPE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, OverflowError)


@dataclass(frozen=True)
class Strategy:
    name: str
    network: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Validation:
    name: str  # "any", "basic", ... (score-api validations)
    params: dict[str, Any]


@dataclass(frozen=True)
class SpaceVoting:
    """``space.voting``: what the sequencer enforces on new proposals (0/None: not set)."""

    delay: int = 0  # start must be exactly timestamp + delay
    period: int = 0  # end must be exactly start + period
    type: str | None = None  # the only voting type allowed
    privacy: str = ""  # "", "any" or "shutter"
    quorum: float = 0.0
    quorum_type: str = "default"
    hide_abstain: bool = False
    blind: bool = False


@dataclass(frozen=True)
class Space:
    id: str
    name: str
    network: str
    symbol: str
    strategies: tuple[Strategy, ...]
    admins: tuple[str, ...]
    voting_type: str | None  # the only type the space allows, if it fixes one
    moderators: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    voting: SpaceVoting = SpaceVoting()
    min_score: float = 0.0  # filters.minScore
    only_members: bool = False  # filters.onlyMembers
    validation: Validation = Validation("basic", {})
    vote_validation: Validation = Validation("any", {})
    hibernated: bool = False


@dataclass(frozen=True)
class Proposal:
    id: str
    space: str
    author: str
    type: str
    title: str
    body: str
    choices: tuple[str, ...]
    start: int
    end: int
    snapshot: int
    state: str
    created: int
    scores: tuple[float, ...]
    scores_total: float
    scores_state: str
    votes: int
    privacy: str
    validation: Validation = Validation("any", {})
    updated: int = 0
    strategies: tuple[Strategy, ...] = ()


@dataclass(frozen=True)
class Vote:
    id: str
    voter: str
    created: int
    proposal: str
    choice: Any
    reason: str
    app: str
    vp: float
    vp_by_strategy: tuple[float, ...]
    vp_state: str


@dataclass(frozen=True)
class VotingPower:
    vp: float
    vp_by_strategy: tuple[float, ...]
    vp_state: str


@dataclass(frozen=True)
class Follow:
    id: str
    follower: str
    space: str
    network: str
    created: int


@dataclass(frozen=True)
class Statement:
    """A delegate's statement on a space: a one-line "about" and the full text (Markdown)."""

    id: str
    delegate: str
    space: str
    about: str
    statement: str
    discourse: str
    status: str
    updated: int


def _text(value: Any) -> str:
    """A text field: str as is, a missing value as ""; anything else is a malformed answer."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _texts(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        raise TypeError("expected a list of texts")
    return tuple(_text(v) for v in values)


def _number(value: Any) -> float:
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return number


def parse_list(raw: Any, parse: Callable[[Any], T], what: str) -> list[T]:
    """Parse every item of a hub list; a missing list is empty, anything else malformed."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise NetworkError(f"The Snapshot hub sent {what} in an unknown format.")
    return [parse(item) for item in raw]


def _strategy(raw: dict[str, Any]) -> Strategy:
    return Strategy(str(raw["name"]), str(raw.get("network") or ""), dict(raw.get("params") or {}))


def _validation(raw: Any, default: str) -> Validation:
    if not isinstance(raw, dict) or not raw.get("name"):
        return Validation(default, {})
    return Validation(str(raw["name"]), dict(raw.get("params") or {}))


def _voting(raw: dict[str, Any]) -> SpaceVoting:
    return SpaceVoting(
        delay=int(raw.get("delay") or 0),
        period=int(raw.get("period") or 0),
        type=raw.get("type") or None,
        privacy=str(raw.get("privacy") or ""),
        quorum=float(raw.get("quorum") or 0.0),
        quorum_type=str(raw.get("quorumType") or "default"),
        hide_abstain=bool(raw.get("hideAbstain")),
        blind=bool(raw.get("blind")),
    )


def parse_space(raw: dict[str, Any]) -> Space:
    try:
        voting, filters = raw.get("voting") or {}, raw.get("filters") or {}
        return Space(
            id=_text(raw["id"]),
            name=_text(raw.get("name") or raw["id"]),
            network=str(raw.get("network") or ""),
            symbol=_text(raw.get("symbol")),
            strategies=tuple(_strategy(s) for s in raw.get("strategies") or ()),
            admins=_texts(raw.get("admins") or []),
            voting_type=_text(voting.get("type")) or None,
            moderators=_texts(raw.get("moderators") or []),
            members=_texts(raw.get("members") or []),
            voting=_voting(voting),
            min_score=float(filters.get("minScore") or 0.0),
            only_members=bool(filters.get("onlyMembers")),
            validation=_validation(raw.get("validation"), "basic"),
            vote_validation=_validation(raw.get("voteValidation"), "any"),
            hibernated=bool(raw.get("hibernated")),
        )
    except _SHAPE_ERRORS as exc:
        raise NetworkError("The Snapshot hub sent a space in an unknown format.") from exc


def parse_proposal(raw: dict[str, Any]) -> Proposal:
    try:
        return Proposal(
            id=_text(raw["id"]),
            space=_text((raw.get("space") or {}).get("id", "")),
            author=_text(raw.get("author", "")),
            type=_text(raw["type"]),
            title=_text(raw.get("title", "")),
            body=_text(raw.get("body")),
            choices=_texts(raw["choices"]),
            start=int(raw["start"]),
            end=int(raw["end"]),
            snapshot=int(raw.get("snapshot") or 0),
            state=_text(raw.get("state")),
            created=int(raw.get("created") or 0),
            scores=tuple(_number(s) for s in raw.get("scores") or ()),
            scores_total=_number(raw.get("scores_total") or 0.0),
            scores_state=_text(raw.get("scores_state")),
            votes=int(raw.get("votes") or 0),
            privacy=_text(raw.get("privacy")),
            validation=_validation(raw.get("validation"), "any"),
            updated=int(raw.get("updated") or 0),
            strategies=tuple(_strategy(s) for s in raw.get("strategies") or ()),
        )
    except _SHAPE_ERRORS as exc:
        raise NetworkError("The Snapshot hub sent a proposal in an unknown format.") from exc


def parse_vote(raw: dict[str, Any]) -> Vote:
    try:
        return Vote(
            id=_text(raw["id"]),
            voter=_text(raw["voter"]),
            created=int(raw["created"]),
            proposal=_text((raw.get("proposal") or {}).get("id", "")),
            choice=raw["choice"],
            reason=_text(raw.get("reason")),
            app=_text(raw.get("app")),
            vp=_number(raw.get("vp") or 0.0),
            vp_by_strategy=tuple(_number(v) for v in raw.get("vp_by_strategy") or ()),
            vp_state=_text(raw.get("vp_state")),
        )
    except _SHAPE_ERRORS as exc:
        raise NetworkError("The Snapshot hub sent a vote in an unknown format.") from exc


def parse_vp(raw: dict[str, Any]) -> VotingPower:
    try:
        return VotingPower(
            _number(raw.get("vp") or 0.0),
            tuple(_number(v) for v in raw.get("vp_by_strategy") or ()),
            str(raw.get("vp_state") or ""),
        )
    except _SHAPE_ERRORS as exc:
        raise NetworkError("The Snapshot hub sent voting power in an unknown format.") from exc


def parse_follow(raw: dict[str, Any]) -> Follow:
    try:
        return Follow(
            id=str(raw.get("id") or ""),
            follower=_text(raw["follower"]),
            space=_text((raw.get("space") or {}).get("id", "")),
            network=_text(raw.get("network")),
            created=int(raw.get("created") or 0),
        )
    except _SHAPE_ERRORS as exc:
        raise NetworkError("The Snapshot hub sent a follow in an unknown format.") from exc


def parse_statement(raw: dict[str, Any]) -> Statement:
    try:
        return Statement(
            id=_text(raw["id"]),
            delegate=_text(raw.get("delegate")),
            space=_text(raw.get("space")),
            about=_text(raw.get("about")),
            statement=_text(raw.get("statement")),
            discourse=_text(raw.get("discourse")),
            status=_text(raw.get("status")) or "ACTIVE",
            updated=int(raw.get("updated") or raw.get("created") or 0),
        )
    except _SHAPE_ERRORS as exc:
        raise NetworkError(
            "The Snapshot hub sent a delegate statement in an unknown format."
        ) from exc
