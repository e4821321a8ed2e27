"""The outbox: nothing signed is lost.

A signed envelope is written (durably: WAL, ``synchronous=FULL``) BEFORE it is sent, and stays
``pending`` until the sequencer acknowledges it (``accepted``, receipt stored) or refuses it for
good (``rejected``, reason stored). After a crash or a lost network, ``deliver_pending`` sends
what is still pending; sending again is idempotent, because the message id is the EIP-712 digest
and the sequencer answers "duplicate message" for one it already has.

Each entry records the sequencer URL it is sent to (never the GraphQL hub). A transient refusal
("failed to check voting power", "pinning failed", a 429 ...) leaves it pending with a
``next_attempt_at`` that backs off exponentially; once its signed timestamp is older than the
sequencer's window (6 days) it can never be accepted, and it is marked rejected as expired.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum

from app.errors import NetworkError
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.sequencer import (
    MAX_BEHIND_S,
    Receipt,
    SequencerClient,
    SequencerRejectedError,
)
from app.store.database import transaction
from app.store.journal import EnvelopeJournal
from app.store.quarantine import QuarantinedRow, quarantined, read_rows

RETRY_BASE_S = 30  # first wait after a transient failure; doubles each attempt
RETRY_MAX_S = 3600
EXPIRED = "expired: signed more than 6 days ago, Snapshot no longer accepts it. Sign it again."


class OutboxStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class OutboxEntry:
    envelope: SignedEnvelope
    hub_url: str  # the hub the message belongs to (reads); may be empty
    sequencer_url: str  # where it is POSTed
    status: OutboxStatus
    attempts: int
    last_error: str | None
    receipt: Receipt | None
    next_attempt_at: int = 0

    @property
    def signed_at(self) -> int:
        return int(self.envelope.data.get("message", {}).get("timestamp", 0))


@dataclass(frozen=True)
class DamagedEntry:
    """An outbox row that cannot be read whole: what is still legible, and what went wrong.

    It is kept aside (quarantined), never sent and never in the way of the others (#22).
    """

    row: str  # the SQLite rowid, or "*" when the table itself cannot be listed
    problem: str
    message_id: str = ""
    kind: str = ""
    address: str = ""
    sequencer_url: str = ""
    created_at: int = 0


_LEGIBLE = ("id", "kind", "address", "sequencer_url", "created_at")


def _entry(row: sqlite3.Row) -> OutboxEntry:
    receipt = Receipt(**json.loads(row["receipt"])) if row["receipt"] else None
    if not isinstance(row["envelope"], str):
        raise TypeError("the envelope is not text")
    envelope = SignedEnvelope.from_json(row["envelope"])
    if envelope.id != row["id"]:  # a damaged row: never send a message other than the one signed
        raise ValueError(f"the envelope's digest {envelope.id[:12]}… is not the row's id")
    return OutboxEntry(
        envelope=envelope,
        hub_url=row["hub_url"],
        sequencer_url=row["sequencer_url"] or row["hub_url"],
        status=OutboxStatus(row["status"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        receipt=receipt,
        next_attempt_at=row["next_attempt_at"],
    )


class Outbox:
    """Signed envelopes waiting for (or answered by) a sequencer, in the local store."""

    def __init__(self, conn: sqlite3.Connection, *, clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock
        # A second copy of every signed envelope, beside the database file (issue #22).
        self._journal = EnvelopeJournal.beside(conn)

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @property
    def clock(self) -> Callable[[], float]:
        return self._clock

    def add(self, envelope: SignedEnvelope, sequencer_url: str, hub_url: str = "") -> OutboxEntry:
        """Store ``envelope`` as pending (no-op if the same message is already stored)."""
        now = int(self._clock())
        if self._journal is not None:  # the journal first: it must know what the store knows
            self._journal.record_add(
                {
                    "id": envelope.id,
                    "hub_url": hub_url or sequencer_url,
                    "sequencer_url": sequencer_url,
                    "kind": envelope.kind,
                    "address": envelope.address,
                    "envelope": envelope.to_json(),
                    "status": OutboxStatus.PENDING.value,
                    "attempts": 0,
                    "last_error": None,
                    "receipt": None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO snapshot_outbox (id, hub_url, sequencer_url, kind, address,"
                " envelope, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    envelope.id,
                    hub_url or sequencer_url,
                    sequencer_url,
                    envelope.kind,
                    envelope.address,
                    envelope.to_json(),
                    now,
                    now,
                ),
            )
        return self.get(envelope.id)

    def get(self, message_id: str) -> OutboxEntry:
        row = self._conn.execute("SELECT * FROM snapshot_outbox WHERE id = ?", (message_id,))
        found = row.fetchone()
        if found is None:
            raise KeyError(message_id)
        return _entry(found)

    def pending(self) -> list[OutboxEntry]:
        return self._read("WHERE status = 'pending'")

    def due(self) -> list[OutboxEntry]:
        """Pending entries whose backoff has passed (the ones to send now)."""
        now = int(self._clock())
        return [e for e in self.pending() if e.next_attempt_at <= now]

    def entries(self) -> list[OutboxEntry]:
        return self._read("")

    def quarantined(self) -> list[QuarantinedRow]:
        """Rows that could not be read: shown to the person, never blocking the others."""
        return quarantined(self._conn, "snapshot_outbox")

    def damaged(self) -> list[DamagedEntry]:
        """The quarantined rows with whatever of them can still be read, column by column."""
        found = []
        for row in self.quarantined():
            legible = self._legible(row.key) if row.key.isdigit() else {}
            created = legible.get("created_at", "")
            found.append(
                DamagedEntry(
                    row=row.key,
                    problem=row.problem,
                    message_id=legible.get("id", ""),
                    kind=legible.get("kind", ""),
                    address=legible.get("address", ""),
                    sequencer_url=legible.get("sequencer_url", ""),
                    created_at=int(created) if created.isdigit() else 0,
                )
            )
        return found

    def _legible(self, rowid: str) -> dict[str, str]:
        legible = {}
        for column in _LEGIBLE:
            query = f"SELECT CAST({column} AS BLOB) FROM snapshot_outbox WHERE rowid = ?"  # noqa: S608
            try:
                value = self._conn.execute(query, (int(rowid),)).fetchone()
            except sqlite3.DatabaseError:
                continue
            if value is not None and isinstance(value[0], bytes):
                text = value[0].decode("utf-8", "replace")
                legible[column] = text if len(text) <= 200 else text[:199] + "…"
        return legible

    def _read(self, where: str) -> list[OutboxEntry]:
        return read_rows(
            self._conn, "snapshot_outbox", _entry, where=where, order="created_at, rowid"
        )

    def voted_proposals(self, voter: str) -> set[str]:
        """Proposals ``voter`` (the message's ``from``) voted on, unless the vote was refused."""
        rows = self._conn.execute(
            "SELECT CAST(envelope AS BLOB) FROM snapshot_outbox"
            " WHERE kind LIKE 'vote%' AND status != 'rejected'"
        )
        voted = set()
        for (raw,) in rows:
            try:  # bytes: one damaged row must not hide the others (issue #22)
                message = json.loads(raw).get("data", {}).get("message", {})
            except (ValueError, TypeError, AttributeError):  # shown by entries() as quarantined
                continue
            if str(message.get("from", "")).lower() == voter.lower():
                voted.add(str(message.get("proposal")))
        return voted

    def _update(
        self,
        message_id: str,
        status: OutboxStatus,
        error: str | None,
        receipt: str | None,
        next_attempt_at: int = 0,
    ) -> None:
        now = int(self._clock())
        if self._journal is not None:
            self._journal.record_status(message_id, status.value, error, receipt, now)
        with transaction(self._conn) as conn:
            conn.execute(
                "UPDATE snapshot_outbox SET status = ?, last_error = ?, receipt = ?,"
                " attempts = attempts + 1, updated_at = ?, next_attempt_at = ? WHERE id = ?",
                (status.value, error, receipt, now, next_attempt_at, message_id),
            )

    def mark_accepted(self, message_id: str, receipt: Receipt) -> None:
        self._update(message_id, OutboxStatus.ACCEPTED, None, json.dumps(asdict(receipt)))

    def mark_rejected(self, message_id: str, reason: str) -> None:
        self._update(message_id, OutboxStatus.REJECTED, reason, None)

    def mark_attempt_failed(self, message_id: str, problem: str) -> None:
        """Keep it pending, to be tried again after a backoff (or expire it if too old)."""
        entry = self.get(message_id)
        now = int(self._clock())
        if entry.signed_at and entry.signed_at < now - MAX_BEHIND_S:
            self._update(message_id, OutboxStatus.REJECTED, f"{EXPIRED} (last: {problem})", None)
            return
        wait = min(RETRY_MAX_S, RETRY_BASE_S * 2 ** min(entry.attempts, 12))
        self._update(message_id, OutboxStatus.PENDING, problem, None, now + wait)


async def deliver(
    outbox: Outbox, client: SequencerClient, envelope: SignedEnvelope, hub_url: str = ""
) -> Receipt:
    """Store ``envelope``, then send it; the outcome is recorded before this returns or raises."""
    entry = outbox.add(envelope, client.url, hub_url)
    if entry.status is OutboxStatus.ACCEPTED and entry.receipt is not None:
        return entry.receipt
    return await _send(outbox, client, envelope)


async def _send(outbox: Outbox, client: SequencerClient, envelope: SignedEnvelope) -> Receipt:
    try:
        receipt = await client.submit(envelope)
    except SequencerRejectedError as exc:
        outbox.mark_rejected(envelope.id, exc.reason)
        raise
    except NetworkError as exc:
        outbox.mark_attempt_failed(envelope.id, exc.detail or exc.user_message)
        raise
    outbox.mark_accepted(envelope.id, receipt)
    return receipt


async def deliver_pending(
    outbox: Outbox, client_for: Callable[[str], SequencerClient], *, only_due: bool = False
) -> list[OutboxEntry]:
    """Send every pending envelope again (on start, or when the network is back).

    Returns the entries as they stand afterwards; a network failure leaves an entry pending and
    does not stop the others. ``only_due`` skips entries still backing off (the periodic retry);
    an explicit "send now" sends them all.
    """
    results: list[OutboxEntry] = []
    for entry in outbox.due() if only_due else outbox.pending():
        client = client_for(entry.sequencer_url)
        with contextlib.suppress(SequencerRejectedError, NetworkError):
            await _send(outbox, client, entry.envelope)
        results.append(outbox.get(entry.envelope.id))
    return results


class SequencerPool:
    """One sequencer client per URL, all closed on exit (``async with SequencerPool()``).

    ``factory`` builds a client for a URL (tests pass one with a short retry policy).
    """

    def __init__(self, factory: Callable[[str], SequencerClient] = SequencerClient) -> None:
        self._clients: dict[str, SequencerClient] = {}
        self._factory = factory

    def client(self, url: str) -> SequencerClient:
        if url not in self._clients:
            self._clients[url] = self._factory(url)
        return self._clients[url]

    async def __aenter__(self) -> SequencerPool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()


async def resend_pending(
    outbox: Outbox,
    factory: Callable[[str], SequencerClient] = SequencerClient,
    *,
    only_due: bool = False,
) -> list[OutboxEntry]:
    """Send every pending envelope to its own sequencer once; the entries as they stand now."""
    if not outbox.pending():
        return []
    async with SequencerPool(factory) as pool:
        return await deliver_pending(outbox, pool.client, only_due=only_due)
