"""The detail view: opened from a board card, and how it lays out a loaded ProposalDetail."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Mapping
from typing import Any

import pytest
from eth_utils.address import to_checksum_address
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.governor.model import (
    Action,
    GovernorFamily,
    Proposal,
    ProposalCreated,
    ProposalState,
    ProposalStatus,
    Support,
    Tally,
)
from app.orgs import Network, Organisation
from app.pipeline.board import Card
from app.pipeline.detail import (
    OffchainDetail,
    OnchainDetail,
    PowerFacts,
    ProposalDetail,
)
from app.pipeline.model import (
    CheckKind,
    Initiative,
    OffchainCheck,
    OnchainProposal,
    OnchainState,
    Phase,
)
from app.pipeline.phases import NextAction, Status
from app.services import Services
from app.snapshot.records import Proposal as SnapshotProposal
from app.snapshot.records import Vote
from ui.views.main_window import MainWindow
from ui.views.proposal_detail_view import ProposalDetailView
from ui.widgets.result_bars import ResultBars
from ui.widgets.vote_panels import OnchainPanel, RankedPanel

pytestmark = pytest.mark.gui
CLOSED = "http://127.0.0.1:9"
ME = "0x" + "ab" * 20
TOKEN = "0x" + "11" * 20


def local_org() -> Organisation:
    return Organisation("local", "Local DAO", Network(31337, "local", (CLOSED,)), "local.eth",
                        CLOSED, governor="0x5FbDB2315678afecb367f032d93F642f64180aa3")  # fmt: skip


def test_activating_a_card_opens_its_detail(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    services.orgs.save(local_org())
    draft = services.drafts.create("local", "Lower the fee", "The fee is *too* high.")
    window = MainWindow(services)
    qtbot.addWidget(window)
    card = Card(draft.initiative_id, draft.title, Phase.IDEATE, Status.DRAFT, None,
                NextAction.NONE, True, False, "")  # fmt: skip
    window.board.card_activated.emit(card)
    view = window.findChild(ProposalDetailView)
    assert isinstance(view, ProposalDetailView)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=15_000)
    assert view.body.toPlainText().strip() == "The fee is too high."
    assert "Lower the fee" in view.title.text()
    assert view.status.text().startswith("Governor: ")  # the RPC is closed: said plainly
    assert view.panels == []
    assert not view.verify_button.isEnabled()


def snapshot_part(now: int) -> OffchainDetail:
    proposal = SnapshotProposal("0x" + "cc" * 32, "local.eth", ME, "ranked-choice", "Fee level",
                                "Pick a fee", ("5%", "8%", "10%"), now - 60, now + 3600, 1,
                                "active", now - 60, (30.0, 10.0, 0.0), 40.0, "final", 2, "")  # fmt: skip
    votes = (
        Vote("v1", ME, now, proposal.id, [1, 2, 3], "", "", 30.0, (30.0,), "final"),
        Vote("v2", TOKEN, now, proposal.id, [2, 1, 3], "", "", 10.0, (10.0,), "final"),
    )
    return OffchainDetail(CheckKind.CONSENSUS, proposal, votes, 100.0, PowerFacts(ME, 0.0, ME, 0))


def onchain_part(now: int) -> OnchainDetail:
    created = ProposalCreated(7, ME, (TOKEN,), (0,), ("",), (b"",), 1, 2, "# Pay", 1, "0x")
    status = ProposalStatus(7, ProposalState.ACTIVE, Tally(10**18, 3 * 10**18, 0), 1, 2, 0,
                            4 * 10**18, now + 600, None, 5 * 10**18)  # fmt: skip
    transfer = Action(TOKEN, 0, "", b"\xa9\x05\x9c\xbb", "transfer(address to,uint256 amount)",
                      (("to", ME), ("amount", "5")))  # fmt: skip
    return OnchainDetail(Proposal(created, status, (transfer,)), GovernorFamily.OZ_V5,
                         "support=bravo&quorum=for,abstain", (Support.AGAINST, Support.FOR,
                         Support.ABSTAIN), now - 10, now + 600, 18, "TKN",
                         PowerFacts(ME, 5.0 * 10**18))  # fmt: skip


def test_detail_lays_out_results_panels_voters_and_warnings(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    services.orgs.save(local_org())
    view = ProposalDetailView(services, local_org(), "nothing-here", account=ME)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.status.text() != "Loading…", timeout=15_000)
    assert "no longer in the organisation's list" in view.status.text()
    now = int(time.time())
    consensus_check = OffchainCheck("0x" + "cc" * 32, CheckKind.CONSENSUS, "ranked-choice",
                                    ("5%", "8%", "10%"), now - 60, now + 3600)  # fmt: skip
    vote_open = OnchainProposal(7, OnchainState.ACTIVE, now - 10, now + 600)
    initiative = Initiative("i1", "Fee level", "Body **text**", consensus=consensus_check,
                            onchain=vote_open)  # fmt: skip
    view.set_detail(ProposalDetail(initiative, (snapshot_part(now),), onchain_part(now)))
    consensus = view.sections.findChild(object, "section-consensus")
    bars = consensus.findChildren(ResultBars)[0]  # type: ignore[union-attr]
    assert bars.rows() == [("5%", "75.0%", "30"), ("8%", "25.0%", "10"), ("10%", "0.0%", "0")]
    ranked, chain = view.panels
    assert isinstance(ranked, RankedPanel)
    assert not ranked.vote_button.isEnabled()  # no power ...
    assert "holds no tokens" in ranked.power_note.text()  # ... and why
    assert isinstance(chain, OnchainPanel)
    assert not chain.reason.isHidden()
    assert [b.text() for b in chain.group.buttons()] == ["For", "Against", "Abstain"]
    onchain = view.sections.findChild(object, "section-onchain")
    onchain_bars = onchain.findChildren(ResultBars)[0]  # type: ignore[union-attr]
    assert onchain_bars.rows()[:2] == [("For", "75.0%", "3"), ("Against", "25.0%", "1")]
    texts = " ".join(label.text() for label in onchain.findChildren(type(view.status)))  # type: ignore[union-attr]
    assert "transfer on token" in texts
    assert "Quorum not reached: 3 / 4 (75%)" in texts
    view.voters_part.setCurrentIndex(0)  # the consensus check (the on-chain vote is last)
    assert [view.voters_model.index(r, 1).data() for r in range(2)] == ["5% > 8% > 10%",
                                                                       "8% > 5% > 10%"]  # fmt: skip
    assert view.voters_proxy.index(0, 0).data() == ME  # largest power first
    assert view.verify_button.isEnabled()
    steps = [label.objectName() for label in view.timeline.labels]
    assert steps == ["step-ideate-done", "step-offchain-done", "step-onchain-current",
                     "step-execute-upcoming"]  # fmt: skip
    assert view.body.toPlainText().strip() == "Body text"


def test_a_vote_waiting_for_its_signature_can_be_cancelled(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    asked: list[Mapping[str, Any]] = []

    class NeverSigns:
        address = to_checksum_address(ME)

        async def sign_typed_data(self, _typed: dict[str, Any]) -> str:
            await asyncio.Event().wait()
            return "0x"

        async def sign_transaction(self, _tx: dict[str, Any]) -> bytes:
            raise AssertionError("no transaction here")

    def never_signs(_org: Any, hints: Any) -> NeverSigns:
        asked.append(hints.context)
        return NeverSigns()

    view = ProposalDetailView(services, local_org(), "x", account=ME, sign=never_signs)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.status.text() != "Loading…", timeout=15_000)
    now = int(time.time())
    part = dataclasses.replace(snapshot_part(now), power=PowerFacts(ME, 30.0))
    view.set_detail(ProposalDetail(Initiative("i1", "Fee level"), (part,)))
    (panel,) = view.panels
    assert panel.vote_button.isEnabled()
    qtbot.mouseClick(panel.vote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0]["choices"] == ["5%", "8%", "10%"]  # the preview gets the proposal's words
    assert not view.cancel_button.isHidden()
    assert not panel.isEnabled()
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert view.status.text() == "Vote cancelled."
    assert view.cancel_button.isHidden()
    assert panel.isEnabled()
