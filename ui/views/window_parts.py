"""WindowParts: what the main window's role mixins share (its widgets, the chosen organisation and
account, keys built on first use), so each role lives in its own module:

- ``window_toolbar``: the toolbar (organisation switcher, filters, search, accounts), menus and
  keyboard shortcuts;
- ``board_refresh``: showing the board from the store, then refreshing it from the network;
- ``window_dialogs``: opening the detail view, the accounts, delegates, Safes and other windows;
- ``devnet_controls``: starting and resetting the built-in devnet.

``main_window.MainWindow`` builds the parts and combines the roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QButtonGroup, QComboBox, QLabel, QLineEdit, QMainWindow

from app.orgs import Organisation
from app.pipeline.model import AccountContext
from app.services import Services
from ui.devnet_session import DevnetSession
from ui.notifier import Notifier
from ui.views.account_selector import AccountsDialog, AccountSelector
from ui.views.board_view import BoardView
from ui.views.outbox_view import OutboxControls, OutboxIndicator
from ui.widgets.banner import Banner
from ui.widgets.busy_bar import BusyBar

if TYPE_CHECKING:
    # Signing (eth-account) loads when first used, not at start-up (issue #20).
    from app.keys.signer_protocol import Signer
    from app.usecases.signing import PreviewHints, SignerSource
    from ui.signing import Keys


class WindowParts(QMainWindow):
    """The main window's state; ``MainWindow.__init__`` sets every attribute declared here."""

    services: Services
    account: AccountContext
    account_labels: dict[str, str]
    sign: SignerSource
    board: BoardView
    banner: Banner
    busy: BusyBar
    status: QLabel
    notifier: Notifier
    outbox: OutboxControls
    outbox_indicator: OutboxIndicator
    org_box: QComboBox
    filter_group: QButtonGroup
    search: QLineEdit
    account_selector: AccountSelector
    accounts_dialog: AccountsDialog | None
    devnet_session: DevnetSession | None
    _settings: QSettings
    _keys: Keys | None

    @property
    def keys(self) -> Keys:
        """The account manager and the unlock session, built on first use (signing, accounts)."""
        if self._keys is None:
            from ui.signing import Keys

            self._keys = Keys.over(self.services.account_manager())
        return self._keys

    def _signer_for_current_account(self, org: Organisation, hints: PreviewHints) -> Signer:
        from ui.signing import dialog_signer_source

        return dialog_signer_source(self, self.keys, lambda: self.account.address)(org, hints)

    def current_org(self) -> Organisation | None:
        slug = self.org_box.currentData()
        return self.services.orgs.get(slug) if slug else None

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    def own_names(self) -> dict[str, str]:
        """Your accounts' labels for voter lists: "Dev 0 (you)" for the current one."""
        names = dict(self.account_labels)
        if self.account.address in names:
            names[self.account.address] += " (you)"
        return names

    if TYPE_CHECKING:  # provided by BoardRefresh; declared so the other roles can call them

        def refresh(self) -> None: ...

        def reload_orgs(self, select: str | None = None) -> None: ...
