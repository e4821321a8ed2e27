"""AddingActions: the accounts page's ways to add an account — a new key (with its backup offered
at once), a private key, a recovery phrase, a keystore file, a watched address, a hardware wallet
account, or a ready-made devnet account."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QTimer

from app.errors import AppError, InputError
from app.keys.metadata import AccountInfo
from ui.views.account_forms import (
    NEW_PASSWORD,
    Field,
    FieldKind,
    FieldsForm,
    MnemonicForm,
    documents_dir,
)
from ui.views.accounts_list import LABEL, AccountsList, label_of


class AddingActions(AccountsList):
    def on_create(self) -> None:
        form = FieldsForm("New account", "A new random key, sealed with your password.",
                          (LABEL, *NEW_PASSWORD), self)  # fmt: skip
        self._open_form(form, self._create)

    async def _create(self, form: FieldsForm) -> AccountInfo:
        info = await self.keys.manager.create(form.value("password"), label=label_of(form))
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
        form = FieldsForm("Import a private key", "", (key, LABEL, *NEW_PASSWORD), self)
        self._open_form(
            form,
            lambda f: self.keys.manager.import_private_key(
                f.value("key"), f.value("password"), label=label_of(f)
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
            label=label_of(form),
        )

    def on_import_keystore(self) -> None:
        fields = (
            Field("file", "Keystore file", FieldKind.OPEN_FILE),
            Field("file_password", "Keystore file password", FieldKind.HIDDEN),
            LABEL,
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
            text, form.value("file_password"), form.value("password"), label=label_of(form)
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
                          (Field("address", "Address"), LABEL), self)  # fmt: skip
        self._open_form(
            form, lambda f: self.keys.manager.watch(f.value("address").strip(), label=label_of(f))
        )

    def on_hardware(self) -> None:
        from ui.views.hardware_dialog import open_hardware_dialog

        self.active_form = open_hardware_dialog(self, self.keys, self._run)
