"""The outbox window and the status-bar count, against a real local hub on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.keys.signer_protocol import LocalKeySigner
from app.services import Services
from app.snapshot.envelope import SignedEnvelope, sign_message
from app.snapshot.messages import ProposalDraft, VoteRequest, build_proposal, build_vote
from app.snapshot.outbox import Outbox, OutboxEntry, OutboxStatus
from app.snapshot.sequencer import Receipt
from ui.views.main_window import MainWindow
from ui.views.outbox_view import OutboxView, status_text

pytestmark = pytest.mark.gui

SPACE = "feel.eth"
HARDHAT_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
SIGNER = LocalKeySigner(HARDHAT_0)


@pytest.fixture
def hub() -> Iterator[LocalHub]:
    space = space_from_dict({"id": SPACE, "strategies": [{"name": "fixed"}]})
    with LocalHub([space], FixedVotingPower({SIGNER.address: 10.0})) as local_hub:
        yield local_hub


async def _proposal() -> SignedEnvelope:
    now = int(time.time())
    draft = ProposalDraft(SPACE, "single-choice", "Fund the pilot", "Should we?",
                          ("For", "Against"), now - 5, now + 3600, 1)  # fmt: skip
    return await sign_message(SIGNER, build_proposal(SIGNER.address, draft))


async def _vote_on_nothing() -> SignedEnvelope:
    request = VoteRequest(SPACE, "0x" + "ab" * 32, "single-choice", 1, 2)
    return await sign_message(SIGNER, build_vote(SIGNER.address, request))


@pytest.fixture
def signed() -> tuple[SignedEnvelope, SignedEnvelope]:
    """A proposal the hub takes and a vote it refuses (no such proposal), signed before the
    qasync loop is installed (requested before ``qloop``)."""

    async def both() -> tuple[SignedEnvelope, SignedEnvelope]:
        return await _proposal(), await _vote_on_nothing()

    return asyncio.run(both())


def test_send_pending_now_delivers_to_the_hub_and_shows_each_outcome(
    signed: tuple[SignedEnvelope, SignedEnvelope],
    qtbot: QtBot,
    qloop: object,
    services: Services,
    hub: LocalHub,
) -> None:
    outbox = Outbox(services.store.conn)
    proposal, vote = signed
    outbox.add(proposal, hub.sequencer_url)
    outbox.add(vote, hub.sequencer_url)
    view = OutboxView(services.snapshot())
    qtbot.addWidget(view)
    assert view.rows() == [("pending", "not sent yet"), ("pending", "not sent yet")]
    assert view.note.text() == "2 waiting to send"
    with qtbot.waitSignal(view.changed, timeout=15_000):
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    accepted, rejected = outbox.get(proposal.id), outbox.get(vote.id)
    assert accepted.status is OutboxStatus.ACCEPTED
    assert rejected.status is OutboxStatus.REJECTED
    assert accepted.receipt is not None
    assert accepted.receipt.id == proposal.id
    assert rejected.last_error
    assert rejected.last_error == "unknown proposal"
    assert view.rows() == [
        ("sent", f"receipt {proposal.id}"),
        (
            "rejected",
            "unknown proposal — That proposal does not exist in this space (it may have"
            " been cancelled). Reload the proposal.",
        ),
    ]
    assert not view.send_button.isEnabled()
    assert hub.received == 2


def test_pending_envelopes_are_resent_at_start_and_the_count_follows(
    signed: tuple[SignedEnvelope, SignedEnvelope],
    qtbot: QtBot,
    qloop: object,
    services: Services,
    hub: LocalHub,
) -> None:
    proposal = signed[0]
    outbox = Outbox(services.store.conn)
    outbox.add(proposal, hub.sequencer_url)
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.outbox_indicator.text() == "1 waiting to send"
    assert not window.outbox_indicator.isHidden()
    window.show()  # once shown, what is pending is sent
    qtbot.waitUntil(lambda: outbox.get(proposal.id).status is OutboxStatus.ACCEPTED, timeout=15_000)
    qtbot.waitUntil(window.outbox_indicator.isHidden, timeout=5_000)
    assert hub.received == 1
    view = window.show_outbox()
    assert view.rows() == [("sent", f"receipt {proposal.id}")]


def test_status_text_for_each_state() -> None:
    base = OutboxEntry(None, "http://hub/", "http://seq/", OutboxStatus.PENDING, 0, None, None)  # type: ignore[arg-type]
    assert status_text(base) == ("pending", "not sent yet")
    tried = OutboxEntry(None, "h", "s", OutboxStatus.PENDING, 2, "connection failed", None)  # type: ignore[arg-type]
    assert status_text(tried) == ("pending", "tried 2×, will retry: connection failed")
    sent = OutboxEntry(None, "h", "s", OutboxStatus.ACCEPTED, 1, None, Receipt("0xabc"))  # type: ignore[arg-type]
    assert status_text(sent) == ("sent", "receipt 0xabc")
    refused = OutboxEntry(None, "h", "s", OutboxStatus.REJECTED, 1, "wrong timestamp", None)  # type: ignore[arg-type]
    assert status_text(refused)[0] == "rejected"
    assert status_text(refused)[1].startswith("wrong timestamp — Snapshot refused the message")


def _texts(view: OutboxView) -> list[list[str]]:
    items = (view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount()))
    return [[item.text(c) for c in range(5)] for item in items if item is not None]


@pytest.mark.parametrize(
    "damage",
    ["'{\"address\": <cut>'", "CAST(X'7b22ff22fe' AS TEXT)", "'[' || printf('%.20000c', '[')"],
    ids=["cut-json", "bad-utf8", "deep"],
)
def test_a_damaged_row_is_shown_kept_aside_and_never_blocks_the_others(
    signed: tuple[SignedEnvelope, SignedEnvelope],
    qtbot: QtBot,
    qloop: object,
    services: Services,
    hub: LocalHub,
    damage: str,
) -> None:
    proposal, vote = signed
    outbox = Outbox(services.store.conn)
    outbox.add(vote, hub.sequencer_url)
    outbox.add(proposal, hub.sequencer_url)
    # The row's JSON is garbled while SQLite's own checks still pass (finding 3).
    services.store.conn.execute(
        f"UPDATE snapshot_outbox SET envelope = {damage} WHERE id = ?",  # noqa: S608 - test data
        (vote.id,),
    )
    view = OutboxView(services.snapshot())
    qtbot.addWidget(view)
    view.show()
    good, bad = _texts(view)
    assert good[3:] == ["pending", "not sent yet"]
    assert bad[:4] == ["vote", SIGNER.address, hub.sequencer_url, "damaged"]
    assert bad[4].startswith("damaged — kept aside, not sent: ")
    assert view.note.text() == "1 waiting to send · 1 damaged, kept aside"
    assert view.send_button.isEnabled()
    with qtbot.waitSignal(view.changed, timeout=15_000):
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    assert outbox.get(proposal.id).status is OutboxStatus.ACCEPTED
    assert hub.received == 1  # the damaged one was not sent
    good, bad = _texts(view)
    assert good[3:] == ["sent", f"receipt {proposal.id}"]
    assert bad[3] == "damaged"
    assert view.note.text() == "1 message, none waiting · 1 damaged, kept aside"
    assert not view.send_button.isEnabled()
    item = view.tree.topLevelItem(1)
    assert item is not None
    assert item.toolTip(0).startswith(f"<p>message {vote.id}")
