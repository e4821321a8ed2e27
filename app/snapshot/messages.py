"""Build and check the messages a voter or proposer signs: Vote, Proposal, UpdateProposal,
CancelProposal, Follow, Unfollow, Alias and Statement.

Every builder checks the input against the sequencer's rules first (choice validity, field
limits, address format) and raises ``InputError`` with a plain explanation, so nothing invalid
is ever signed. Addresses are written as EIP-55 strings; timestamps are unix seconds.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from eth_utils.address import is_checksum_address, is_hex_address, to_checksum_address

from app.domain.voting import ALL_TYPES, LIST_TYPES, WEIGHTED_TYPES, VotingType
from app.errors import InputError
from app.snapshot.choices import Choice, check_choice
from app.snapshot.typed_data import APP_NAME, TypedMessage
from app.tally.jsvalue import string_to_number

MAX_SPACE_ID: Final = 64  # the sequencer's own limit for a space id
MAX_PROPOSAL_ID: Final = 100  # 0x + 64 hex digits, or an old IPFS CID (46-59 characters)
_HIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
MAX_REASON: Final = 5_000
MAX_APP: Final = 24
MAX_METADATA: Final = 2_000
MAX_TITLE: Final = 256
MAX_BODY: Final = 10_000
MAX_CHOICES: Final = 20
MAX_CHOICE_LEN: Final = 256
MAX_LABELS: Final = 10
MAX_DISCUSSION: Final = 256
PROPOSAL_TYPES: Final = (*ALL_TYPES, "custom")
FOLLOW_NETWORKS: Final = ("s", "eth", "arb1", "oeth", "sn", "base", "mnt", "ape")
_LABEL = re.compile(r"^[a-zA-Z0-9]{1,8}$")
_DISCUSSION = re.compile(r"^(https?|ipfs|ipns|snapshot)://\S+$")
_TS_MIN, _TS_MAX = 1_000_000_000, 2_000_000_000


def now_seconds() -> int:
    return int(time.time())


def checksum(address: str, what: str = "address") -> str:
    """The EIP-55 form of ``address``; InputError if it is not a 20-byte hex address."""
    if not is_hex_address(address):
        raise InputError(f"The {what} {address!r} is not an Ethereum address (0x + 40 hex digits).")
    mixed_case = address != address.lower() and address[2:] != address[2:].upper()
    if mixed_case and not is_checksum_address(address):
        raise InputError(f"The {what} {address} has a wrong checksum; check for a typo.")
    return str(to_checksum_address(address))


def _invisible(text: str) -> bool:
    """Controls, bidi overrides, zero-width and other format characters (issue #22)."""
    return any(unicodedata.category(c) in _HIDDEN_CATEGORIES for c in text)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 70 else text[:67] + "...")


def check_space_id(space: str) -> str:
    if len(space) > MAX_SPACE_ID:
        raise InputError(f"The space id {_shown(space)} is longer than {MAX_SPACE_ID} characters.")
    if not space or space != space.strip().lower() or re.search(r"\s", space) or _invisible(space):
        raise InputError(
            f"The space id {_shown(space)} is not valid: use the lower-case id, e.g. 'ens.eth'"
            " (no spaces, control or invisible characters)."
        )
    return space


def check_proposal_id(proposal: str) -> str:
    if len(proposal) > MAX_PROPOSAL_ID:
        raise InputError(
            f"The proposal id {_shown(proposal)} is longer than {MAX_PROPOSAL_ID} characters."
        )
    if not proposal or re.search(r"\s", proposal) or _invisible(proposal):
        raise InputError(
            f"The proposal id {_shown(proposal)} is not valid"
            " (empty, or has spaces, control or invisible characters)."
        )
    return proposal


def _check_length(value: str, limit: int, what: str, minimum: int = 0) -> str:
    if not minimum <= len(value) <= limit:
        raise InputError(f"The {what} must be {minimum} to {limit} characters long.")
    return value


def check_metadata(metadata: str) -> str:
    _check_length(metadata, MAX_METADATA, "vote metadata")
    try:
        parsed = json.loads(metadata)
    except ValueError:
        return metadata
    if not isinstance(parsed, dict):
        raise InputError("Vote metadata must be a JSON object, e.g. {}.")
    return metadata


def _js_number_text(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def encode_choice(voting_type: str, choice: Choice) -> Any:
    """The ``choice`` value as signed: uint32, uint32[] or a JSON string (no spaces)."""
    if voting_type in LIST_TYPES:
        return [int(c) for c in choice]  # type: ignore[union-attr]
    if voting_type in WEIGHTED_TYPES:
        assert isinstance(choice, Mapping)  # noqa: S101 - guaranteed by check_choice
        # Keys are canonical choice numbers (check_choice), read as snapshot.js reads them.
        ordered = sorted(choice.items(), key=lambda kv: string_to_number(kv[0]))
        obj = {str(int(string_to_number(k))): _js_number_text(v) for k, v in ordered}
        return json.dumps(obj, separators=(",", ":"))
    return int(choice)  # type: ignore[arg-type]


def vote_kind(voting_type: str) -> str:
    if voting_type in LIST_TYPES:
        return "vote-array"
    if voting_type in WEIGHTED_TYPES:
        return "vote-string"
    return "vote"


@dataclass(frozen=True)
class VoteRequest:
    """What a person chose; ``choices_count`` None means "not known" (signing offline)."""

    space: str
    proposal: str
    voting_type: str
    choice: Choice
    choices_count: int | None = None
    reason: str = ""
    metadata: str = "{}"
    app: str = APP_NAME


def build_vote(voter: str, request: VoteRequest, *, timestamp: int | None = None) -> TypedMessage:
    """A Vote message after every check the sequencer would make on its content."""
    check_choice(request.voting_type, request.choice, request.choices_count)
    message = {
        "from": checksum(voter, "voter address"),
        "space": check_space_id(request.space),
        "timestamp": now_seconds() if timestamp is None else timestamp,
        "proposal": check_proposal_id(request.proposal),
        "choice": encode_choice(request.voting_type, request.choice),
        "reason": _check_length(request.reason, MAX_REASON, "reason"),
        "app": _check_length(request.app, MAX_APP, "app name"),
        "metadata": check_metadata(request.metadata),
    }
    return TypedMessage(vote_kind(request.voting_type), message)


@dataclass(frozen=True)
class ProposalDraft:
    """The content of a new (or updated) proposal."""

    space: str
    voting_type: str
    title: str
    body: str
    choices: tuple[str, ...]
    start: int
    end: int
    snapshot: int
    discussion: str = ""
    labels: tuple[str, ...] = ()
    plugins: str = "{}"
    privacy: str = ""
    app: str = APP_NAME


def _check_labels(labels: Sequence[str]) -> list[str]:
    if len(labels) > MAX_LABELS or len(set(labels)) != len(labels):
        raise InputError(f"Give at most {MAX_LABELS} labels, each only once.")
    for label in labels:
        if not _LABEL.match(label):
            raise InputError(f"The label {label!r} must be 1 to 8 letters or digits.")
    return list(labels)


def _check_choices(voting_type: str, choices: Sequence[str]) -> list[str]:
    if not 1 <= len(choices) <= MAX_CHOICES:
        raise InputError(f"A proposal needs 1 to {MAX_CHOICES} choices.")
    if voting_type == VotingType.BASIC and len(choices) not in (2, 3):
        raise InputError("A basic proposal has exactly 2 or 3 choices (For, Against, Abstain).")
    for text in choices:
        _check_length(text, MAX_CHOICE_LEN, "text of each choice", minimum=1)
    return list(choices)


def check_proposal_content(draft: ProposalDraft) -> dict[str, Any]:
    if draft.voting_type not in PROPOSAL_TYPES:
        raise InputError(f"Unknown voting type {draft.voting_type!r}.")
    if draft.discussion and not _DISCUSSION.match(draft.discussion):
        raise InputError("The discussion link must be an http(s), ipfs or snapshot URL.")
    if draft.privacy not in ("", "shutter"):
        raise InputError("Privacy must be empty or 'shutter'.")
    return {
        "type": draft.voting_type,
        "title": _check_length(draft.title, MAX_TITLE, "title", minimum=1),
        "body": _check_length(draft.body, MAX_BODY, "body"),
        "discussion": _check_length(draft.discussion, MAX_DISCUSSION, "discussion link"),
        "choices": _check_choices(draft.voting_type, draft.choices),
        "labels": _check_labels(draft.labels),
    }


def _check_window(draft: ProposalDraft, now: int) -> None:
    for name, value in (("start", draft.start), ("end", draft.end)):
        if not _TS_MIN <= value <= _TS_MAX:
            raise InputError(f"The proposal {name} time {value} is not a plausible unix time.")
    if draft.end <= draft.start or draft.end <= now:
        raise InputError("The proposal must end after it starts, and in the future.")
    if draft.snapshot < 0:
        raise InputError("The snapshot block must be a block number.")


def build_proposal(
    author: str, draft: ProposalDraft, *, timestamp: int | None = None
) -> TypedMessage:
    ts = now_seconds() if timestamp is None else timestamp
    _check_window(draft, ts)
    message = {
        "from": checksum(author, "author address"),
        "space": check_space_id(draft.space),
        "timestamp": ts,
        **check_proposal_content(draft),
        "start": draft.start,
        "end": draft.end,
        "snapshot": draft.snapshot,
        "plugins": draft.plugins,
        "privacy": draft.privacy,
        "app": _check_length(draft.app, MAX_APP, "app name"),
    }
    return TypedMessage("proposal", message)


def build_update_proposal(
    author: str, proposal: str, draft: ProposalDraft, *, timestamp: int | None = None
) -> TypedMessage:
    message = {
        "proposal": check_proposal_id(proposal),
        "from": checksum(author, "author address"),
        "space": check_space_id(draft.space),
        "timestamp": now_seconds() if timestamp is None else timestamp,
        **check_proposal_content(draft),
        "plugins": draft.plugins,
        "privacy": draft.privacy,
    }
    return TypedMessage("update-proposal", message)


def build_cancel_proposal(
    author: str, space: str, proposal: str, *, timestamp: int | None = None
) -> TypedMessage:
    message = {
        "from": checksum(author, "author address"),
        "space": check_space_id(space),
        "timestamp": now_seconds() if timestamp is None else timestamp,
        "proposal": check_proposal_id(proposal),
    }
    return TypedMessage("delete-proposal", message)


def build_follow(
    follower: str,
    space: str,
    *,
    network: str = "s",
    follow: bool = True,
    timestamp: int | None = None,
) -> TypedMessage:
    """Follow (or, with ``follow=False``, Unfollow) a space."""
    if network not in FOLLOW_NETWORKS:
        raise InputError(f"Unknown network {network!r}; use one of {', '.join(FOLLOW_NETWORKS)}.")
    message = {
        "from": checksum(follower, "follower address"),
        "network": network,
        "space": check_space_id(space),
        "timestamp": now_seconds() if timestamp is None else timestamp,
    }
    return TypedMessage("follow" if follow else "unfollow", message)


def build_alias(owner: str, alias: str, *, timestamp: int | None = None) -> TypedMessage:
    """Let ``alias`` (a session key) sign for ``owner`` for 30 days."""
    owner_cs, alias_cs = checksum(owner, "account address"), checksum(alias, "alias address")
    if owner_cs == alias_cs:
        raise InputError("An alias must be a different address from the account it signs for.")
    message = {
        "from": owner_cs,
        "alias": alias_cs,
        "timestamp": now_seconds() if timestamp is None else timestamp,
    }
    return TypedMessage("alias", message)


STATEMENT_ABOUT_MAX = 140
STATEMENT_MAX = 10_000
STATEMENT_STATUSES = ("ACTIVE", "INACTIVE")
_DISCOURSE = re.compile(r"^[A-Za-z0-9\-_.]{0,30}$")


def build_statement(
    delegate: str, space: str, about: str, statement: str, *, discourse: str = "",
    status: str = "ACTIVE", network: str = "s", timestamp: int | None = None,
) -> TypedMessage:  # fmt: skip
    """A delegate's statement on a space: a short "about" and the full text (Markdown)."""
    if len(about) > STATEMENT_ABOUT_MAX:
        raise InputError(f"The statement's summary is at most {STATEMENT_ABOUT_MAX} characters.")
    if len(statement) > STATEMENT_MAX:
        raise InputError(f"A delegate statement is at most {STATEMENT_MAX:,} characters.")
    if not _DISCOURSE.match(discourse):
        raise InputError("A forum (Discourse) name is up to 30 letters, digits, '-', '_' or '.'.")
    if status not in STATEMENT_STATUSES:
        raise InputError(f"A statement's status is {' or '.join(STATEMENT_STATUSES)}.")
    if network not in FOLLOW_NETWORKS:
        raise InputError(f"Unknown network {network!r}; use one of {', '.join(FOLLOW_NETWORKS)}.")
    message = {
        "from": checksum(delegate, "delegate address"),
        "timestamp": now_seconds() if timestamp is None else timestamp,
        "space": check_space_id(space),
        "about": about,
        "statement": statement,
        "discourse": discourse,
        "status": status,
        "network": network,
    }
    return TypedMessage("statement", message)
