"""MainWindow: organisation switcher, filters and search over the four-column pipeline board.

The window combines its roles, each in its own module: the toolbar and menus
(``window_toolbar``, ``window_menus``), the board's refresh (``board_refresh``), the windows it
opens (``window_dialogs``) and the built-in devnet (``devnet_controls``); ``window_parts`` holds
what they share.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.keys.metadata import AccountInfo
from app.pipeline.model import AccountContext
from app.services import Services
from ui.notifier import Notifier
from ui.tasks import run_task
from ui.views.about_dialog import app_icon
from ui.views.advance_dialog import install_next_step_menu
from ui.views.board_refresh import BoardRefresh
from ui.views.board_view import BoardView
from ui.views.devnet_controls import DevnetControls
from ui.views.outbox_view import OutboxControls
from ui.views.window_dialogs import WindowDialogs
from ui.views.window_menus import install_menus, install_shortcuts
from ui.views.window_toolbar import build_toolbar
from ui.widgets.banner import Banner
from ui.widgets.busy_bar import BusyBar


class MainWindow(BoardRefresh, WindowDialogs, DevnetControls):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.account = AccountContext(None)
        self._forum_read = set()
        self._shown_org = None
        self._keys = None
        self.accounts_dialog = None
        self.devnet_session = None
        self.account_labels = {}
        self._resent_at_start = False
        self._settings = QSettings("govdesk", "govdesk")
        self.setWindowTitle("govdesk")
        self.setWindowIcon(app_icon())
        self.board = BoardView(services.clock, self)
        self.setCentralWidget(self._build_centre())
        self.board.card_activated.connect(self.open_detail)
        install_next_step_menu(self)  # a card's "Next step…" opens its create / propose dialog
        # Every use case signs through the signing dialog (ui.signing) as the chosen account.
        self.sign = self._signer_for_current_account
        build_toolbar(self)
        install_menus(self)
        self._build_status_bar()
        install_shortcuts(self)
        self._restore_layout()
        # Countdowns on the cards move; repaint them once a minute.
        self._tick = QTimer(self)
        self._tick.timeout.connect(self.board.repaint_cards)
        self._tick.start(60_000)
        self.reload_orgs()

    def _build_centre(self) -> QWidget:
        """The offline banner and the busy bar above the board."""
        centre = QWidget(self)
        self.banner = Banner(centre)
        self.busy = BusyBar(centre)
        self.busy.cancelled.connect(lambda: self.status.setText("Loading cancelled."))
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for widget in (self.banner, self.busy, self.board):
            layout.addWidget(widget)
        return centre

    def _build_status_bar(self) -> None:
        """The status line, the outbox indicator, and the notifier for deadlines and results."""
        self.status = QLabel(self)
        self.statusBar().addWidget(self.status)
        self.outbox = OutboxControls(self.services.snapshot(), self, self.show_error)
        self.outbox_indicator = self.outbox.indicator
        self.statusBar().addPermanentWidget(self.outbox_indicator)
        self.notifier = Notifier(self, icon=app_icon())

    def _restore_layout(self) -> None:
        geometry = self._settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        state = self._settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _on_first_accounts(self, accounts: list[AccountInfo]) -> None:
        self.account_labels = {a.address: a.label for a in accounts}
        self.account_selector.set_accounts(
            accounts, keep=str(self._settings.value("main_window/account", ""))
        )

    def _on_account_changed(self, address: str) -> None:
        self._settings.setValue("main_window/account", address)
        self.account = AccountContext(address or None)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._resent_at_start:  # what was signed but never acknowledged is sent again
            self._resent_at_start = True
            # The network and signing stack loads in a worker thread now that the window is up,
            # so no click waits for it (issue #20); the board's refresh awaits the same load.
            run_task(self.services.warm_up(), owner=self, on_error=self.show_error)
            QTimer.singleShot(0, self.outbox.resend)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("main_window/geometry", self.saveGeometry())
        self._settings.setValue("main_window/state", self.saveState())
        super().closeEvent(event)
