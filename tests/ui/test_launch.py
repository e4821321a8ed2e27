"""Launching the window: a clear message without a display; the built-in devnet on first run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pytestqt.qtbot import QtBot

from app.services import Services
from ui.devnet_session import DevnetSession
from ui.views.main_window import MainWindow


def test_no_display_gives_a_message_not_a_traceback() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    result = subprocess.run(
        [sys.executable, "-c", "from ui.launcher import main; raise SystemExit(main(['gui']))"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "no display" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.integration
@pytest.mark.gui
def test_first_run_starts_the_devnet_and_selects_its_alpha_org(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    session = DevnetSession()
    try:
        window.start_devnet(session)
        qtbot.waitUntil(lambda: window.org_box.currentData() == "devnet-alpha", timeout=30_000)
        slugs = {window.org_box.itemData(i) for i in range(window.org_box.count())}
        assert {"devnet-alpha", "devnet-bravo", "devnet-oz", "braintrust"} <= slugs
        org = window.current_org()
        assert org is not None
        assert session.devnet is not None
        assert org.network.rpc_urls == (session.devnet.rpc_url,)
        assert org.governor == session.devnet.stack("alpha")["governor"]
    finally:
        session.stop()
    assert session.devnet is None


def test_devnet_is_offered_only_where_its_tools_exist(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from ui.desktop import devnet_available

    assert devnet_available()  # this checkout has node_modules with anvil
    monkeypatch.setenv("GOVDESK_NODE_MODULES", str(tmp_path))  # an empty folder: no anvil
    monkeypatch.delenv("GOVDESK_ANVIL", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert not devnet_available()
    monkeypatch.delenv("GOVDESK_NODE_MODULES")
    monkeypatch.setattr("sys.frozen", True, raising=False)  # an installed bundle
    assert not devnet_available()
