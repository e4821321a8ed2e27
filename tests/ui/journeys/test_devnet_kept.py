"""First run: the built-in devnet starts seeded, is kept between launches, and "Reset devnet"
starts it again from the seeded board (real anvil, real hub, the window's session)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.devnet.seed import IDEAS, ONCHAIN, TEMPERATURE
from app.services import Services
from tests.ui.test_signing import run
from ui.devnet_session import DevnetSession
from ui.views.main_window import MainWindow

pytestmark = pytest.mark.gui


def _titles(qtbot: QtBot, window: MainWindow) -> list[str]:
    org = window.services.orgs.get("devnet-alpha")
    found = run(qtbot, window.services.initiatives(org), window)
    return sorted(i.title for i in found.initiatives)


def _run_long(qtbot: QtBot, coro: object, window: MainWindow) -> object:
    from ui.tasks import run_task

    box: dict[str, object] = {}
    run_task(coro, owner=window, on_done=lambda v: box.setdefault("value", v),  # type: ignore[arg-type]
             on_error=lambda m: box.setdefault("error", m))  # fmt: skip
    qtbot.waitUntil(lambda: bool(box), timeout=120_000)
    assert "error" not in box, box
    return box["value"]


def test_the_devnet_is_seeded_kept_between_launches_and_reset(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    session = DevnetSession()
    session.services = services
    try:
        orgs = _run_long(qtbot, session.start(), window)
        services.orgs.add_presets(orgs)  # type: ignore[arg-type]
        assert session.devnet is not None
        assert not session.devnet.resumed
        first = _titles(qtbot, window)
        for title in (IDEAS[0][0], IDEAS[1][0], ONCHAIN[0]):
            assert title in first
        assert any(TEMPERATURE[0] in t for t in first)
        block = session.devnet.control.block_number()
        qtbot.wait(2500)  # blocks are mined on an interval: countdowns move
        assert session.devnet.control.block_number() > block
        session.stop()

        orgs = _run_long(qtbot, session.start(), window)  # a relaunch
        services.orgs.add_presets(orgs)  # type: ignore[arg-type]
        assert session.devnet is not None
        assert session.devnet.resumed
        assert _titles(qtbot, window) == first  # the same board: nothing wiped, nothing doubled

        orgs = _run_long(qtbot, session.reset(), window)
        services.orgs.add_presets(orgs)  # type: ignore[arg-type]
        assert session.devnet is not None
        assert not session.devnet.resumed
        assert _titles(qtbot, window) == first  # seeded again, drafts reused by title
    finally:
        session.stop()
