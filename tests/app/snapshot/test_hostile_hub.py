"""A hostile Snapshot hub, sequencer or forum gives clear errors, never a crash (issue #22, 1)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from app.domain.retry import RetryPolicy
from app.errors import AppError, NetworkError
from app.pipeline.forum import fetch_thread_stats
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.hub_client import HubClient
from app.snapshot.sequencer import SequencerClient, SequencerRejectedError
from tests.hostile_server import DEEP, HostileServer

GOOD = {"id": "0x1", "type": "basic", "choices": ["a", "b"], "start": 1, "end": 2}
HOSTILE_BODIES: list[bytes] = [
    DEEP,
    b"[]",
    b"null",
    b'{"data": []}',
    b'{"errors": "boom"}',
    b'{"errors": [1, null]}',
    b'{"data": {"proposal": []}}',
    b'{"data": {"proposal": "x"}}',
    json.dumps({"data": {"proposal": {**GOOD, "choices": 5}}}).encode(),
    json.dumps({"data": {"proposal": {**GOOD, "choices": [{"a": 1}]}}}).encode(),
    json.dumps({"data": {"proposal": {**GOOD, "title": {"x": 1}}}}).encode(),
    json.dumps({"data": {"proposal": {**GOOD, "start": "1e999"}}}).encode(),
    json.dumps({"data": {"proposal": {**GOOD, "space": "flat"}}}).encode(),
    json.dumps({"data": {"proposal": {**GOOD, "scores": [1e400]}}}).encode(),
    b'{"data": {"proposal": {"id": 1' + b"1" * 5000 + b"}}}",
]


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=[str(i) for i in range(len(HOSTILE_BODIES))])
async def test_hostile_hub_answers_are_clear_errors(body: bytes) -> None:
    with HostileServer(body) as hub:
        async with HubClient(hub.url) as client:
            with pytest.raises(NetworkError) as info:
                await client.proposal("0x1")
    assert "hub" in info.value.user_message.lower()


LIST_BODIES = [
    b'{"data": {"proposals": 5, "votes": {}}}',
    b'{"data": {"proposals": [1], "votes": [1]}}',
    b'{"data": {"proposals": [{"id": 1}], "votes": [{"id": "v", "created": "x"}]}}',
]


@pytest.mark.parametrize("body", LIST_BODIES, ids=[str(i) for i in range(len(LIST_BODIES))])
async def test_hostile_hub_lists_are_clear_errors(body: bytes) -> None:
    with HostileServer(body) as hub:
        async with HubClient(hub.url) as client:
            with pytest.raises(NetworkError):
                await client.proposals("s.eth")
            with pytest.raises(NetworkError):
                await client.votes("0x1")


def test_snapshot_vote_against_a_deep_hub_is_a_message_not_a_crash(tmp_path: Any) -> None:
    with HostileServer(DEEP) as hub:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "snapshot",
                "vote",
                "--space",
                "s.eth",
                "--hub",
                hub.url,
                "--proposal",
                "0x1",
                "--choice",
                "1",
                "--account",
                "0x" + "11" * 20,
                "--data-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert "govdesk:" in out.stderr


def test_deep_choice_argument_is_a_message_not_a_crash(tmp_path: Any) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "snapshot",
            "vote",
            "--space",
            "s.eth",
            "--proposal",
            "0x1",
            "--choice",
            "[" * 60000 + "]" * 60000,
            "--type",
            "approval",
            "--account",
            "0x" + "11" * 20,
            "--data-dir",
            str(tmp_path),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2, out.stderr
    assert "--choice" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("status", [200, 400])
async def test_deep_sequencer_answers_are_clear(envelope: SignedEnvelope, status: int) -> None:
    def answer(_m: str, _p: str, _b: bytes) -> tuple[int, dict[str, str], bytes]:
        return status, {}, DEEP

    with HostileServer(answer=answer) as seq:
        async with SequencerClient(seq.url + "/", policy=RetryPolicy(attempts=1)) as client:
            with pytest.raises(AppError) as info:
                await client.submit(envelope)
    assert isinstance(info.value, NetworkError | SequencerRejectedError)
    assert len(info.value.user_message) < 500


async def test_deep_forum_answers_are_ignored() -> None:
    with HostileServer(DEEP) as forum:
        async with httpx.AsyncClient() as client:
            assert await fetch_thread_stats(client, f"{forum.url}/t/a-topic/12") is None


async def test_an_answer_without_the_asked_field_is_not_taken_for_none() -> None:
    with HostileServer(b'{"data": {"votes": []}}') as hub:
        async with HubClient(hub.url) as client:
            with pytest.raises(NetworkError) as info:
                await client.proposal("0x1")
    assert info.value.detail == "the answer has no 'proposal'"
    with HostileServer(b'{"data": {"proposal": null}}') as hub:
        async with HubClient(hub.url) as client:
            assert await client.proposal("0x1") is None  # the hub's "no such proposal"
