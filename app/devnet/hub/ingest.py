"""The sequencer's ingest endpoint (``POST /``): the checks in the sequencer's order, with its
error strings and status codes, then the per-type writer.

Order (snapshot-sequencer ``ingestor.ts``): envelope format (incl. EIP-55 ``address`` and
``from``) -> size -> timestamp window -> proposal id -> domain -> types whitelist -> space id ->
space exists -> alias -> signature -> duplicate -> vote payload (metadata, choice JSON,
proposal exists) -> writer checks -> store.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from eth_utils.address import is_checksum_address

from app import jsonsafe
from app.devnet.hub.config import SpaceConfig
from app.devnet.hub.contract_signatures import ContractSignatures, NoContractWallets
from app.devnet.hub.store import HubStore
from app.devnet.hub.voting_power import VotingPowerSource
from app.devnet.hub.writers import WRITERS, RejectionError, WriteContext
from app.errors import AppError
from app.snapshot.envelope import recover_signer
from app.snapshot.typed_data import (
    DOMAIN,
    typed_data_digest,
    typed_data_from_envelope,
    whitelisted_kind,
)

MAX_BODY: Final = 100_000
PAST_WINDOW: Final = 6 * 24 * 3600
FUTURE_WINDOW: Final = 300
NO_SPACE_KINDS: Final = frozenset({"settings", "alias", "profile", "delete-space"})
ALIAS_KINDS: Final = frozenset(
    {
        "follow",
        "unfollow",
        "subscribe",
        "unsubscribe",
        "profile",
        "statement",
        "vote",
        "vote-array",
        "vote-string",
        "proposal",
        "update-proposal",
        "delete-proposal",
        "flag-proposal",
    }
)
ALIAS_DAYS: Final = 30
_SPACE_ID = re.compile(r"^[a-z0-9.\-_]{1,64}$")


@dataclass(frozen=True)
class IngestResult:
    status: int
    body: dict[str, Any]


def client_error(description: str, status: int = 400) -> IngestResult:
    return IngestResult(status, {"error": "client_error", "error_description": description})


def _envelope_ok(body: object) -> bool:
    if not isinstance(body, dict) or set(body) - {"address", "sig", "data"}:
        return False
    data, address = body.get("data"), body.get("address")
    if not isinstance(address, str) or not is_checksum_address(address):
        return False
    if not isinstance(body.get("sig"), str) or not isinstance(data, dict):
        return False
    if set(data) - {"domain", "types", "message", "primaryType"}:
        return False
    domain, types, message = data.get("domain"), data.get("types"), data.get("message")
    if not isinstance(domain, dict) or not {"name", "version"} <= set(domain):
        return False
    if not isinstance(types, dict) or not isinstance(message, dict):
        return False
    return _message_ok(message)


def _message_ok(message: Mapping[str, Any]) -> bool:
    sender, ts = message.get("from"), message.get("timestamp")
    if not isinstance(sender, str) or not is_checksum_address(sender):
        return False
    if not isinstance(ts, int | float) or isinstance(ts, bool):
        return False
    space = message.get("space")
    return space is None or (isinstance(space, str) and re.fullmatch(r"[^ ]+", space) is not None)


class Ingestor:
    """Applies the sequencer's checks to one envelope and stores what passes."""

    def __init__(
        self,
        store: HubStore,
        spaces: Mapping[str, SpaceConfig],
        power: VotingPowerSource,
        clock: Callable[[], float],
        on_vote: Callable[[str], None],
        contracts: ContractSignatures | None = None,
    ) -> None:
        self._store, self._spaces, self._power = store, spaces, power
        # Contract wallets (Safes) sign by EIP-1271, checked on the chain as snapshot.js does.
        self._contracts = contracts or NoContractWallets()
        self._clock, self._on_vote = clock, on_vote
        self.pinning_down = False

    def ingest(self, raw: bytes) -> IngestResult:
        try:
            body = jsonsafe.loads(raw, source="the envelope")  # bounded: no RecursionError
        except jsonsafe.HostileDataError:
            return client_error("wrong envelope format")
        if not _envelope_ok(body):
            return client_error("wrong envelope format")
        if len(json.dumps(body, separators=(",", ":"), ensure_ascii=False)) > MAX_BODY:
            return client_error("too large message")
        try:
            return self._checked(body)
        except RejectionError as rejection:
            return client_error(rejection.reason)
        except AppError as exc:  # the chain or the store failed: the sender may retry
            return IngestResult(
                500, {"error": "server_error", "error_description": exc.user_message}
            )

    def _checked(self, body: dict[str, Any]) -> IngestResult:
        data, message = body["data"], body["data"]["message"]
        now = int(self._clock())
        if not now - PAST_WINDOW <= message["timestamp"] <= now + FUTURE_WINDOW:
            raise RejectionError("wrong timestamp")
        if re.search(r"\s", str(message.get("proposal", ""))):
            raise RejectionError("proposal cannot contain whitespace")
        if (
            data["domain"].get("name") != DOMAIN["name"]
            or data["domain"].get("version") != DOMAIN["version"]
        ):
            raise RejectionError("wrong domain")
        kind = whitelisted_kind(data["types"])
        if kind is None:
            raise RejectionError("wrong types")
        space = self._space(kind, message)
        self._check_alias(kind, body["address"], message["from"], now)
        primary = next(k for k in data["types"] if k != "EIP712Domain")
        message_id = typed_data_digest(typed_data_from_envelope(data, primary))
        if recover_signer(data, body["sig"]) != body["address"] and not self._valid_for_contract(
            body["address"], message_id, body["sig"]
        ):
            raise RejectionError("signature validation failed")
        if self._store.has_message(message_id):
            raise RejectionError("duplicate message")
        return self._write(kind, body, message_id, space, now)

    def _valid_for_contract(self, address: str, message_id: str, sig: str) -> bool:
        try:
            signature = bytes.fromhex(str(sig).removeprefix("0x"))
        except ValueError:
            return False
        return self._contracts.is_valid(address, bytes.fromhex(message_id[2:]), signature)

    def _space(self, kind: str, message: Mapping[str, Any]) -> SpaceConfig | None:
        if kind in NO_SPACE_KINDS:
            return None
        space_id = message.get("space")
        if not isinstance(space_id, str) or not _SPACE_ID.match(space_id):
            raise RejectionError("Invalid space id")
        space = self._spaces.get(space_id)
        if space is None:
            raise RejectionError("unknown space")
        return space

    def _check_alias(self, kind: str, address: str, sender: str, now: int) -> None:
        if address == sender:
            return
        row = self._store.one(
            "SELECT created FROM aliases WHERE address = ? AND alias = ?", (sender, address)
        )
        if kind not in ALIAS_KINDS:
            raise RejectionError(f"alias not allowed for the type: {kind}")
        fresh = row is not None and row["created"] >= now - ALIAS_DAYS * 24 * 3600
        if not fresh:
            raise RejectionError("wrong alias")

    def _write(
        self, kind: str, body: dict[str, Any], message_id: str, space: SpaceConfig | None, now: int
    ) -> IngestResult:
        ipfs = (
            "bafkrei" + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:52]
        )
        ctx = WriteContext(
            store=self._store,
            space=space,
            power=self._power,
            now=now,
            body=body,
            message_id=message_id,
            ipfs=ipfs,
            kind=kind,
        )
        action = WRITERS[kind](ctx) if kind in WRITERS else None
        if action is None:
            raise RejectionError(f"{kind} messages are not supported by the local hub")
        if self.pinning_down:  # test switch: the IPFS pinning service is unreachable
            raise RejectionError("pinning failed")
        receipt = {"address": "local-hub", "receipt": _receipt(message_id, body["sig"])}
        with self._store.write() as conn:
            conn.execute(
                "INSERT INTO messages (id, ipfs, address, type, space, timestamp, sig, receipt,"
                " mci) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message_id,
                    ipfs,
                    body["address"],
                    kind,
                    space.id if space else None,
                    body["data"]["message"]["timestamp"],
                    body["sig"],
                    json.dumps(receipt),
                    self._store.next_mci(conn),
                ),
            )
            action(conn)
        if kind.startswith("vote"):
            self._on_vote(body["data"]["message"]["proposal"])
        return IngestResult(200, {"id": message_id, "ipfs": ipfs, "relayer": receipt})


def _receipt(message_id: str, sig: str) -> str:
    """A local stand-in for the relayer's receipt (the local hub holds no signing key)."""
    return "0x" + hashlib.sha256(f"{message_id}:{sig}".encode()).hexdigest()
