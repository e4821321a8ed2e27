"""Start the desktop app: QApplication, the qasync loop, the services and the main window.

Where start-up time goes (``-X importtime``): Qt itself (what a bare window pays), then about a
second of imports behind the main window, most of it eth-account (py_ecc's pairing tables, via
eth-keyfile), web3 and aiohttp. So a window is shown first, before any of that is imported: the
start-up shell, at the main window's saved size and place, in the app's theme. The main window
is built on the next turn of the event loop, takes the shell's place, and shows the board from
the store at once; the network refresh follows.
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

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


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


def _report_and_quit(
    app: QApplication, shown_at: list[float], cards: int, window_at: list[float]
) -> None:
    report = {
        "shown": shown_at[0] if shown_at else None,  # the first window (the start-up shell)
        "window": window_at[0] if window_at else None,  # the main window
        "loaded": time.monotonic(),
        "cards": cards,
        "platform": app.platformName(),
        "peak_rss_kb": _peak_rss_kb(),
    }
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()
    app.quit()


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
        label = QLabel("Opening govdesk…", self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)  # drawn in the palette's quiet colour
        self.setCentralWidget(label)


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
    shell = StartupShell()
    shell.show()
    shown_at: list[float] = []
    if args.exit_when_loaded:
        QTimer.singleShot(0, lambda: shown_at.append(time.monotonic()))
    # Let the shell be exposed and painted (and its time noted) before the heavy imports below.
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        app.processEvents()
        handle: QWindow | None = shell.windowHandle()  # None until the shell is shown
        exposed = handle is not None and handle.isExposed()
        if exposed and (shown_at or not args.exit_when_loaded):
            break
    app.processEvents()
    return _run_main_window(app, args, shell, shown_at)


def _run_main_window(
    app: QApplication, args: argparse.Namespace, shell: StartupShell, shown_at: list[float]
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
        window = MainWindow(services)
        if args.exit_when_loaded:
            window_at: list[float] = []
            window.board_loaded.connect(lambda n: _report_and_quit(app, shown_at, n, window_at))
            QTimer.singleShot(0, lambda: window_at.append(time.monotonic()))
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
