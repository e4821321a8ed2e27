"""Pure display formatting for the UI (no Qt): labels, countdowns, short addresses."""

from __future__ import annotations

from app.pipeline.model import Phase
from app.pipeline.phases import NextAction, Status

PHASE_TITLES = {
    Phase.IDEATE: "Ideate",
    Phase.OFFCHAIN: "Vote off-chain",
    Phase.ONCHAIN: "Vote on-chain",
    Phase.EXECUTE: "Execute",
}

STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.UPCOMING: "Upcoming",
    Status.VOTING: "Voting",
    Status.PASSED: "Passed",
    Status.FAILED: "Did not pass",
    Status.CANCELED: "Canceled",
    Status.WAITING: "In timelock",
    Status.READY: "Ready to execute",
    Status.EXECUTED: "Executed",
    Status.EXPIRED: "Expired",
    Status.DONE: "Settled off-chain",
}

ACTION_LABELS = {
    NextAction.NONE: "",
    NextAction.CREATE_TEMPERATURE_CHECK: "Start the temperature check",
    NextAction.VOTE_OFFCHAIN: "Vote on Snapshot",
    NextAction.CREATE_CONSENSUS_CHECK: "Start the consensus check",
    NextAction.DELEGATE: "Delegate your votes",
    NextAction.PROPOSE_ONCHAIN: "Propose on-chain",
    NextAction.VOTE_ONCHAIN: "Vote on-chain",
    NextAction.QUEUE: "Queue in the timelock",
    NextAction.EXECUTE: "Execute",
}


def format_countdown(deadline: int | None, now: int) -> str:
    """“in 2 d 3 h”, “in 45 min”, “ended 3 h ago”, or "" without a deadline."""
    if deadline is None:
        return ""
    delta = deadline - now
    text = _span(abs(delta))
    return f"in {text}" if delta >= 0 else f"{text} ago"


def _span(seconds: int) -> str:
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{max(minutes, 1)} min" if seconds >= 60 else "under a minute"


def short_address(address: str) -> str:
    """0x1234…abcd for display; the full address stays available in tooltips."""
    return address if len(address) < 12 else f"{address[:6]}…{address[-4:]}"


def format_forum(replies: int | None, last_activity: int | None, now: int) -> str:
    """“12 replies · active 3 d ago” for an idea's discussion thread, or "" when unknown."""
    if replies is None:
        return ""
    text = "1 reply" if replies == 1 else f"{replies} replies"
    if last_activity:
        text += f" · active {_span(max(now - last_activity, 0))} ago"
    return text
