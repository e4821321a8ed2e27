"""Partly-signed Safe votes and transactions, kept in the store until enough owners approve.

A request is opened with what the Safe will do (a Snapshot message from the Safe, or a Safe
transaction) and the hash its owners approve. Each owner's signature is checked against the Safe's
owners and stored the moment it arrives, so "waiting for 1 more signer" survives a restart. A
request with ``threshold`` signatures is ``ready``: its packed signatures make the Snapshot
envelope's ``sig`` (EIP-1271) or the ``execTransaction`` call. ``done`` once that was handed on.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from eth_utils.address import to_checksum_address

from app.errors import InputError
from app.safe.client import SafeInfo
from app.safe.hashes import (
    SafeTx,
    eip1271_message,
    safe_message_hash,
    safe_message_typed_data,
    safe_tx_hash,
    safe_tx_typed_data,
)
from app.safe.signatures import OwnerSignature, owner_signature, pack_signatures
from app.store.database import transaction


class RequestKind(StrEnum):
    SNAPSHOT = "snapshot"  # a Snapshot message signed by the Safe (EIP-1271)
    TRANSACTION = "transaction"  # a Safe transaction (castVote, propose, delegate, ...)


class RequestStatus(StrEnum):
    COLLECTING = "collecting"
    READY = "ready"
    DONE = "done"


@dataclass(frozen=True)
class SafeRequest:
    """One thing a Safe is approving, with the owner signatures collected so far."""

    id: str  # the approval hash, 0x hex
    safe: str
    chain_id: int
    kind: RequestKind
    summary: str
    payload: dict[str, Any]
    owners: tuple[str, ...]
    threshold: int
    status: RequestStatus
    signatures: tuple[OwnerSignature, ...]

    @property
    def missing(self) -> int:
        return max(0, self.threshold - len(self.signatures))

    @property
    def progress(self) -> str:
        """``"waiting for 2 more signers"``, or ``"ready to send"``."""
        if self.status is RequestStatus.DONE:
            return "sent"
        if not self.missing:
            return "ready to send"
        return f"waiting for {self.missing} more signer{'s' if self.missing != 1 else ''}"

    def signed_by(self, owner: str) -> bool:
        return any(s.owner.lower() == owner.lower() for s in self.signatures)

    def approval_typed_data(self) -> dict[str, Any]:
        """The EIP-712 document each owner signs (bytes as 0x hex, so it travels as JSON)."""
        if self.kind is RequestKind.SNAPSHOT:
            message = eip1271_message(bytes.fromhex(self.payload["digest"][2:]))
            typed = safe_message_typed_data(self.chain_id, self.safe, message)
            typed["message"] = {"message": "0x" + message.hex()}
            return typed
        typed = safe_tx_typed_data(self.chain_id, self.safe, safe_tx_of(self))
        typed["message"] = {**typed["message"], "data": self.payload["data"]}
        return typed

    def packed_signatures(self) -> bytes:
        return pack_signatures(self.signatures, self.threshold)


def safe_tx_of(request: SafeRequest) -> SafeTx:
    """The Safe transaction a TRANSACTION request approves."""
    if request.kind is not RequestKind.TRANSACTION:
        raise InputError("This Safe request is a Snapshot message, not a transaction.")
    return _tx_from_payload(request.payload)


def _tx_from_payload(p: dict[str, Any]) -> SafeTx:
    return SafeTx(to=p["to"], data=bytes.fromhex(p["data"][2:]), nonce=int(p["nonce"]),
                  value=int(p["value"]))  # fmt: skip


def _approval_hash(kind: RequestKind, safe: SafeInfo, payload: dict[str, Any]) -> bytes:
    if kind is RequestKind.SNAPSHOT:
        message = eip1271_message(bytes.fromhex(payload["digest"][2:]))
        return safe_message_hash(safe.chain_id, safe.address, message)
    return safe_tx_hash(safe.chain_id, safe.address, _tx_from_payload(payload))


class SafeRequests:
    """The store's Safe requests and their signatures."""

    def __init__(self, conn: sqlite3.Connection, *, clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock

    def open_snapshot(self, safe: SafeInfo, data: dict[str, Any], digest: str, url: str,
                      summary: str) -> SafeRequest:  # fmt: skip
        """A Snapshot message (envelope ``data`` with ``from`` = the Safe) to approve."""
        sender = str(data.get("message", {}).get("from", ""))
        if sender.lower() != safe.address.lower():
            raise InputError("A Safe vote must be from the Safe itself.")
        payload = {"data": data, "digest": digest, "url": url}
        return self._open(RequestKind.SNAPSHOT, safe, payload, summary)

    def open_transaction(self, safe: SafeInfo, tx: SafeTx, summary: str) -> SafeRequest:
        """A Safe transaction to approve; its nonce must be the Safe's next one or later."""
        if tx.nonce < safe.nonce:
            raise InputError(f"Safe nonce {tx.nonce} is already used (the next is {safe.nonce}).")
        payload = {"to": to_checksum_address(tx.to), "data": "0x" + tx.data.hex(),
                   "value": str(tx.value), "nonce": tx.nonce}  # fmt: skip
        return self._open(RequestKind.TRANSACTION, safe, payload, summary)

    def _open(self, kind: RequestKind, safe: SafeInfo, payload: dict[str, Any],
              summary: str) -> SafeRequest:  # fmt: skip
        request_id = "0x" + _approval_hash(kind, safe, payload).hex()
        now = int(self._clock())
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO safe_requests (id, safe, chain_id, kind, summary, payload,"
                " owners, threshold, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (request_id, safe.address, safe.chain_id, kind.value, summary,
                 json.dumps(payload, separators=(",", ":")), json.dumps(list(safe.owners)),
                 safe.threshold, now, now),
            )  # fmt: skip
        return self.get(request_id)

    def add_signature(self, request_id: str, signature: bytes) -> SafeRequest:
        """Check ``signature`` is an owner's approval of the request and store it."""
        request = self.get(request_id)
        if request.status is RequestStatus.DONE:
            raise InputError("This Safe request was already sent; it needs no more signatures.")
        signed = owner_signature(bytes.fromhex(request_id[2:]), signature, request.owners)
        now = int(self._clock())
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO safe_signatures (request_id, owner, signature, added_at)"
                " VALUES (?, ?, ?, ?)",
                (request_id, signed.owner, "0x" + signed.signature.hex(), now),
            )
            count = conn.execute(
                "SELECT COUNT(*) FROM safe_signatures WHERE request_id = ?", (request_id,)
            ).fetchone()[0]
            if count >= request.threshold:
                conn.execute(
                    "UPDATE safe_requests SET status = 'ready', updated_at = ? WHERE id = ?",
                    (now, request_id),
                )
        return self.get(request_id)

    def mark_done(self, request_id: str) -> SafeRequest:
        with transaction(self._conn) as conn:
            conn.execute(
                "UPDATE safe_requests SET status = 'done', updated_at = ? WHERE id = ?",
                (int(self._clock()), request_id),
            )
        return self.get(request_id)

    def get(self, request_id: str) -> SafeRequest:
        row = self._conn.execute(
            "SELECT * FROM safe_requests WHERE id = ?", (request_id,)
        ).fetchone()
        if row is None:
            raise InputError(f"No Safe request {request_id} is stored here.")
        return self._request(row)

    def list(self, safe: str | None = None) -> list[SafeRequest]:
        rows = self._conn.execute(
            "SELECT * FROM safe_requests WHERE (? IS NULL OR safe = ?) ORDER BY created_at, id",
            (safe, safe),
        ).fetchall()
        return [self._request(row) for row in rows]

    def _request(self, row: sqlite3.Row) -> SafeRequest:
        sigs = self._conn.execute(
            "SELECT owner, signature FROM safe_signatures WHERE request_id = ? ORDER BY added_at",
            (row["id"],),
        ).fetchall()
        return SafeRequest(
            id=row["id"], safe=row["safe"], chain_id=row["chain_id"], kind=RequestKind(row["kind"]),
            summary=row["summary"], payload=json.loads(row["payload"]),
            owners=tuple(json.loads(row["owners"])), threshold=row["threshold"],
            status=RequestStatus(row["status"]),
            signatures=tuple(OwnerSignature(s["owner"], bytes.fromhex(s["signature"][2:]))
                             for s in sigs),
        )  # fmt: skip
