"""Start the desktop app: QApplication, the qasync loop, the services and the main window."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from app.services import Services
from ui.views.main_window import MainWindow


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govdesk gui", description="Open the govdesk desktop app."
    )
    parser.add_argument("--data-dir", type=Path, help="where the local store lives")
    parser.add_argument("--config-dir", type=Path, help="where organisations are configured")
    return parser


def run(argv: Sequence[str] = ()) -> int:
    args = build_parser().parse_args(list(argv))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("govdesk")
    app.setOrganizationName("govdesk")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    with Services.open(data_dir=args.data_dir, config_dir=args.config_dir) as services:
        window = MainWindow(services)
        window.show()
        with loop:
            loop.run_until_complete(closed.wait())
    return 0
