"""Adding an organisation from the app: validated inline, saved, and selected on the board."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.services import Services
from ui.views.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_add_organisation_from_the_window(qtbot: QtBot, qloop: object, services: Services) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    dialog = window.add_organisation()
    dialog.slug.setText("mydao")
    dialog.name.setText("My DAO")
    dialog.chain_id.setValue(10)
    dialog.rpc_urls.setPlainText("http://127.0.0.1:9\n\nhttp://127.0.0.1:10\n")
    dialog.space.setText("mydao.eth")
    dialog.governor.setText("0x12")
    dialog._on_save_clicked()
    assert dialog.isVisible()
    assert dialog.error.text() == "The governor address “0x12” is not a valid Ethereum address."
    dialog.governor.setText("0x5fbdb2315678afecb367f032d93f642f64180aa3")
    dialog._on_save_clicked()
    assert not dialog.isVisible()
    saved = services.orgs.get("mydao")
    assert saved.governor == "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    assert saved.network.rpc_urls == ("http://127.0.0.1:9", "http://127.0.0.1:10")
    assert window.org_box.currentData() == "mydao"


def test_an_organisation_needs_an_rpc_endpoint(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    dialog = window.add_organisation()
    dialog.slug.setText("x")
    dialog.name.setText("X")
    dialog._on_save_clicked()
    assert dialog.error.text() == "Give at least one RPC endpoint."
    assert [o.slug for o in services.orgs.user_orgs()] == []
