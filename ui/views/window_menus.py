"""The main window's menus (View, Help; Appearance comes from ``ui.theme.chrome``) and its
keyboard shortcuts: find, a board column each, accounts, outbox and the shortcuts sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from ui.theme.chrome import install_appearance_menu
from ui.views.shortcuts_dialog import ACCOUNTS, FOCUS_COLUMNS, HELP, OUTBOX

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow


def install_menus(window: MainWindow) -> None:
    view = window.menuBar().addMenu("&View")
    outbox = view.addAction("Outbox…", window.show_outbox)
    outbox.setObjectName("action-outbox")
    view.addAction("Delegates…", window.show_delegates).setObjectName("action-delegates")
    view.addAction("Safes…", window.show_safes).setObjectName("action-safes")
    window.reset_devnet_action = view.addAction("Reset devnet…", window.reset_devnet)
    window.reset_devnet_action.setObjectName("action-reset-devnet")
    window.reset_devnet_action.setEnabled(False)
    install_appearance_menu(window)
    about = QAction("About govdesk", window)
    about.setObjectName("action-about")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(window.show_about)
    window.menuBar().addMenu("&Help").addAction(about)


def install_shortcuts(window: MainWindow) -> None:
    bindings: list[tuple[Any, Any]] = [
        (keys, lambda _c=False, p=phase: window.focus_column(p))
        for keys, phase in zip(FOCUS_COLUMNS, window.board.columns, strict=True)
    ]
    bindings += [(ACCOUNTS, window.show_accounts), (OUTBOX, window.show_outbox),
                 (HELP, window.show_shortcuts),
                 (QKeySequence.StandardKey.Find, lambda: window.search.setFocus())]  # fmt: skip
    for keys, slot in bindings:
        action = QAction(window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        window.addAction(action)
