"""Conformance with snapshot.js itself (node, from node_modules): for every message type and every
voting type signed by govdesk, ``utils.getHash`` equals our message id, ``utils.verify`` accepts the
signature, and the types hash is in snapshot.js's hashedTypes.json. One node process for all."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.devnet.tools import node_binary
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.envelope import SignedEnvelope, sign_message
from app.snapshot.messages import (
    ProposalDraft,
    VoteRequest,
    build_alias,
    build_cancel_proposal,
    build_follow,
    build_proposal,
    build_update_proposal,
    build_vote,
)
from app.snapshot.typed_data import TypedMessage

pytestmark = pytest.mark.integration

SCRIPT = Path(__file__).resolve().parents[2] / "js" / "snapshot_conformance.js"
KEY = "0x59c6995e998f97a71a0e93a5e4d5a3f9d2a1b0a3e57a1b8c5d5d0b0c7a3f8b2c"
SESSION_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
PROPOSAL = "0x" + "3c" * 32
VOTES: list[tuple[str, Any]] = [
    ("single-choice", 2),
    ("basic", 3),
    ("approval", [1, 3]),
    ("approval", []),
    ("ranked-choice", [3, 1, 2]),
    ("copeland", [2, 3, 1]),
    ("weighted", {"1": 2, "3": 0.5}),
    ("quadratic", {"2": 1}),
]


def _messages(address: str, alias: str) -> list[TypedMessage]:
    votes = [
        build_vote(address, VoteRequest("cfm.eth", PROPOSAL, t, c, 3, reason="why: ünïcode ✓"))
        for t, c in VOTES
    ]
    draft = ProposalDraft(
        space="cfm.eth",
        voting_type="ranked-choice",
        title="[Consensus Check] Conformance",
        body="# Body\nwith markdown",
        choices=("A", "B", "C"),
        start=1_900_000_000,
        end=1_900_086_400,
        snapshot=123,
        labels=("ops", "q3"),
        discussion="https://forum.test/t/1",
    )
    return [
        *votes,
        build_proposal(address, draft),
        build_update_proposal(address, PROPOSAL, draft),
        build_cancel_proposal(address, "cfm.eth", PROPOSAL),
        build_follow(address, "cfm.eth"),
        build_follow(address, "cfm.eth", follow=False),
        build_alias(address, alias),
    ]


def _run_snapshot_js(envelopes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = subprocess.run(
        [str(node_binary()), str(SCRIPT)],
        input=json.dumps(envelopes),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answers: list[dict[str, Any]] = json.loads(result.stdout)
    return answers


async def test_every_signed_message_conforms_to_snapshot_js() -> None:
    signer = LocalKeySigner(KEY)
    messages = _messages(signer.address, LocalKeySigner(SESSION_KEY).address)
    signed: list[SignedEnvelope] = [await sign_message(signer, m) for m in messages]
    tampered = copy.deepcopy(signed[0].body())
    tampered["data"]["message"]["choice"] = 1
    answers = _run_snapshot_js([e.body() for e in signed] + [tampered])
    for envelope, answer in zip(signed, answers, strict=False):
        assert answer == {"hash": envelope.id, "typesKind": envelope.kind, "verify": True}, (
            envelope.kind
        )
    kinds = {e.kind for e in signed}
    assert kinds == {
        "vote",
        "vote-array",
        "vote-string",
        "proposal",
        "update-proposal",
        "delete-proposal",
        "follow",
        "unfollow",
        "alias",
    }
    assert answers[-1]["verify"] is not True
    assert answers[-1]["hash"] != signed[0].id
