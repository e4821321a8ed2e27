"""AccountsPage: list, create, import, watch, export, rename, remove, lock and delegate.

Every action opens a small form (``account_forms``) without blocking, then calls the
``AccountManager`` through ``run_task``. Delegation signs through ``DialogSigner``, so the person
sees the transaction preview first. A missing OS keyring is a banner, not a failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, InputError
from app.keys.accounts import keystore_to_json
from app.keys.errors import KeyringUnavailableError
from app.keys.files import write_private_file
from app.keys.metadata import AccountInfo
from app.orgs import Organisation
from app.usecases import UseCases
from app.usecases.accounts import Balances, is_devnet
from app.usecases.signing import SignerSource
from ui.models.account_list_model import AccountListModel
from ui.signing import Keys, dialog_signer_source, ensure_unlocked
from ui.tasks import run_task
from ui.theme import Tone, set_tone
from ui.views.account_forms import (
    NEW_PASSWORD,
    Field,
    FieldKind,
    FieldsForm,
    MnemonicForm,
    RemoveDialog,
    documents_dir,
)
from ui.views.accounts_look import install_accounts_look
from ui.views.delegation_box import DelegationBox

_LABEL = Field("label", "Label")
LOCK_REFRESH_MS = 15_000


class AccountsPage(QWidget):
    accounts_changed = Signal(list)  # list[AccountInfo]

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
        self.active_form: QDialog | None = None
        layout = QVBoxLayout(self)
        self.banner = QLabel("", self)
        self.banner.setObjectName("keyring-banner")
        self.banner.setWordWrap(True)
        set_tone(self.banner, "banner", Tone.DANGER)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.table = QTableView(self)
        self.table.setObjectName("accounts-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        install_accounts_look(self.table)  # cards: blockie, label, kind and lock icons
        layout.addWidget(self.table)
        layout.addWidget(self._actions())
        self.status = QLabel("", self)
        self.status.setObjectName("accounts-status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.empty = QLabel(
            "No accounts yet. Create a new key, import one you have, or pick a ready-made "
            "devnet account below.", self)  # fmt: skip
        self.empty.setObjectName("accounts-empty")
        self.empty.setWordWrap(True)
        layout.insertWidget(1, self.empty)
        self.balances = QLabel("", self)
        self.balances.setObjectName("accounts-balances")
        self.balances.setWordWrap(True)
        layout.addWidget(self.balances)
        self.delegation: DelegationBox | None = None
        if actions is not None:
            self.delegation = DelegationBox(
                self, actions.onchain, self._signer_for, current_org, self.selected,
                actions.delegation,
            )  # fmt: skip
            layout.addWidget(self.delegation)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_selected())
        self.refresh()
        self.check_keyring()
        # Keys lock themselves after the idle timeout; keep the Status column honest.
        self._lock_tick = QTimer(self)
        self._lock_tick.timeout.connect(self.update_lock_state)
        self._lock_tick.start(LOCK_REFRESH_MS)

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
        self.buttons: dict[str, QPushButton] = {}
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

    # --- state ---

    def selected(self) -> AccountInfo | None:
        row = self.table.currentIndex().row()
        return self.model.account(row) if 0 <= row < self.model.rowCount() else None

    def select(self, address: str) -> None:
        row = self.model.row_of(address)
        if row >= 0:
            self.table.selectRow(row)

    def refresh(self, select: str | None = None) -> None:
        current = select or (info.address if (info := self.selected()) else None)
        run_task(
            self.keys.manager.list_accounts(),
            owner=self,
            on_done=lambda accounts: self._show_accounts(accounts, current),
            on_error=self.show_error,
        )

    def _show_accounts(self, accounts: list[AccountInfo], select: str | None) -> None:
        unlocked = [a.address for a in accounts if self.keys.session.is_unlocked(a.address)]
        self.model.set_accounts(accounts, unlocked)
        self.empty.setVisible(not accounts)
        org = self.current_org()
        self.buttons["Add devnet account"].setVisible(org is not None and is_devnet(org))
        if select:
            self.select(select)
        self.accounts_changed.emit(accounts)

    def update_lock_state(self) -> None:
        accounts = self.model.accounts()
        self.model.set_unlocked(
            a.address for a in accounts if self.keys.session.is_unlocked(a.address)
        )

    def check_keyring(self) -> None:
        async def probe() -> str:
            try:
                await self.keys.manager.vault.check_available()
            except KeyringUnavailableError as exc:
                return exc.user_message
            return ""

        run_task(probe(), owner=self, on_done=self._show_banner, on_error=self._show_banner)

    def _show_banner(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.setVisible(bool(message))

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    # --- running forms and actions ---

    def _open_form(self, form: FieldsForm, then: Callable[[FieldsForm], Awaitable[Any]]) -> None:
        self.active_form = form
        # The form lives until its action succeeds: on a failure it opens again with what was
        # typed and the reason under it, so no input is lost.
        form.accepted.connect(lambda: self._run(then(form), form=form))
        form.rejected.connect(form.deleteLater)
        form.open()

    def _run(self, coro: Awaitable[Any], done: str = "", form: FieldsForm | None = None) -> None:
        async def go() -> Any:
            result = await coro
            if form is not None:
                form.deleteLater()
            return result

        def finished(result: Any) -> None:
            saved = isinstance(result, AccountInfo)
            said = result if isinstance(result, str) else ""
            self.status.setText(done or said or (f"Saved {result.label}." if saved else "Done."))
            address = result.address if saved else None
            self.refresh(select=address)

        def failed(message: str) -> None:
            self.status.setText(message)
            if form is not None:
                form.error.setText(message)
                form.open()
            self.check_keyring()

        self.status.setText("Working…")
        run_task(go(), owner=self, on_done=finished, on_error=failed)

    def on_create(self) -> None:
        form = FieldsForm("New account", "A new random key, sealed with your password.",
                          (_LABEL, *NEW_PASSWORD), self)  # fmt: skip
        self._open_form(form, self._create)

    async def _create(self, form: FieldsForm) -> AccountInfo:
        info = await self.keys.manager.create(form.value("password"), label=_label(form))
        if self.usecases is not None:  # a new key exists only here: offer its backup at once
            QTimer.singleShot(0, lambda: self.offer_backup(info))
        return info

    def offer_backup(self, info: AccountInfo) -> FieldsForm | None:
        """The backup step after creating a key: save a keystore file, with a confirmation."""
        if self.usecases is None:
            return None
        message = (
            f"{info.label} exists only on this device. Save a backup now: a keystore file, "
            "sealed with a password you choose. Without it, losing this device loses the key."
        )
        fields = (
            Field("current", "Account password", FieldKind.HIDDEN),
            Field("file", "Save backup to", FieldKind.SAVE_FILE,
                  str(documents_dir() / f"{info.label}.json")),
            *NEW_PASSWORD,
        )  # fmt: skip
        form = FieldsForm("Back up your new key", message, fields, self)
        accounts = self.usecases.accounts

        async def save(f: FieldsForm) -> str:
            path = await accounts.back_up(info.address, f.value("current"), f.value("password"),
                                          f.path("file"))  # fmt: skip
            return f"Backup of {info.label} saved to {path}. Keep it offline."

        self._open_form(form, save)
        return form

    def on_import_key(self) -> None:
        key = Field("key", "Private key (hex)", FieldKind.HIDDEN)
        form = FieldsForm("Import a private key", "", (key, _LABEL, *NEW_PASSWORD), self)
        self._open_form(
            form,
            lambda f: self.keys.manager.import_private_key(
                f.value("key"), f.value("password"), label=_label(f)
            ),
        )

    def on_import_mnemonic(self) -> None:
        self._open_form(MnemonicForm(self), self._import_mnemonic)

    async def _import_mnemonic(self, form: FieldsForm) -> AccountInfo:
        chosen = form.chosen() if isinstance(form, MnemonicForm) else None
        if chosen is None:  # the form does not accept without a choice
            raise InputError("Pick the address to import.")
        return await self.keys.manager.import_mnemonic(
            form.value("words"),
            form.value("password"),
            index=chosen.index,
            template=form.value("template").strip(),
            passphrase=form.value("passphrase"),
            label=_label(form),
        )

    def on_import_keystore(self) -> None:
        fields = (
            Field("file", "Keystore file", FieldKind.OPEN_FILE),
            Field("file_password", "Keystore file password", FieldKind.HIDDEN),
            _LABEL,
            *NEW_PASSWORD,
        )
        form = FieldsForm("Import a keystore file", "", fields, self)
        self._open_form(form, self._import_keystore)

    async def _import_keystore(self, form: FieldsForm) -> AccountInfo:
        try:
            text = await asyncio.to_thread(form.path("file").read_text, "utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AppError(f"Cannot read {form.value('file')}.", detail=str(exc)) from None
        return await self.keys.manager.import_keystore(
            text, form.value("file_password"), form.value("password"), label=_label(form)
        )

    def on_dev_account(self) -> None:
        """A ready-made, funded account of the built-in devnet (its key is public)."""
        if self.usecases is None:
            self.status.setText("Ready-made accounts exist only on the built-in devnet.")
            return
        accounts = self.usecases.accounts
        fields = (Field("index", "Dev account number (0–9)", default="0"), *NEW_PASSWORD)
        form = FieldsForm(
            "Add a devnet account",
            "The devnet's dev accounts hold ETH and votes, so you can try every step. Their keys "
            "are public: use them only on the local devnet.", fields, self)  # fmt: skip

        async def add(f: FieldsForm) -> AccountInfo:
            text = f.value("index").strip()
            if not text.isdigit():
                raise InputError("Give the dev account's number, 0 to 9.")
            return await accounts.add_dev_account(int(text), f.value("password"))

        self._open_form(form, add)

    def on_watch(self) -> None:
        form = FieldsForm("Watch an address", "Signatures for it come from an offline device.",
                          (Field("address", "Address"), _LABEL), self)  # fmt: skip
        self._open_form(
            form, lambda f: self.keys.manager.watch(f.value("address").strip(), label=_label(f))
        )

    def on_hardware(self) -> None:
        from ui.views.hardware_dialog import open_hardware_dialog

        self.active_form = open_hardware_dialog(self, self.keys, self._run)

    def _with_selected(self, action: Callable[[AccountInfo], None]) -> None:
        info = self.selected()
        if info is None:
            self.status.setText("Select an account first.")
            return
        action(info)

    def on_export(self) -> None:
        self._with_selected(self._export)

    def _export(self, info: AccountInfo) -> None:
        message = (
            f"Anyone with this file and its new password controls {info.address}. Keep it offline."
        )
        fields = (
            Field("current", "Current password", FieldKind.HIDDEN),
            Field(
                "file", "Save to", FieldKind.SAVE_FILE, str(documents_dir() / f"{info.label}.json")
            ),
            *NEW_PASSWORD,
        )
        form = FieldsForm("Export a keystore file", message, fields, self)
        self._open_form(form, lambda f: self._write_export(info, f))

    async def _write_export(self, info: AccountInfo, form: FieldsForm) -> str:
        path = form.path("file")
        if self.usecases is not None:  # records the backup, so removing it does not warn
            await self.usecases.accounts.back_up(
                info.address, form.value("current"), form.value("password"), path
            )
            return f"Keystore of {info.label} saved to {path}."
        keystore = await self.keys.manager.export_keystore_unsafe(
            info.address, form.value("current"), form.value("password")
        )
        try:
            # Owner-only from the first byte, written atomically.
            await asyncio.to_thread(write_private_file, path, keystore_to_json(keystore))
        except OSError as exc:
            raise AppError(f"Cannot write {path}.", detail=str(exc)) from None
        return f"Keystore of {info.label} saved to {path}."

    def on_rename(self) -> None:
        def rename(info: AccountInfo) -> None:
            form = FieldsForm("Rename", "", (Field("label", "New label", default=info.label),),
                              self)  # fmt: skip
            self._open_form(form, lambda f: self.keys.manager.rename(info.address, _label(f)))

        self._with_selected(rename)

    def on_remove(self) -> None:
        def ask(info: AccountInfo) -> None:
            def confirm(never_backed_up: bool) -> None:
                self._confirm_remove(info, never_backed_up)

            run_task(self._needs_backup(info), owner=self, on_done=confirm,
                     on_error=self.show_error)  # fmt: skip

        self._with_selected(ask)

    async def _needs_backup(self, info: AccountInfo) -> bool:
        return False if self.usecases is None else await self.usecases.accounts.needs_backup(info)

    def _confirm_remove(self, info: AccountInfo, never_backed_up: bool) -> RemoveDialog:
        dialog = RemoveDialog(info, never_backed_up, self)
        self.active_form = dialog

        async def remove() -> None:
            if self.usecases is not None:
                await self.usecases.accounts.remove(info.address)
            else:
                await self.keys.manager.remove(info.address)

        dialog.accepted.connect(lambda: self._run(remove(), f"Removed {info.label}."))
        dialog.open()
        return dialog

    def on_unlock(self) -> None:
        self._with_selected(
            lambda info: self._run(
                ensure_unlocked(self, self.keys, info), f"{info.label} unlocked."
            )
        )

    def on_lock(self) -> None:
        def lock(info: AccountInfo) -> None:
            self.keys.session.lock(info.address)
            self.status.setText(f"{info.label} is locked.")
            self.refresh()

        self._with_selected(lock)


def _label(form: FieldsForm) -> str:
    return form.value("label").strip()
