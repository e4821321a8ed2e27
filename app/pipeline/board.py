"""The pipeline board: one card per initiative, with what a person needs to decide at a glance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.pipeline.model import AccountContext, Initiative, Phase, TemperatureRule
from app.pipeline.phases import NextAction, Status, next_action, position

_VOTE_ACTIONS = {NextAction.VOTE_OFFCHAIN, NextAction.VOTE_ONCHAIN}


@dataclass(frozen=True)
class Card:
    initiative_id: str
    title: str
    phase: Phase
    status: Status
    deadline: int | None
    action: NextAction
    mine: bool  # the account authored it, or has something to do for it
    needs_my_vote: bool
    search_text: str  # lower-case haystack for the search box
    forum_replies: int | None = None
    forum_last_activity: int | None = None
    # A live vote's leading choice and its share of the votes so far (percent), for the card.
    leading: tuple[str, float] | None = None


def leading_choice(initiative: Initiative) -> tuple[str, float] | None:
    """The leading choice of the latest off-chain check that has votes, with its percentage."""
    check = initiative.consensus or initiative.temperature
    if check is None or check.scores_total <= 0 or not check.scores or not check.choices:
        return None
    best = max(range(min(len(check.scores), len(check.choices))), key=lambda i: check.scores[i])
    return check.choices[best], 100.0 * check.scores[best] / check.scores_total


def _live_offchain(phase: Phase, status: Status) -> bool:
    return phase is Phase.OFFCHAIN and status is Status.VOTING


def build_card(
    initiative: Initiative,
    account: AccountContext,
    now: int,
    rule: TemperatureRule | None = None,
    *,
    authored: bool = False,
) -> Card:
    where = position(initiative, now, rule)
    action = next_action(initiative, account, now, rule)
    haystack = " ".join((initiative.title, initiative.body[:2000], *initiative.labels)).lower()
    return Card(
        initiative_id=initiative.initiative_id,
        title=initiative.title,
        phase=where.phase,
        status=where.status,
        deadline=where.deadline,
        action=action,
        mine=authored or action is not NextAction.NONE,
        needs_my_vote=action in _VOTE_ACTIONS,
        search_text=haystack,
        forum_replies=initiative.forum_replies,
        forum_last_activity=initiative.forum_last_activity,
        leading=leading_choice(initiative) if _live_offchain(where.phase, where.status) else None,
    )


def build_board(
    initiatives: Iterable[Initiative],
    account: AccountContext,
    now: int,
    rule: TemperatureRule | None = None,
    *,
    authored: frozenset[str] = frozenset(),
) -> list[Card]:
    """Cards for every initiative, soonest deadline first, then by title."""
    cards = [
        build_card(i, account, now, rule, authored=i.initiative_id in authored) for i in initiatives
    ]
    far = 2**62
    return sorted(cards, key=lambda c: (c.deadline if c.deadline is not None else far, c.title))
