"""Journeys that assert what a person sees, with real widgets (offscreen Qt).

The devnet-bound journeys (seeded board, on-chain vote) are in ``tests/ui/test_accounts_devnet``
and ``tests/integration``; these drive the same widgets with records from the core.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QGroupBox, QLabel, QPlainTextEdit, QScrollArea
from pytestqt.qtbot import QtBot

from app.governor.model import Support, VoteReceipt
from app.keys.preview import build_preview
from app.pipeline.board import Card
from app.pipeline.detail import ProposalDetail
from app.pipeline.model import CheckKind, Initiative, OffchainCheck, Phase
from app.pipeline.phases import NextAction, Status
from app.services import Services
from app.snapshot import messages
from tests.ui.test_accounts import fill_and_accept, remove_dialog
from tests.ui.test_detail_view import local_org, onchain_part
from tests.ui.test_signing import PASSWORD, wait_for
from ui.signing import Keys
from ui.views.accounts_page import AccountsPage
from ui.views.main_window import MainWindow
from ui.views.proposal_detail_view import SIDE_MIN_WIDTH, ProposalDetailView
from ui.views.signing_dialog import SigningDialog

pytestmark = pytest.mark.gui


def _detail(qtbot: QtBot, services: Services, part: object) -> ProposalDetailView:
    view = ProposalDetailView(services, local_org(), "x", account="0x" + "ab" * 20)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.status.text() != "Loading…", timeout=15_000)
    view.set_detail(ProposalDetail(Initiative("i1", "Pay"), (), part))  # type: ignore[arg-type]
    return view


def test_open_a_proposal_at_the_default_size_shows_its_vote_button(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    view = _detail(qtbot, services, onchain_part(int(time.time())))
    (panel,) = view.panels
    qtbot.waitUntil(lambda: panel.vote_button.isVisible(), timeout=5000)
    assert view.side.width() >= SIDE_MIN_WIDTH
    assert (
        view.side.horizontalScrollBar().isHidden()
        or not view.side.horizontalScrollBar().isVisible()
    )
    button = panel.vote_button
    viewport = view.side.viewport()
    top_left = button.mapTo(viewport, button.rect().topLeft())
    assert view.side.verticalScrollBar().value() == 0  # as opened: nothing scrolled
    assert top_left.x() >= 0
    assert top_left.x() + button.width() <= viewport.width()
    assert top_left.y() >= 0
    assert top_left.y() + button.height() <= viewport.height()  # visible without scrolling


def test_after_voting_on_chain_the_panel_says_so_and_vote_is_disabled(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    part = onchain_part(int(time.time()))
    status = dataclasses.replace(
        part.proposal.status, receipt=VoteReceipt(True, Support.FOR, 5 * 10**18)
    )
    voted = dataclasses.replace(part, proposal=dataclasses.replace(part.proposal, status=status))
    view = _detail(qtbot, services, voted)
    (panel,) = view.panels
    assert not panel.voted_label.isHidden()
    assert panel.voted_label.text().startswith("You voted For.")
    assert not panel.vote_button.isEnabled()
    panel.group.button(int(Support.AGAINST)).setChecked(True)
    assert not panel.vote_button.isEnabled()  # a Governor vote is final


def test_publishing_a_temperature_check_previews_without_danger(qtbot: QtBot) -> None:
    now = int(time.time())
    draft = messages.ProposalDraft(
        "alpha.govdesk.eth", "single-choice", "[Temperature Check] Lower the fee",
        "Why.\n\n<!-- govdesk:initiative=abc -->", ("For", "Against"), now, now + 86400, 12,
    )  # fmt: skip
    typed = messages.build_proposal("0x" + "ab" * 20, draft, timestamp=now).full_typed_data()
    preview = build_preview(typed, expected_chain_id=31337, network_name="govdesk devnet")
    dialog = SigningDialog(preview)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert not any(t.startswith("DANGER") for t in texts)
    assert not dialog.understand.isVisibleTo(dialog)
    assert dialog.sign_button.isEnabled()
    boxes = [box.toPlainText() for box in dialog.findChildren(QPlainTextEdit)]
    shown = [text.replace("\u200b", "") for text in texts + boxes]  # wraps at zero-width spaces
    assert draft.body in shown  # the whole body, reference footer included
    dialog.show()
    assert dialog.width() <= 700
    body = dialog.findChild(QScrollArea, "signing-body")
    assert body is not None
    assert not body.horizontalScrollBar().isVisible()


def test_an_unknown_call_is_the_one_dangerous_preview_and_fits_the_window(qtbot: QtBot) -> None:
    tx = {"chainId": 31337, "nonce": 1, "to": "0x" + "55" * 20, "data": "0x" + "ab" * 600,
          "gas": 21000, "maxFeePerGas": 10**9}  # fmt: skip
    dialog = SigningDialog(build_preview(tx, expected_chain_id=31337, network_name="devnet"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.preview.dangerous
    assert dialog.width() <= 700  # was 1,216 px with the calldata on one line
    assert dialog.preview.field("max fee") == "0.000021 ETH"


def test_new_key_then_backup_then_remove(
    qtbot: QtBot, qloop: object, services: Services, tmp_path: Path
) -> None:
    keys = Keys.over(services.account_manager())
    page = AccountsPage(keys, actions=services.actions)
    qtbot.addWidget(page)
    page.show()
    assert page.empty.isVisible()  # guidance on the empty list
    page.on_create()
    fill_and_accept(page, label="Fresh", password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: page.active_form is not None and
                    page.active_form.windowTitle() == "Back up your new key", timeout=10_000)  # fmt: skip
    backup = tmp_path / "fresh.json"
    fill_and_accept(page, current=PASSWORD, file=str(backup), password="backup-pass-1",
                    repeat="backup-pass-1")  # fmt: skip
    qtbot.waitUntil(backup.exists, timeout=10_000)
    qtbot.waitUntil(lambda: str(backup) in page.status.text(), timeout=10_000)
    page.select(page.model.account(0).address)
    dialog = remove_dialog(qtbot, page)
    assert dialog.cancel_button.isDefault()
    assert not dialog.warning.isVisibleTo(dialog)  # backed up: no loss warning
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=10_000)


def test_removing_a_key_never_backed_up_warns(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    keys = Keys.over(services.account_manager())
    page = AccountsPage(keys, actions=services.actions)
    qtbot.addWidget(page)
    page.on_create()
    fill_and_accept(page, label="Unsaved", password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: page.active_form is not None and
                    page.active_form.windowTitle() == "Back up your new key", timeout=10_000)  # fmt: skip
    page.active_form.reject()  # skipped the backup
    page.select(page.model.account(0).address)
    dialog = remove_dialog(qtbot, page)
    assert dialog.warning.isVisibleTo(dialog)
    assert "never backed up" in dialog.warning.text()
    dialog.reject()
    assert page.model.rowCount() == 1


def test_at_1024_by_700_no_column_scrolls_sideways(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    long = "A very long initiative title that would not fit in a narrow column at all " * 2
    cards = [
        Card(f"i{n}", long, phase, Status.VOTING, None, NextAction.NONE, False, False, "")
        for n, phase in enumerate(Phase)
    ]
    window.board.set_cards(cards)
    qtbot.wait(50)
    for column in window.board.columns.values():
        assert not column.list.horizontalScrollBar().isVisible()
        assert column.list.viewport().width() <= column.width()


def test_offline_the_detail_view_shows_what_was_saved(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    now = int(time.time())
    check = OffchainCheck("0xtc", CheckKind.TEMPERATURE, "single-choice", ("Yes", "No"),
                          now - 60, now + 3600, scores=(3.0, 1.0), scores_total=4.0)  # fmt: skip
    view = ProposalDetailView(services, local_org(), "x")
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.status.text() != "Loading…", timeout=15_000)
    problem = ("Snapshot: the hub cannot be reached.",)
    view.set_detail(ProposalDetail(Initiative("i1", "Lower the fee", temperature=check),
                                   (), None, problem))  # fmt: skip
    saved = view.findChild(QGroupBox, "section-saved-temperature")
    assert saved is not None
    assert "saved earlier" in saved.title()
    assert view.findChild(QGroupBox, "section-draft") is None  # not offered "create a check"
    assert view.status.text() == problem[0]


def test_a_draft_is_advanced_edited_and_deleted_from_its_detail_view(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from ui.views.advance_dialog import AdvanceDialog
    from ui.views.idea_dialog import IdeaDialog

    services.orgs.save(local_org())
    draft = services.drafts.create("local", "Lower the fee", "Because.")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.reload_orgs(select="local")
    card = Card(draft.initiative_id, draft.title, Phase.IDEATE, Status.DRAFT, None,
                NextAction.CREATE_TEMPERATURE_CHECK, True, False, "")  # fmt: skip
    view = window.open_detail(card)
    assert view is not None
    qtbot.waitUntil(lambda: view.detail is not None, timeout=15_000)
    advance = view.findChild(QPushButton, "detail-advance")
    assert advance is not None
    assert advance.text() == "Create temperature check…"
    advance.click()  # visible, not only behind a right-click
    qtbot.waitUntil(lambda: bool(window.findChildren(AdvanceDialog)), timeout=10_000)
    assert window.findChildren(AdvanceDialog)[0].title.text() == "[Temperature Check] Lower the fee"
    window.findChildren(AdvanceDialog)[0].reject()

    view.findChild(QPushButton, "detail-edit").click()
    edit = wait_for(qtbot, IdeaDialog)
    assert edit.title.text() == "Lower the fee"
    edit.title.setText("Lower the fee to 8%")
    edit.accept()
    qtbot.waitUntil(lambda: services.drafts.get(draft.initiative_id).title == "Lower the fee to 8%",
                    timeout=10_000)  # fmt: skip
    view.findChild(QPushButton, "detail-delete").click()
    box = wait_for(qtbot, QMessageBox)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    next(b for b in box.buttons() if b.text() == "Delete").click()
    qtbot.waitUntil(lambda: not services.drafts.list("local"), timeout=10_000)


def test_the_detail_splitter_is_remembered(qtbot: QtBot, qloop: object, services: Services) -> None:
    first = _detail(qtbot, services, onchain_part(int(time.time())))
    first.splitter.setSizes([300, 700])
    first.splitter.splitterMoved.emit(300, 1)
    wanted = first.splitter.sizes()
    again = _detail(qtbot, services, onchain_part(int(time.time())))
    assert again.splitter.sizes() == wanted
