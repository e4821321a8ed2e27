"""The accounts page: create, import (key, phrase with picker, keystore), watch, rename, remove,
lock, export, and the banner when no OS keyring is usable (in-memory vault, fast KDF)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from eth_account import Account
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.keys.accounts import AccountManager
from app.keys.keyring_vault import KeyringVault
from app.keys.metadata import AccountInfo, AccountKind, AccountSource, AccountsRepo
from app.keys.mnemonic import list_addresses
from app.services import Services
from tests.app.keys.conftest import (
    FAST_KDF,
    HARDHAT_ADDRESS_0,
    HARDHAT_KEY_0,
    HARDHAT_MNEMONIC,
    FakeClock,
    migrated_connection,
)
from tests.ui.test_signing import PASSWORD, make_keys, run, wait_for
from ui.models.account_list_model import AccountListModel, AccountRole
from ui.signing import Keys
from ui.views.account_forms import FieldsForm, MnemonicForm, RemoveDialog
from ui.views.accounts_page import AccountsPage
from ui.views.main_window import MainWindow
from ui.views.unlock_dialog import UnlockDialog

pytestmark = pytest.mark.gui
HARDHAT_ADDRESS_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
CREATED = AccountSource.CREATED


def make_page(qtbot: QtBot, keys: Keys | None = None) -> AccountsPage:
    page = AccountsPage(keys or make_keys())
    qtbot.addWidget(page)
    page.show()
    return page


def addresses(page: AccountsPage) -> list[str]:
    return [a.address for a in page.model.accounts()]


def remove_dialog(qtbot: QtBot, page: AccountsPage) -> RemoveDialog:
    """Press Remove… and wait for its confirmation."""
    before = page.active_form
    page.on_remove()
    qtbot.waitUntil(lambda: isinstance(page.active_form, RemoveDialog) and
                    page.active_form is not before, timeout=10_000)  # fmt: skip
    assert isinstance(page.active_form, RemoveDialog)
    return page.active_form


def fill_and_accept(page: AccountsPage, **values: str) -> FieldsForm:
    form = page.active_form
    assert isinstance(form, FieldsForm)
    for key, value in values.items():
        form.set_value(key, value)
    form.accept()
    return form


def wait_status(qtbot: QtBot, page: AccountsPage, text: str) -> None:
    qtbot.waitUntil(lambda: text in page.status.text(), timeout=10_000)


def test_model_rows_and_status() -> None:
    model = AccountListModel()
    local = AccountInfo(HARDHAT_ADDRESS_0, "Main", AccountKind.LOCAL, 0, CREATED, None, 0)
    watch = AccountInfo(HARDHAT_ADDRESS_1, "Cold", AccountKind.WATCH, 1, CREATED, None, 0)
    model.set_accounts([local, watch], unlocked=[HARDHAT_ADDRESS_0])
    cells = [[model.index(r, c).data() for c in range(4)] for r in range(2)]
    assert cells[0] == ["Main", HARDHAT_ADDRESS_0, "Key on this device", "Unlocked"]
    assert cells[1][2:] == ["Watch-only", "Signs offline"]
    assert model.index(1, 0).data(AccountRole.INFO) is watch
    assert model.row_of(HARDHAT_ADDRESS_1.lower()) == 1
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    model.set_unlocked([])
    assert model.index(0, 3).data() == "Locked"
    assert changed == [(0, 1)]


def test_create_and_import_private_key(qtbot: QtBot, qloop: object) -> None:
    page = make_page(qtbot)
    page.on_create()
    form = fill_and_accept(page, label="Fresh", password=PASSWORD, repeat="different")
    assert form.error.text() == "The two passwords differ."
    assert form.isVisible()
    fill_and_accept(page, label="Fresh", password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.account(0).label == "Fresh"
    assert page.selected() == page.model.account(0)
    page.on_import_key()
    fill_and_accept(page, key=HARDHAT_KEY_0, label="Hardhat", password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: HARDHAT_ADDRESS_0 in addresses(page), timeout=10_000)
    page.on_import_key()
    fill_and_accept(page, key="0x1234", label="Bad", password=PASSWORD, repeat=PASSWORD)
    wait_status(qtbot, page, "That is not a private key")
    assert page.model.rowCount() == 2


def test_mnemonic_picker_imports_the_second_address(qtbot: QtBot, qloop: object) -> None:
    page = make_page(qtbot)
    page.on_import_mnemonic()
    form = page.active_form
    assert isinstance(form, MnemonicForm)
    form.accept()
    assert "pick the one to import" in form.error.text()
    form.set_value("words", "  " + HARDHAT_MNEMONIC.upper() + "\n")
    form.show_button.click()
    qtbot.waitUntil(lambda: form.picker.count() == 5, timeout=10_000)
    assert HARDHAT_ADDRESS_0 in form.picker.item(0).text()
    form.picker.setCurrentRow(1)
    assert HARDHAT_ADDRESS_1 in form.picker.item(1).text()
    fill_and_accept(page, label="Second", password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: addresses(page) == [HARDHAT_ADDRESS_1], timeout=10_000)
    info = page.model.account(0)
    assert info.derivation_path == "m/44'/60'/0'/0/1"
    assert info.label == "Second"


def test_mnemonic_picker_follows_the_path_field(qtbot: QtBot, qloop: object) -> None:
    page = make_page(qtbot)
    page.on_import_mnemonic()
    form = page.active_form
    assert isinstance(form, MnemonicForm)
    form.set_value("words", HARDHAT_MNEMONIC)
    form.set_value("template", "ledger-live")
    form.show_button.click()
    qtbot.waitUntil(lambda: form.picker.count() == 5, timeout=10_000)
    expected = list_addresses(HARDHAT_MNEMONIC, template="ledger-live", count=5)[2]
    assert expected.address in form.picker.item(2).text()
    form.set_value("words", "not a valid phrase at all")
    form.show_button.click()
    qtbot.waitUntil(lambda: "not a valid BIP-39" in form.error.text(), timeout=10_000)
    assert "valid phrase at all" not in form.error.text()  # never echoes the words


def test_watch_rename_lock_and_remove(qtbot: QtBot, qloop: object) -> None:
    keys = make_keys()
    page = make_page(qtbot, keys)
    page.on_watch()
    fill_and_accept(page, address=HARDHAT_ADDRESS_1.lower(), label="Cold wallet")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.index(0, 2).data() == "Watch-only"
    page.on_import_key()
    fill_and_accept(page, key=HARDHAT_KEY_0, label="Hot", password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    page.select(HARDHAT_ADDRESS_1)
    page.on_rename()
    fill_and_accept(page, label="  Treasury cold  ")
    qtbot.waitUntil(lambda: page.model.account(0).label == "Treasury cold", timeout=10_000)

    page.select(HARDHAT_ADDRESS_0)
    page.on_unlock()
    unlock = wait_for(qtbot, UnlockDialog)
    unlock.password.setText(PASSWORD)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: page.model.index(1, 3).data() == "Unlocked", timeout=10_000)
    page.on_lock()
    qtbot.waitUntil(lambda: page.model.index(1, 3).data() == "Locked", timeout=10_000)
    assert not keys.session.is_unlocked(HARDHAT_ADDRESS_0)

    form = remove_dialog(qtbot, page)
    assert any("deleted from this device's keyring" in x.text() for x in form.findChildren(QLabel))
    assert form.cancel_button.isDefault()  # Enter keeps the key
    form.reject()  # cancelling keeps the account
    assert page.model.rowCount() == 2
    remove_dialog(qtbot, page).remove_button.click()
    qtbot.waitUntil(lambda: addresses(page) == [HARDHAT_ADDRESS_1], timeout=10_000)
    assert not run(qtbot, keys.manager.vault.has(HARDHAT_ADDRESS_0), page)


def test_export_writes_a_keystore_another_wallet_opens(
    qtbot: QtBot, qloop: object, tmp_path: Path
) -> None:
    page = make_page(qtbot)
    page.on_import_key()
    fill_and_accept(page, key=HARDHAT_KEY_0, label="Hot", password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    target = tmp_path / "exported.json"
    page.on_export()
    fill_and_accept(page, current="wrong password", file=str(target), password="new-pass-123",
                    repeat="new-pass-123")  # fmt: skip
    qtbot.waitUntil(lambda: "password" in page.status.text().lower(), timeout=10_000)
    assert not target.exists()
    page.on_export()
    fill_and_accept(page, current=PASSWORD, file=str(target), password="new-pass-123",
                    repeat="new-pass-123")  # fmt: skip
    qtbot.waitUntil(target.exists, timeout=10_000)
    key = Account.decrypt(json.loads(target.read_text()), "new-pass-123")
    assert Account.from_key(key).address == HARDHAT_ADDRESS_0
    assert target.stat().st_mode & 0o077 == 0

    page.on_import_keystore()
    fill_and_accept(page, file=str(target), file_password="new-pass-123", label="Again",
                    password=PASSWORD, repeat=PASSWORD)  # fmt: skip
    wait_status(qtbot, page, "already in this data directory")
    # Remove it, then bring it back from the exported file.
    remove_dialog(qtbot, page).remove_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=10_000)
    page.on_import_keystore()
    fill_and_accept(page, file=str(target), file_password="wrong", label="Again",
                    password=PASSWORD, repeat=PASSWORD)  # fmt: skip
    wait_status(qtbot, page, "Wrong password")
    assert page.model.rowCount() == 0
    page.on_import_keystore()
    fill_and_accept(page, file=str(target), file_password="new-pass-123", label="Again",
                    password=PASSWORD, repeat=PASSWORD)  # fmt: skip
    qtbot.waitUntil(lambda: addresses(page) == [HARDHAT_ADDRESS_0], timeout=10_000)
    assert page.model.account(0).label == "Again"


def test_missing_keyring_shows_a_banner_not_a_failure(qtbot: QtBot, qloop: object) -> None:
    vault = KeyringVault(FailKeyring())
    manager = AccountManager(vault, AccountsRepo(migrated_connection()), kdf=FAST_KDF)
    page = make_page(qtbot, Keys.over(manager))
    qtbot.waitUntil(page.banner.isVisible, timeout=10_000)
    assert "No usable system keyring" in page.banner.text()
    page.on_create()
    fill_and_accept(page, label="x", password=PASSWORD, repeat=PASSWORD)
    wait_status(qtbot, page, "No usable system keyring")
    assert page.model.rowCount() == 0
    assert page.table.model().headerData(1, Qt.Orientation.Horizontal) == "Address"


def test_main_window_accounts_action_and_selector(
    qtbot: QtBot, qloop: object, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No OS keyring in this test: the page must say so, and watch-only accounts still work.
    services.factories = replace(
        services.factories, vault=lambda: KeyringVault(FailKeyring()), kdf=FAST_KDF
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.account_selector.count() == 1  # "No account"
    dialog = window.show_accounts()
    page = dialog.page
    qtbot.waitUntil(page.banner.isVisible, timeout=10_000)
    page.on_watch()
    fill_and_accept(page, address=HARDHAT_ADDRESS_1, label="Cold")
    qtbot.waitUntil(lambda: window.account_selector.count() == 2, timeout=10_000)
    # The account just added becomes the current one: the toolbar no longer says "No account".
    assert window.account.address == HARDHAT_ADDRESS_1
    assert "Cold" in window.account_selector.currentText()
    assert window.show_accounts() is dialog
    assert window.sign is not None
    # The choice is remembered for the next start.
    again = MainWindow(services)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.account.address == HARDHAT_ADDRESS_1, timeout=10_000)


def test_status_column_shows_the_idle_lock(qtbot: QtBot, qloop: object) -> None:
    clock = FakeClock()
    keys = make_keys(clock=clock)
    page = make_page(qtbot, keys)
    run(qtbot, keys.manager.import_private_key(HARDHAT_KEY_0, PASSWORD), page)
    run(qtbot, keys.session.unlock(HARDHAT_ADDRESS_0, PASSWORD), page)
    page.refresh(select=HARDHAT_ADDRESS_0)
    qtbot.waitUntil(lambda: page.model.index(0, 3).data() == "Unlocked", timeout=10_000)
    clock.advance(301)  # past the default 300 s idle timeout
    page.update_lock_state()
    assert page.model.index(0, 3).data() == "Locked"
    assert page.selected() is not None  # the selection survives the update
