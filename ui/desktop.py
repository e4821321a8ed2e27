"""Start the desktop app: QApplication, the qasync loop, the services and the main window.

Where start-up time goes (``-X importtime``, issue #20): Qt itself (what a bare window pays),
asyncio and qasync, the core's records and the views; eth-account (py_ecc's pairing tables, via
eth-keyfile), eth_utils (pydantic), httpx and numpy would cost more than all of those, so the
window imports none of them. The start-up shell is painted first, at the main window's saved
size and place, in the app's theme (first pixels). The main window then takes its place with the
board from the store (``Services.saved_board``); once it is shown, ``Services.warm_up`` loads the
network and signing stack in a worker thread, and the refresh from the network follows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govdesk gui", description="Open the govdesk desktop app."
    )
    parser.add_argument("--data-dir", type=Path, help="where the local store lives")
    parser.add_argument("--config-dir", type=Path, help="where organisations are configured")
    parser.add_argument(
        "--devnet",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="start the built-in local devnet (default: when no organisation of yours is set up)",
    )
    # For benchmarks/bench_startup.py: print timings once the board is loaded, then quit.
    parser.add_argument("--exit-when-loaded", action="store_true", help=argparse.SUPPRESS)
    return parser


class StartupClock(QObject):
    """For ``--exit-when-loaded`` (benchmarks/bench_startup.py): when each stage was seen.

    ``shown`` is the first pixels (the start-up shell painted); ``board`` is the main window with
    the board's saved rows painted and the event loop turning (the window answers input);
    ``loaded`` is the network refresh's board. Times are ``time.monotonic()``; ``board_cpu`` is
    the UI thread's CPU time up to ``board`` (``time.thread_time()``), which a busy machine
    disturbs less than the wall clock.
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.marks: dict[str, float] = {}
        self._watched: dict[QObject, str] = {}
        self.saved_cards = 0

    def mark(self, stage: str) -> None:
        if stage not in self.marks:
            self.marks[stage] = time.monotonic()
            self.marks[f"{stage}_cpu"] = time.thread_time()

    def mark_painted(self, widget: QWidget, stage: str) -> None:
        """Mark ``stage`` at the first loop turn after ``widget`` is first painted."""
        self._watched[widget] = stage
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        stage = self._watched.get(watched)
        if stage is not None and event.type() == QEvent.Type.Paint:
            del self._watched[watched]
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: self.mark(stage))
        return False

    def report_and_quit(self, cards: int) -> None:
        self.mark("loaded")
        report = {
            "shown": self.marks.get("shown"),  # first pixels: the start-up shell
            "window": self.marks.get("window"),  # the main window shown
            "board": self.marks.get("board"),  # the board's saved rows painted, loop turning
            "board_cpu": self.marks.get("board_cpu"),
            "loaded": self.marks["loaded"],  # the board refreshed from the network
            "saved_cards": self.saved_cards,  # on the board at "board"
            "cards": cards,
            "platform": self.app.platformName(),
            "peak_rss_kb": _peak_rss_kb(),
        }
        sys.stdout.write(json.dumps(report) + "\n")
        sys.stdout.flush()
        self.app.quit()


def _peak_rss_kb() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def devnet_available() -> bool:
    """Whether the built-in devnet can start here: a source checkout with its npm tools.

    An installed bundle ships no anvil, so it opens on the presets instead of failing.
    """
    if getattr(sys, "frozen", False):
        return False
    from app.devnet.tools import anvil_binary
    from app.errors import ToolMissingError

    try:
        anvil_binary()
    except ToolMissingError:
        return False
    return True


def no_display_reason() -> str | None:
    """Why a window cannot open here (Linux without X11/Wayland), or None."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "There is no display to open the window on. Run govdesk from a desktop session, "
        "under `xvfb-run`, or with QT_QPA_PLATFORM=offscreen; the command line works everywhere "
        "(`govdesk --help`)."
    )


class StartupShell(QMainWindow):
    """The first window: the main window's frame, title and place, until the real one is built."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("govdesk")
        geometry = QSettings("govdesk", "govdesk").value("main_window/geometry")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(1200, 760)
        self.label = QLabel("Opening govdesk…", self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setEnabled(False)  # drawn in the palette's quiet colour
        self.setCentralWidget(self.label)


def run(argv: Sequence[str] = ()) -> int:
    args = build_parser().parse_args(list(argv))
    reason = no_display_reason()
    if reason:
        sys.stderr.write(f"govdesk: {reason}\n")
        return 2
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("govdesk")
    app.setOrganizationName("govdesk")
    from ui.theme import ThemeFollower

    ThemeFollower(app, parent=app)  # Fusion, light or dark as the OS is, following changes
    clock = StartupClock(app) if args.exit_when_loaded else None
    shell = StartupShell()
    if clock is not None:
        clock.mark_painted(shell.label, "shown")
    shell.show()
    # Let the shell be exposed and painted (and its time noted) before the imports below.
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        app.processEvents()
        handle: QWindow | None = shell.windowHandle()  # None until the shell is shown
        exposed = handle is not None and handle.isExposed()
        if exposed and (clock is None or "shown" in clock.marks):
            break
    app.processEvents()
    return _run_main_window(app, args, shell, clock)


def _run_main_window(
    app: QApplication, args: argparse.Namespace, shell: StartupShell, clock: StartupClock | None
) -> int:
    import qasync

    from app.services import Services
    from ui.devnet_session import DevnetSession
    from ui.views.main_window import MainWindow

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    session = DevnetSession()
    with Services.open(data_dir=args.data_dir, config_dir=args.config_dir) as services:
        window = MainWindow(services)  # with the board from the store: no network yet
        if clock is not None:
            _watch(clock, window)
        if not shell.isMaximized() and not shell.isFullScreen():
            window.setGeometry(shell.geometry())  # where the person may have moved the shell
        window.show()
        shell.close()
        shell.deleteLater()
        wants_devnet = args.devnet
        if wants_devnet is None:  # by default: on a first run, where the devnet's tools exist
            wants_devnet = not services.orgs.user_orgs() and devnet_available()
        if wants_devnet:
            window.start_devnet(session)
        try:
            with loop:
                loop.run_until_complete(closed.wait())
        finally:
            session.stop()
    return 0


def _watch(clock: StartupClock, window: MainWindow) -> None:
    from app.pipeline.model import Phase

    clock.saved_cards = window.board.model.rowCount()
    QTimer.singleShot(0, lambda: clock.mark("window"))
    clock.mark_painted(window.board.columns[Phase.IDEATE].list.viewport(), "board")
    window.board_loaded.connect(clock.report_and_quit)
