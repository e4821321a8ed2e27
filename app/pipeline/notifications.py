"""Notifications model: what deserves a person's attention soon, computed from the pipeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from app.pipeline.model import AccountContext, Initiative, OnchainState, Phase, TemperatureRule
from app.pipeline.phases import Status, position

VOTE_REMINDER_WINDOW_S = 24 * 3600


class NoticeKind(Enum):
    VOTE_ENDING = "vote_ending"  # voting ends within 24 h and the account has not voted
    ETA_REACHED = "eta_reached"  # a queued proposal can now be executed
    TEMPERATURE_PASSED = "temperature_passed"  # time to write the consensus check


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    initiative_id: str
    title: str
    due: int | None  # unix seconds, when relevant
    message: str


def _vote_ending(init: Initiative, account: AccountContext, now: int) -> Notice | None:
    where = position(init, now)
    if where.status is not Status.VOTING or where.deadline is None:
        return None
    if where.deadline - now > VOTE_REMINDER_WINDOW_S:
        return None
    if where.phase is Phase.ONCHAIN:
        onchain = init.onchain
        voted = onchain is None or onchain.account_voted
        power = account.onchain_power > 0
    else:
        check = init.consensus or init.temperature
        voted = check is None or check.account_voted
        power = account.offchain_power > 0
    if voted or not power:
        return None
    hours = max(0, (where.deadline - now) // 3600)
    where_text = "on-chain" if where.phase is Phase.ONCHAIN else "on Snapshot"
    return Notice(
        NoticeKind.VOTE_ENDING,
        init.initiative_id,
        init.title,
        where.deadline,
        f"Voting {where_text} on “{init.title}” ends in {hours} h and you have not voted.",
    )


def _eta_reached(init: Initiative, now: int) -> Notice | None:
    onchain = init.onchain
    if onchain is None or onchain.state is not OnchainState.QUEUED or now < onchain.eta:
        return None
    return Notice(
        NoticeKind.ETA_REACHED,
        init.initiative_id,
        init.title,
        onchain.eta,
        f"“{init.title}” has passed its timelock delay and can be executed.",
    )


def _temperature_passed(init: Initiative, now: int, rule: TemperatureRule) -> Notice | None:
    check = init.temperature
    if check is None or init.consensus is not None or now <= check.end or not rule.passed(check):
        return None
    return Notice(
        NoticeKind.TEMPERATURE_PASSED,
        init.initiative_id,
        init.title,
        check.end,
        f"The temperature check for “{init.title}” passed: the consensus check is next.",
    )


def notices(
    initiatives: Iterable[Initiative],
    account: AccountContext,
    now: int,
    rule: TemperatureRule | None = None,
) -> list[Notice]:
    """Every notice due at ``now``, soonest first."""
    rule = rule or TemperatureRule()
    found: list[Notice] = []
    for init in initiatives:
        for notice in (
            _vote_ending(init, account, now),
            _eta_reached(init, now),
            _temperature_passed(init, now, rule),
        ):
            if notice is not None:
                found.append(notice)
    return sorted(found, key=lambda n: (n.due if n.due is not None else now, n.initiative_id))
