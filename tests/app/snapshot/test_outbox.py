"""The outbox: written before sending, kept until the hub answers for good, resent idempotently."""

from __future__ import annotations

import httpx
import pytest

from app.domain.retry import RetryPolicy
from app.errors import NetworkError
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.outbox import Outbox, OutboxStatus, deliver, deliver_pending
from app.snapshot.sequencer import SequencerClient, SequencerRejectedError
from app.store.database import connect

URL = "http://sequencer.test/"


def _client(handler: httpx.MockTransport) -> SequencerClient:
    async def no_sleep(_s: float) -> None:
        return None

    return SequencerClient(URL, transport=handler, sleep=no_sleep, policy=RetryPolicy(attempts=2))


SIGNED_AT = 1_700_000_000  # the fixture envelope's timestamp


class Clock:
    """A clock the test moves; the outbox's backoff and expiry read it."""

    def __init__(self, now: float = SIGNED_AT + 60) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _outbox(clock: Clock | None = None) -> Outbox:
    return Outbox(connect(":memory:"), clock=clock or Clock())


async def test_envelope_is_stored_before_it_is_sent(envelope: SignedEnvelope) -> None:
    outbox = _outbox()
    seen_in_store: list[OutboxStatus] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen_in_store.append(outbox.get(envelope.id).status)
        return httpx.Response(200, json={"id": envelope.id, "ipfs": "bafy"})

    receipt = await deliver(outbox, _client(httpx.MockTransport(handler)), envelope)
    assert seen_in_store == [OutboxStatus.PENDING]
    entry = outbox.get(envelope.id)
    assert entry.status is OutboxStatus.ACCEPTED
    assert entry.receipt == receipt
    assert entry.envelope == envelope


async def test_network_failure_keeps_envelope_pending_and_resend_delivers(
    envelope: SignedEnvelope,
) -> None:
    outbox = _outbox()

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    with pytest.raises(NetworkError):
        await deliver(outbox, _client(httpx.MockTransport(down)), envelope)
    pending = outbox.pending()
    assert [e.envelope.id for e in pending] == [envelope.id]
    assert pending[0].attempts == 1
    assert "connection failed" in (pending[0].last_error or "")

    bodies: list[bytes] = []

    def duplicate(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return httpx.Response(
            400, json={"error": "client_error", "error_description": "duplicate message"}
        )

    client = _client(httpx.MockTransport(duplicate))
    results = await deliver_pending(outbox, lambda url: client)
    assert [r.status for r in results] == [OutboxStatus.ACCEPTED]
    assert bodies == [envelope.to_json().encode()]
    assert outbox.pending() == []
    # Delivering the same envelope again is a no-op once accepted.
    assert (await deliver(outbox, client, envelope)).duplicate
    assert len(bodies) == 1


async def test_final_rejection_is_stored_with_reason(envelope: SignedEnvelope) -> None:
    outbox = _outbox()

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"error": "client_error", "error_description": "wrong timestamp"}
        )

    with pytest.raises(SequencerRejectedError):
        await deliver(outbox, _client(httpx.MockTransport(refuse)), envelope)
    entry = outbox.get(envelope.id)
    assert entry.status is OutboxStatus.REJECTED
    assert entry.last_error == "wrong timestamp"
    assert outbox.pending() == []


def test_voted_proposals_counts_pending_and_accepted_votes_not_rejected(
    envelope: SignedEnvelope,
) -> None:
    outbox = _outbox()
    voter = envelope.data["message"]["from"]
    proposal = envelope.data["message"]["proposal"]
    assert outbox.voted_proposals(voter) == set()
    outbox.add(envelope, "http://127.0.0.1:1/")
    assert outbox.voted_proposals(voter.lower()) == {proposal}  # pending counts
    assert outbox.voted_proposals("0x" + "00" * 20) == set()  # someone else's vote
    outbox.mark_rejected(envelope.id, "no voting power")
    assert outbox.voted_proposals(voter) == set()
