"""Space rules before signing, refusal explanations, Retry-After, and the outbox's backoff."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from app.domain.endpoints import sequencer_for
from app.domain.retry import RetryPolicy
from app.snapshot import space_rules
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.outbox import Outbox, OutboxStatus, deliver
from app.snapshot.records import Space, SpaceVoting, Validation, parse_space
from app.snapshot.refusals import explain
from app.snapshot.retry_after import retry_after_seconds
from app.snapshot.sequencer import SequencerClient, SequencerUnavailableError
from app.store.database import connect, load_migrations, migrate

A, B, M = "0x" + "aa" * 20, "0x" + "bb" * 20, "0x" + "cc" * 20
T0 = 1_700_000_000


def space(**changes: object) -> Space:
    raw = {"id": "s.eth", "symbol": "BTRST", "admins": [A], "moderators": [M],
           "voting": {"delay": 60, "period": 3600, "type": "basic", "privacy": "shutter"},
           "filters": {"minScore": 10, "onlyMembers": False}}  # fmt: skip
    raw.update(changes)
    return parse_space(raw)


def test_parse_space_reads_every_setting() -> None:
    parsed = space(validation={"name": "basic", "params": {"minScore": 3}},
                   voteValidation={"name": "basic", "params": {"minScore": 2}})  # fmt: skip
    assert parsed.voting == SpaceVoting(60, 3600, "basic", "shutter")
    assert (parsed.min_score, parsed.only_members, parsed.moderators) == (10.0, False, (M,))
    assert parsed.validation == Validation("basic", {"minScore": 3})
    assert parsed.vote_validation == Validation("basic", {"minScore": 2})


def test_times_type_and_privacy_follow_the_space() -> None:
    rules = space()
    times = space_rules.plan_times(rules, T0, duration_s=999)
    assert (times.start, times.end) == (T0 + 60, T0 + 60 + 3600)  # the period wins
    assert space_rules.plan_times(None, T0, 999).end == T0 + 999
    assert space_rules.allowed_types(rules) == ("basic",)
    assert space_rules.check_type(rules, "approval") == "This space allows only basic voting."
    assert space_rules.forced_privacy(rules, "") == "shutter"
    assert space_rules.forced_privacy(space(voting={"privacy": "any"}), "shutter") == "shutter"


def test_who_may_propose() -> None:
    rules = space()
    assert space_rules.proposal_refusal(rules, A.upper().replace("0X", "0x"), None) is None
    assert space_rules.needs_score(rules, B) == 10.0
    refusal = space_rules.proposal_refusal(rules, B, 4.0)
    assert refusal == "This space asks for at least 10 BTRST to propose; this account has 4."
    assert space_rules.proposal_refusal(rules, B, 10.0) is None
    members_only = space(filters={"onlyMembers": True}, members=[B])
    assert space_rules.proposal_refusal(members_only, B, 0) is None
    stranger = "0x" + "dd" * 20
    assert "Only this space's members" in str(
        space_rules.proposal_refusal(members_only, stranger, 0)
    )
    assert "hibernated" in str(space_rules.proposal_refusal(space(hibernated=True), A, None))


def test_who_may_edit_and_cancel() -> None:
    assert space_rules.may_edit(A, A, T0 + 10, T0) is None
    assert "Only the proposal's author" in str(space_rules.may_edit(A, B, T0 + 10, T0))
    assert "Voting has started" in str(space_rules.may_edit(A, A, T0, T0))
    rules = space()
    assert space_rules.may_cancel(rules, B, B)
    assert space_rules.may_cancel(rules, B, A)
    assert space_rules.may_cancel(rules, B, M)
    assert not space_rules.may_cancel(rules, A, B)


def test_vote_validation_refusal() -> None:
    check = Validation("basic", {"minScore": 5})
    assert "at least 5" in str(space_rules.vote_refusal(check, 1.0))
    assert space_rules.vote_refusal(check, 5.0) is None
    assert space_rules.vote_refusal(Validation("any", {}), 0.0) is None


def test_sequencers_of_snapshot_hubs() -> None:
    assert sequencer_for("https://hub.snapshot.org/") == "https://seq.snapshot.org/"
    assert sequencer_for("https://testnet.hub.snapshot.org/graphql") == (
        "https://testnet.seq.snapshot.org/"
    )
    assert sequencer_for("http://127.0.0.1:1", "http://127.0.0.1:2") == "http://127.0.0.1:2/"
    assert sequencer_for("") == "https://seq.snapshot.org/"


def test_refusals_with_values_are_explained() -> None:
    assert "5 choices" in explain("number of choices can not exceed 5").explanation
    assert explain("too many requests, refer to https://docs.snapshot.org").transient
    assert not explain("no voting power").transient
    assert explain("something new").explanation == "Snapshot refused the message: something new."


def test_retry_after_seconds_and_dates() -> None:
    assert retry_after_seconds({"retry-after": "7"}) == 7.0
    date = format_datetime(datetime.fromtimestamp(T0 + 30, UTC), usegmt=True)
    assert retry_after_seconds({"retry-after": date}, clock=lambda: T0) == 30.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({"retry-after": "99999"}) == 600.0
    assert retry_after_seconds({}) is None


async def test_transient_refusal_stays_pending_with_backoff_then_expires(
    envelope: SignedEnvelope,
) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    def busy(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": "client_error",
                                         "error_description": "failed to check voting power"})  # fmt: skip

    def limited(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "9"}, json={"error": "client_error",
                              "error_description": "too many requests"})  # fmt: skip

    now = [float(T0 + 60)]
    outbox = Outbox(connect(":memory:"), clock=lambda: now[0])
    client = SequencerClient("http://seq.test/", transport=httpx.MockTransport(busy), sleep=sleep,
                             policy=RetryPolicy(attempts=3), clock=lambda: now[0])  # fmt: skip
    with pytest.raises(SequencerUnavailableError) as info:
        await deliver(outbox, client, envelope)
    assert info.value.reason == "failed to check voting power"
    entry = outbox.get(envelope.id)
    assert entry.status is OutboxStatus.PENDING
    assert entry.next_attempt_at == T0 + 60 + 30  # 30 s after the first failure, then doubling
    assert outbox.due() == []
    limited_client = SequencerClient("http://seq.test/", transport=httpx.MockTransport(limited),
                                     sleep=sleep, policy=RetryPolicy(attempts=2))  # fmt: skip
    waits.clear()
    with pytest.raises(SequencerUnavailableError):
        await deliver(outbox, limited_client, envelope)
    assert waits
    assert waits[0] >= 9.0  # Retry-After honoured
    now[0] = T0 + 7 * 86400  # past the sequencer's six-day window
    with pytest.raises(SequencerUnavailableError):
        await deliver(outbox, client, envelope)
    expired = outbox.get(envelope.id)
    assert expired.status is OutboxStatus.REJECTED
    assert expired.last_error is not None
    assert expired.last_error.startswith("expired")


def test_migration_points_old_outbox_rows_at_the_real_sequencer() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrations = load_migrations()
    migrate(conn, migrations[:5])
    for i, url in enumerate(("https://hub.snapshot.org", "https://testnet.hub.snapshot.org/",
                             "http://127.0.0.1:4000/")):  # fmt: skip
        conn.execute(
            "INSERT INTO snapshot_outbox (id, hub_url, kind, address, envelope, created_at,"
            " updated_at) VALUES (?, ?, 'vote', ?, '{}', 0, 0)",
            (f"0x{i}", url, A),
        )
    migrate(conn, migrations)
    rows = conn.execute("SELECT sequencer_url FROM snapshot_outbox ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [
        "https://seq.snapshot.org/", "https://testnet.seq.snapshot.org/", "http://127.0.0.1:4000/"
    ]  # fmt: skip


async def test_space_settings_are_read_from_the_hub_and_cached_for_offline_use() -> None:
    from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
    from app.orgs import Network, Organisation
    from app.snapshot.send import SnapshotService

    config = {"id": "s.eth", "strategies": [{"name": "fixed"}], "moderators": [M],
              "voting": {"delay": 60, "period": 3600, "type": "basic"},
              "filters": {"onlyMembers": True}}  # fmt: skip
    hub = LocalHub([space_from_dict(config)], FixedVotingPower({})).start()
    org = Organisation("s", "S", Network(1, "x"), "s.eth", hub.url, hub.sequencer_url)
    service = SnapshotService(connect(":memory:"))
    online = await service.proposal_rules(org, B)
    hub.stop()
    offline = await service.proposal_rules(org, B)  # the hub is gone: the saved copy answers
    assert online == offline
    assert offline.allowed_types == ("basic",)
    assert (offline.delay_s, offline.period_s) == (60, 3600)
    assert offline.refusal is not None
    assert "Only this space's members" in offline.refusal
