"""The app's feel: offline banner, busy bar with Cancel, tray notices once, keyboard shortcuts."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.orgs import Network, Organisation
from app.pipeline.model import Phase
from app.pipeline.notifications import Notice, NoticeKind
from app.services import BoardResult, Services
from ui.models.board_model import CardRole
from ui.tasks import run_task
from ui.theme import ThemeFollower, palette_for
from ui.views.main_window import MainWindow
from ui.views.outbox_view import OutboxView
from ui.views.shortcuts_dialog import ShortcutsDialog, shortcuts
from ui.widgets.banner import Banner
from ui.widgets.busy_bar import BusyBar

pytestmark = pytest.mark.gui

GOVERNOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


def _org(url: str) -> Organisation:
    return Organisation(
        "local", "Local DAO", Network(31337, "local", (url,)), "local.eth", url, governor=GOVERNOR
    )


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A 127.0.0.1 port that accepts connections and never answers: a load that hangs."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def _window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _activate(qtbot: QtBot, window: MainWindow) -> None:
    """Shortcuts go to the active window (the offscreen platform activates only on request)."""
    handle = window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2_000)


def test_banner_says_what_could_not_be_read_and_hides_when_all_was(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    services.orgs.save(_org("http://127.0.0.1:9"))  # refuses connections at once
    services.drafts.create("local", "Lower the marketplace fee")
    window = _window(qtbot, services)
    qtbot.waitUntil(window.banner.isVisible, timeout=10_000)
    text = window.banner.label.text()
    assert text.startswith("Offline: showing saved data — Snapshot: ")
    assert "Governor: " in text
    ideate = window.board.columns[Phase.IDEATE].proxy  # the saved data stays on the board
    saved = ideate.index(0, 0).data(CardRole.CARD)
    assert saved.title == "Lower the marketplace fee"
    window._on_board_loaded(BoardResult([saved], []))  # the next load read every source
    assert window.banner.isHidden()
    assert ideate.rowCount() == 1


def test_banner_alone(qtbot: QtBot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    banner.set_problems(["Snapshot: the hub did not answer"])
    assert not banner.isHidden()
    assert banner.label.text() == "Offline: showing saved data — Snapshot: the hub did not answer"
    banner.set_problems([])
    assert banner.isHidden()


def test_busy_bar_cancel_cancels_the_task(qtbot: QtBot, qloop: object) -> None:
    bar = BusyBar(delay_ms=0)
    qtbot.addWidget(bar)
    task = run_task(asyncio.sleep(60), owner=bar)
    bar.track(task, "Loading…")
    qtbot.waitUntil(bar.isVisible, timeout=2_000)
    with qtbot.waitSignal(bar.cancelled, timeout=1_000):
        qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(task.cancelled, timeout=2_000)
    assert bar.isHidden()
    bar.cancel()  # nothing left to cancel: no second signal, no error
    assert not bar.is_running()


def test_busy_bar_stays_hidden_for_a_quick_task(qtbot: QtBot, qloop: object) -> None:
    bar = BusyBar(delay_ms=200)
    qtbot.addWidget(bar)
    task = run_task(asyncio.sleep(0), owner=bar)
    bar.track(task, "Loading…")
    qtbot.waitUntil(task.done, timeout=2_000)
    qtbot.wait(300)
    assert bar.isHidden()


def test_refresh_that_hangs_shows_the_busy_bar_and_cancel_stops_it(
    qtbot: QtBot, qloop: object, services: Services, silent_server: str
) -> None:
    services.orgs.save(_org(silent_server))
    window = _window(qtbot, services)
    qtbot.waitUntil(window.busy.isVisible, timeout=5_000)
    task = window.busy.task
    assert task is not None
    assert not task.done()
    assert window.busy.label.text() == "Loading Local DAO…"
    qtbot.mouseClick(window.busy.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(task.cancelled, timeout=5_000)
    assert window.busy.isHidden()
    assert window.status.text() == "Loading cancelled."


def test_board_notices_reach_the_notifier_once(
    qtbot: QtBot, qloop: object, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    shown: list[list[Notice]] = []
    real_show = window.notifier.show
    monkeypatch.setattr(window.notifier, "show", lambda n: shown.append(real_show(n)) or [])
    ending = Notice(NoticeKind.VOTE_ENDING, "fee", "Lower the fee", 100, "Voting ends in 3 h.")
    eta = Notice(NoticeKind.ETA_REACHED, "cat", "Add a category", 50, "Can be executed.")
    window._on_board_loaded(BoardResult([], [], [ending]))
    window._on_board_loaded(BoardResult([], [], [ending, eta]))
    window._on_board_loaded(BoardResult([], [], [ending, eta]))
    assert shown == [[ending], [eta], []]


def _press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    qtbot.keyClick(window.board, key, modifiers)


def test_shortcuts_focus_the_columns_and_open_the_windows(
    qtbot: QtBot, qloop: object, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.orgs.save(_org("http://127.0.0.1:9"))
    window = _window(qtbot, services)
    _activate(qtbot, window)
    ctrl = Qt.KeyboardModifier.ControlModifier
    keys = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)
    # Right to left, so that each key moves the focus (the first column has it at start).
    for key, phase in reversed(list(zip(keys, Phase, strict=True))):
        _press(qtbot, window, key, ctrl)
        assert QApplication.focusWidget() is window.board.columns[phase].list
    _press(qtbot, window, Qt.Key.Key_O, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert isinstance(window.outbox.view, OutboxView)
    assert window.outbox.view.isVisible()
    _press(qtbot, window, Qt.Key.Key_O, ctrl)
    assert window.accounts_dialog is not None
    assert window.accounts_dialog.isVisible()
    _activate(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    dialogs = window.findChildren(ShortcutsDialog)
    assert len(dialogs) == 1
    listed = [dialogs[0].table.item(r, 1).text() for r in range(dialogs[0].table.rowCount())]
    assert listed == [does for _keys, does in shortcuts()]
    assert "Focus the Vote on-chain column" in listed


def test_window_layout_is_remembered(qtbot: QtBot, qloop: object, services: Services) -> None:
    services.orgs.save(_org("http://127.0.0.1:9"))
    window = _window(qtbot, services)
    window.resize(760, 520)
    window.close()
    again = _window(qtbot, services)
    assert (again.width(), again.height()) == (760, 520)


def test_dark_and_light_palettes_differ_where_cards_are_drawn(qapp: QApplication) -> None:
    dark, light = palette_for(Qt.ColorScheme.Dark), palette_for(Qt.ColorScheme.Light)
    role = QPalette.ColorRole
    assert dark.color(role.Base).lightness() < 80 < 200 < light.color(role.Base).lightness()
    assert dark.color(role.Text).lightness() > 180 > 80 > light.color(role.Text).lightness()
    for palette in (dark, light):  # the banner's text stays readable on its background
        gap = (
            palette.color(role.ToolTipText).lightness()
            - palette.color(role.ToolTipBase).lightness()
        )
        assert abs(gap) > 100


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[None]:
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    scheme = qapp.styleHints().colorScheme()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet("")
    assert qapp.styleHints().colorScheme() == scheme


def test_theme_uses_fusion_and_follows_the_colour_scheme(
    qapp: QApplication, restore_look: None
) -> None:
    follower = ThemeFollower(qapp)
    try:
        assert follower.base_style.lower() == "fusion"
        # The offscreen platform cannot switch schemes; send the change as the platform would.
        hints = qapp.styleHints()
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert follower.scheme is Qt.ColorScheme.Dark
        assert qapp.palette().color(QPalette.ColorRole.Base).lightness() < 80
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert follower.scheme is Qt.ColorScheme.Light
        assert qapp.palette().color(QPalette.ColorRole.Base).lightness() > 200
    finally:
        follower.deleteLater()
        qapp.styleHints().colorSchemeChanged.disconnect(follower.apply)
