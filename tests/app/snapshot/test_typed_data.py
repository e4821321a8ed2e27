"""Typed data: golden vectors from snapshot.md §1.6, the types whitelist, and signing guards."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.devnet.tools import node_modules_dir
from app.errors import SigningError
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.envelope import SignedEnvelope, recover_signer, sign_message
from app.snapshot.messages import VoteRequest, build_follow, build_vote
from app.snapshot.typed_data import (
    DOMAIN,
    MESSAGE_TYPES,
    TypedMessage,
    hashed_types,
    types_hash,
)

HARDHAT_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
ADDRESS_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
PROPOSAL = "0x" + "11" * 32

# snapshot.md §1.3: the first 10 hex digits of each type's sha256.
HASH_PREFIXES = {
    "vote": "fb8fa9816c",
    "vote-array": "5f95ed849b",
    "vote-string": "afc5911fd9",
    "proposal": "e037b37311",
    "update-proposal": "9c66485d2c",
    "delete-proposal": "dd19ee4357",
    "follow": "65df198528",
    "unfollow": "150feb61a4",
    "alias": "1aad7825b9",
    "statement": "8ae78362e9",  # snapshot.md §1.3 (the from:address variant)
}


def _vote(voting_type: str, choice: Any) -> TypedMessage:
    request = VoteRequest("test.eth", PROPOSAL, voting_type, choice, 3, app="testapp")
    return build_vote(ADDRESS_0, request, timestamp=1700000000)


@pytest.mark.parametrize(
    ("voting_type", "choice", "digest"),
    [
        ("single-choice", 1, "0x4bb9944fc3bca255e2bb8c87b947592a5b6b5534d865cabf4226a8e6a86a8467"),
        (
            "ranked-choice",
            [2, 1, 3],
            "0x9f8bc385fd009b6ac034c66eb29ec0a81da1a50bfee0e02554e2895f1cea6007",
        ),
        (
            "weighted",
            {"1": 1, "2": 3},
            "0x13cec81ed0f47eaa2c41ba26d65b4191cc6682b78fcd2565b355268eb2110ebb",
        ),
    ],
)
def test_build_vote_typed_data_matches_snapshot_golden_vector(
    voting_type: str, choice: Any, digest: str
) -> None:
    assert _vote(voting_type, choice).digest() == digest


async def test_sign_vote_matches_golden_signature() -> None:
    envelope = await sign_message(LocalKeySigner(HARDHAT_0), _vote("single-choice", 1))
    assert envelope.sig == (
        "0xf7e4a7ff56762c1fe40f2af2a20b58ec39450fa543d11cf0a4539a80fa9e8b06"
        "752ea5b28a1f51771dcc5d59c95dfd6f32935d4d9cdda6a51f1ea702b0df5a6c1b"
    )
    assert envelope.id == "0x4bb9944fc3bca255e2bb8c87b947592a5b6b5534d865cabf4226a8e6a86a8467"
    assert envelope.address == envelope.data["message"]["from"] == ADDRESS_0
    assert envelope.data["domain"] == {"name": "snapshot", "version": "0.1.4"}
    assert recover_signer(envelope.data, envelope.sig) == ADDRESS_0


@pytest.mark.parametrize("kind", sorted(MESSAGE_TYPES))
def test_every_message_type_hashes_into_the_whitelist(kind: str) -> None:
    types = TypedMessage(kind, {}).types
    assert types_hash(types).startswith(HASH_PREFIXES[kind])
    assert hashed_types()[types_hash(types)] == kind


def test_bundled_whitelist_is_snapshot_js_copy() -> None:
    reference = node_modules_dir() / "@snapshot-labs/snapshot.js/src/sign/hashedTypes.json"
    assert hashed_types() == json.loads(reference.read_text("utf-8"))


def test_types_hash_ignores_eip712_domain() -> None:
    types = TypedMessage("vote", {}).types
    with_domain = {"EIP712Domain": [{"name": "name", "type": "string"}], **types}
    assert types_hash(with_domain) == types_hash(types)


class RecordingSigner:
    """A signer that records calls; used to prove nothing was signed."""

    def __init__(self, address: str) -> None:
        self.calls = 0
        self._address = address

    @property
    def address(self) -> str:
        return self._address

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        self.calls += 1
        return "0x" + "00" * 65

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        raise AssertionError("not used")


async def test_sign_message_refuses_types_outside_whitelist(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signer = RecordingSigner(ADDRESS_0)
    message = _vote("single-choice", 1)
    fields = [*MESSAGE_TYPES["vote"][1]]
    fields[0], fields[1] = fields[1], fields[0]  # reorder: a different hash
    monkeypatch.setitem(MESSAGE_TYPES, "vote", ("Vote", fields))
    with pytest.raises(SigningError, match="whitelist"):
        await sign_message(signer, message)
    assert signer.calls == 0


async def test_sign_message_refuses_another_sender() -> None:
    signer = RecordingSigner("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    with pytest.raises(SigningError, match="another account"):
        await sign_message(signer, _vote("single-choice", 1))
    assert signer.calls == 0


def test_lowercase_address_is_written_in_checksum_form() -> None:
    message = build_follow(ADDRESS_0.lower(), "test.eth", timestamp=1700000000)
    assert message.message["from"] == ADDRESS_0


async def test_envelope_round_trips_through_json() -> None:
    envelope = await sign_message(LocalKeySigner(HARDHAT_0), _vote("approval", [1, 3]))
    again = SignedEnvelope.from_json(envelope.to_json())
    assert again == envelope
    assert again.kind == "vote-array"
    assert set(json.loads(envelope.to_json())) == {"address", "sig", "data"}
    assert envelope.data["domain"] == DOMAIN
