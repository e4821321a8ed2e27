"""Notices: vote reminders within 24 h, eta reached, temperature check passed."""

from __future__ import annotations

import dataclasses

from app.pipeline.model import AccountContext, OnchainState
from app.pipeline.notifications import NoticeKind, notices
from tests.app.pipeline.test_phases import AFTER_TC, HOUR, IDEA, T0, VOTER, consensus, onchain, temp


def test_vote_ending_within_a_day_and_not_voted() -> None:
    init = dataclasses.replace(IDEA, temperature=temp())
    end = T0 + 7 * 24 * HOUR
    assert notices([init], VOTER, end - 25 * HOUR) == []
    found = notices([init], VOTER, end - 3 * HOUR)
    assert [(n.kind, n.due) for n in found] == [(NoticeKind.VOTE_ENDING, end)]
    assert "ends in 3 h" in found[0].message
    voted = dataclasses.replace(IDEA, temperature=temp(voted=True))
    assert notices([voted], VOTER, end - 3 * HOUR) == []
    assert notices([init], AccountContext("0xabc"), end - 3 * HOUR) == []  # no power: no nag


def test_onchain_vote_ending_uses_onchain_power() -> None:
    init = dataclasses.replace(IDEA, onchain=onchain(OnchainState.ACTIVE))
    end = init.onchain.vote_end if init.onchain else 0
    assert [n.kind for n in notices([init], VOTER, end - HOUR)] == [NoticeKind.VOTE_ENDING]
    no_power = dataclasses.replace(VOTER, onchain_power=0)
    assert notices([init], no_power, end - HOUR) == []


def test_eta_reached_and_temperature_passed_sorted_by_due_time() -> None:
    queued = dataclasses.replace(
        IDEA, initiative_id="q", onchain=onchain(OnchainState.QUEUED, eta=T0)
    )
    passed = dataclasses.replace(IDEA, initiative_id="t", temperature=temp())
    found = notices([queued, passed], VOTER, AFTER_TC)
    assert [(n.kind, n.initiative_id) for n in found] == [
        (NoticeKind.ETA_REACHED, "q"),
        (NoticeKind.TEMPERATURE_PASSED, "t"),
    ]
    with_consensus = dataclasses.replace(passed, consensus=consensus())
    assert notices([with_consensus], VOTER, AFTER_TC) == []
