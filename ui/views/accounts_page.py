"""AccountsPage: list, create, import, watch, export, rename, remove, lock and delegate.

Every action opens a small form (``account_forms``) without blocking, then calls the
``AccountManager`` through ``run_task``. Delegation signs through ``DialogSigner``, so the person
sees the transaction preview first. A missing OS keyring is a banner, not a failure.

The page combines its parts, each in its own module: the list, banner and form runner
(``accounts_list``), adding accounts (``account_adding``) and acting on the selected one
(``account_keeping``); the delegation box is ``delegation_box``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.keys.metadata import AccountInfo
from app.orgs import Organisation
from app.usecases import UseCases
from app.usecases.accounts import Balances, is_devnet
from app.usecases.signing import SignerSource
from ui.models.account_list_model import AccountListModel
from ui.signing import Keys, dialog_signer_source
from ui.tasks import run_task
from ui.theme import Tone, set_tone
from ui.views.account_adding import AddingActions
from ui.views.account_keeping import KeepingActions
from ui.views.accounts_look import install_accounts_look
from ui.views.delegation_box import DelegationBox

LOCK_REFRESH_MS = 15_000


class AccountsPage(AddingActions, KeepingActions):
    def __init__(
        self,
        keys: Keys,
        current_org: Callable[[], Organisation | None] = lambda: None,
        parent: QWidget | None = None,
        *,
        actions: UseCases | None = None,
    ) -> None:
        super().__init__(parent)
        self.keys = keys
        self.usecases = actions  # None: no chain actions (delegation, balances, backups)
        self.current_org = current_org
        self.model = AccountListModel(self)
        self.active_form = None
        layout = QVBoxLayout(self)
        self.banner = _label(self, "keyring-banner")
        set_tone(self.banner, "banner", Tone.DANGER)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.empty = _label(self, "accounts-empty", "No accounts yet. Create a new key, import one "
                            "you have, or pick a ready-made devnet account below.")  # fmt: skip
        layout.addWidget(self.empty)
        self.table = self._build_table()
        layout.addWidget(self.table)
        layout.addWidget(self._actions())
        self.status = _label(self, "accounts-status")
        layout.addWidget(self.status)
        self.balances = _label(self, "accounts-balances")
        layout.addWidget(self.balances)
        self.delegation = self._build_delegation(actions)
        if self.delegation is not None:
            layout.addWidget(self.delegation)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_selected())
        self.refresh()
        self.check_keyring()
        # Keys lock themselves after the idle timeout; keep the Status column honest.
        self._lock_tick = QTimer(self)
        self._lock_tick.timeout.connect(self.update_lock_state)
        self._lock_tick.start(LOCK_REFRESH_MS)

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("accounts-table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        install_accounts_look(table)  # cards: blockie, label, kind and lock icons
        return table

    def _build_delegation(self, actions: UseCases | None) -> DelegationBox | None:
        if actions is None:
            return None
        return DelegationBox(self, actions.onchain, self._signer_for, self.current_org,
                             self.selected, actions.delegation)  # fmt: skip

    def _actions(self) -> QGroupBox:
        box = QGroupBox("Accounts", self)
        grid = QGridLayout(box)
        actions: list[tuple[str, Callable[[], None]]] = [
            ("New account…", self.on_create),
            ("Import private key…", self.on_import_key),
            ("Import recovery phrase…", self.on_import_mnemonic),
            ("Import keystore file…", self.on_import_keystore),
            ("Watch an address…", self.on_watch),
            ("Add a hardware wallet account…", self.on_hardware),
            ("Export keystore…", self.on_export),
            ("Rename…", self.on_rename),
            ("Remove…", self.on_remove),
            ("Unlock…", self.on_unlock),
            ("Lock", self.on_lock),
            ("Add devnet account…", self.on_dev_account),
        ]
        self.buttons = {}
        for n, (text, slot) in enumerate(actions):
            button = QPushButton(text, box)
            button.clicked.connect(slot)
            grid.addWidget(button, n // 5, n % 5)
            self.buttons[text.rstrip("…")] = button
        return box

    def _signer_for(self, address: str) -> SignerSource:
        return dialog_signer_source(self.window(), self.keys, lambda: address)

    def _on_selected(self) -> None:
        if self.delegation is not None:
            self.delegation.reload()
        self.show_balances()

    def show_balances(self) -> None:
        """ETH (for fees) and the organisation's token, for the selected account."""
        org, info = self.current_org(), self.selected()
        self.buttons["Add devnet account"].setVisible(org is not None and is_devnet(org))
        if self.usecases is None or org is None or info is None or not org.network.rpc_urls:
            self.balances.setText("")
            return
        self.balances.setText(f"Reading the balances of {info.label}…")
        run_task(
            self.usecases.accounts.balances(org, info.address),
            owner=self,
            on_done=lambda found: self._show_balances(info, org, found),
            on_error=self.balances.setText,
        )

    def _show_balances(self, info: AccountInfo, org: Organisation, found: Balances) -> None:
        parts = [found.eth_text] + ([found.token_text] if found.token is not None else [])
        text = f"{info.label} on {org.network.name}: " + ", ".join(parts) + "."
        if found.eth_wei == 0:
            text += " It has no ETH to pay transaction fees; on-chain actions will be refused."
        self.balances.setText(text)


def _label(parent: QWidget, name: str, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label
