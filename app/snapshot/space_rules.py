"""A space's rules, applied before anything is signed (pure; the hub reads live in ``send``).

The sequencer refuses a proposal unless ``start == timestamp + voting.delay`` and
``end - start == voting.period`` exactly, its type is ``voting.type`` and its privacy
``voting.privacy`` (when the space sets them). It refuses authors who are not members, admins or
moderators of an ``onlyMembers`` space, and others whose score is below the proposal validation's
``minScore``. Votes must pass the proposal's vote validation (copied from the space's
``voteValidation`` when the proposal was created). These functions say the same before signing.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.voting import ALL_TYPES
from app.snapshot.records import Space, Validation


@dataclass(frozen=True)
class ProposalTimes:
    start: int
    end: int


def allowed_types(space: Space | None) -> tuple[str, ...]:
    """The voting types a new proposal in ``space`` may use (one, if the space fixes it)."""
    if space is not None and space.voting.type:
        return (space.voting.type,)
    return ALL_TYPES


def fixed_period(space: Space | None) -> int:
    """The space's voting period in seconds, or 0 when the author chooses."""
    return space.voting.period if space is not None else 0


def voting_delay(space: Space | None) -> int:
    return space.voting.delay if space is not None else 0


def forced_privacy(space: Space | None, wanted: str = "") -> str:
    """The privacy a proposal must carry: the space's, unless it allows any (then ``wanted``)."""
    if space is None or space.voting.privacy in ("", "any"):
        return wanted
    return space.voting.privacy


def plan_times(space: Space | None, timestamp: int, duration_s: int) -> ProposalTimes:
    """Start and end for a proposal signed at ``timestamp`` (take it at signing, not before)."""
    start = timestamp + voting_delay(space)
    period = fixed_period(space) or duration_s
    return ProposalTimes(start, start + period)


def check_type(space: Space | None, voting_type: str) -> str | None:
    allowed = allowed_types(space)
    if voting_type not in allowed:
        return f"This space allows only {', '.join(allowed)} voting."
    return None


def is_author(space: Space, address: str) -> bool:
    """Members, admins and moderators: exempt from proposal validation (case-insensitive)."""
    wanted = address.lower()
    return any(a.lower() == wanted for a in (*space.members, *space.admins, *space.moderators))


def may_cancel(space: Space | None, author: str, address: str) -> bool:
    """The author, or the space's admins and moderators, may cancel a proposal."""
    if address.lower() == author.lower():
        return True
    if space is None:
        return False
    wanted = address.lower()
    return any(a.lower() == wanted for a in (*space.admins, *space.moderators))


def may_edit(author: str, address: str, start: int, now: int) -> str | None:
    """None if ``address`` may edit the proposal now, else why not (exact author, before start)."""
    if address != author:
        return "Only the proposal's author may edit it."
    if start <= now:
        return "Voting has started, so the proposal can no longer be edited (cancel it instead)."
    return None


def min_score(validation: Validation, space_min_score: float = 0.0) -> float:
    """The minimum score a ``basic`` validation asks for (0: none)."""
    if validation.name != "basic":
        return 0.0
    return float(validation.params.get("minScore") or space_min_score or 0.0)


def needs_score(space: Space, address: str) -> float:
    """The voting power ``address`` needs to propose in ``space`` (0: none needed)."""
    if space.hibernated or is_author(space, address) or space.only_members:
        return 0.0
    return min_score(space.validation, space.min_score)


def proposal_refusal(space: Space, address: str, score: float | None) -> str | None:
    """Why ``address`` may not propose in ``space`` (None: it may). ``score`` is its voting power
    at the latest block, when ``needs_score`` asked for it."""
    if space.hibernated:
        return "This space is hibernated: it takes no new proposals until an admin reactivates it."
    if is_author(space, address):
        return None
    if space.only_members:
        return (
            "Only this space's members, moderators and admins may create proposals, and this "
            "account is none of them. Ask an admin to add it as a member."
        )
    if space.validation.name not in ("any", "basic"):
        return None  # checked by score-api when sent; govdesk cannot evaluate it here
    needed = min_score(space.validation, space.min_score)
    if needed and score is not None and score < needed:
        return (
            f"This space asks for at least {needed:g} {space.symbol or 'voting power'} to "
            f"propose; this account has {score:g}."
        )
    return None


def vote_refusal(validation: Validation, score: float | None, symbol: str = "") -> str | None:
    """Why a vote would fail the proposal's vote validation (None: it passes or is unknown)."""
    needed = min_score(validation)
    if needed and score is not None and score < needed:
        return (
            f"This proposal's vote validation asks for at least {needed:g} "
            f"{symbol or 'voting power'}; this account has {score:g}."
        )
    return None
