"""Shared fixtures for Snapshot unit tests: a signed vote envelope from a public test key."""

from __future__ import annotations

import pytest

from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.envelope import SignedEnvelope, sign_message
from app.snapshot.messages import VoteRequest, build_vote

HARDHAT_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"


@pytest.fixture
async def envelope() -> SignedEnvelope:
    signer = LocalKeySigner(HARDHAT_0)
    request = VoteRequest("test.eth", "0x" + "11" * 32, "single-choice", 1, 2)
    return await sign_message(signer, build_vote(signer.address, request, timestamp=1700000000))
