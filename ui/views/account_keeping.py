"""KeepingActions: the accounts page's actions on the selected account — export a keystore
file (recorded as a backup), rename, remove (warning when it was never backed up), unlock, lock."""

from __future__ import annotations

import asyncio

from app.errors import AppError
from app.keys.accounts import keystore_to_json
from app.keys.files import write_private_file
from app.keys.metadata import AccountInfo
from ui.signing import ensure_unlocked
from ui.tasks import run_task
from ui.views.account_forms import (
    NEW_PASSWORD,
    Field,
    FieldKind,
    FieldsForm,
    RemoveDialog,
    documents_dir,
)
from ui.views.accounts_list import AccountsList, label_of


class KeepingActions(AccountsList):
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
            self._open_form(form, lambda f: self.keys.manager.rename(info.address, label_of(f)))

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
