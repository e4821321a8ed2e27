"""The accounts page against real parts: delegation on an anvil devnet (Braintrust-shaped alpha
stack), signed through the preview and unlock dialogs; accounts in a real Secret Service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.devnet.network import Devnet
from app.keys.accounts import AccountManager
from app.keys.airgap import RequestKind
from app.keys.keyring_vault import KeyringVault
from app.keys.metadata import AccountsRepo
from app.orgs import Network, Organisation
from app.services import Services
from tests.app.keys.conftest import FAST_KDF, migrated_connection
from tests.integration.keys.conftest import SecretService, secret_service  # noqa: F401
from tests.ui.test_accounts import fill_and_accept, make_page, remove_dialog
from tests.ui.test_airgap import offline_response
from tests.ui.test_signing import PASSWORD, run, wait_for
from ui.signing import Keys
from ui.views.accounts_page import AccountsPage
from ui.views.airgap_dialog import AirGapDialog
from ui.views.signing_dialog import SigningDialog
from ui.views.unlock_dialog import UnlockDialog

pytestmark = [pytest.mark.gui, pytest.mark.integration]
HOLDER = 8  # a devnet account holding tokens that never delegated


@pytest.fixture(scope="module")
def alpha_devnet() -> Iterator[Devnet]:
    with Devnet(stacks=("alpha",), hub=False) as net:
        yield net


def alpha_org(devnet: Devnet) -> Organisation:
    network = Network(devnet.chain_id, "Devnet", (devnet.rpc_url,), 1.0, devnet.multicall or "")
    return Organisation("devnet-alpha", "Alpha DAO", network, governor=devnet.stack("alpha")["governor"])  # fmt: skip


def test_delegate_to_self_changes_the_current_delegate(
    qtbot: QtBot, qloop: object, alpha_devnet: Devnet, services: Services
) -> None:
    snapshot = alpha_devnet.control.snapshot()
    try:
        _delegate_through_the_page(qtbot, alpha_devnet, services)
    finally:
        alpha_devnet.control.revert(snapshot)


def _delegate_through_the_page(qtbot: QtBot, devnet: Devnet, services: Services) -> None:
    holder = devnet.accounts[HOLDER]
    keys = Keys.over(services.account_manager())
    page = AccountsPage(keys, lambda: alpha_org(devnet), actions=services.actions)
    qtbot.addWidget(page)
    page.show()
    run(qtbot, keys.manager.import_private_key(holder.dev_key, PASSWORD), page)
    page.refresh(select=holder.address)
    box = page.delegation
    assert box is not None
    qtbot.waitUntil(lambda: "has not delegated its BTRST" in box.current.text(), timeout=20_000)
    box.to_self.click()
    signing = wait_for(qtbot, SigningDialog, timeout=20_000)
    assert signing.preview.title == "Delegate voting power"
    assert signing.preview.field("delegatee") == holder.address
    assert signing.preview.field("max fee") is not None
    assert not signing.preview.dangerous
    signing.accept()
    unlock = wait_for(qtbot, UnlockDialog)
    unlock.password.setText(PASSWORD)
    unlock.try_unlock()
    itself = "delegates its BTRST votes to itself"
    qtbot.waitUntil(lambda: itself in box.current.text(), timeout=30_000)
    assert box.delegate_shown == holder.address

    box.target.setText("0x1234")
    box.to_address.click()
    qtbot.waitUntil(lambda: "not a valid Ethereum address" in box.current.text(), timeout=20_000)
    friend = devnet.accounts[2].address
    box.target.setText(friend.lower())
    box.to_address.click()
    wait_for(qtbot, SigningDialog, timeout=20_000).accept()  # still unlocked: no password asked
    qtbot.waitUntil(lambda: box.delegate_shown == friend, timeout=30_000)
    assert f"delegates its BTRST votes to {friend}" in box.current.text()


def test_watch_only_delegation_signed_offline(
    qtbot: QtBot, qloop: object, alpha_devnet: Devnet, tmp_path: Path, services: Services
) -> None:
    snapshot = alpha_devnet.control.snapshot()
    try:
        _delegate_offline(qtbot, alpha_devnet, tmp_path, services)
    finally:
        alpha_devnet.control.revert(snapshot)


def _delegate_offline(qtbot: QtBot, devnet: Devnet, tmp_path: Path, services: Services) -> None:
    holder = devnet.accounts[HOLDER]
    keys = Keys.over(services.account_manager())
    page = AccountsPage(keys, lambda: alpha_org(devnet), actions=services.actions)
    qtbot.addWidget(page)
    page.show()
    run(qtbot, keys.manager.watch(holder.address), page)
    page.refresh(select=holder.address)
    box = page.delegation
    assert box is not None
    qtbot.waitUntil(lambda: "has not delegated" in box.current.text(), timeout=20_000)
    box.to_self.click()
    wait_for(qtbot, SigningDialog, timeout=20_000).accept()
    dialog = wait_for(qtbot, AirGapDialog)
    assert dialog.request.kind is RequestKind.TRANSACTION
    request_file = tmp_path / "request.json"
    dialog.save_request(request_file)
    response_file = tmp_path / "response.json"
    response_file.write_text(offline_response(request_file, tmp_path / "offline", holder.dev_key))
    assert dialog.load_response_file(response_file), dialog.error.text()
    itself = "delegates its BTRST votes to itself"
    qtbot.waitUntil(lambda: itself in box.current.text(), timeout=30_000)


def test_page_over_a_real_secret_service(
    qtbot: QtBot,
    qloop: object,
    secret_service: SecretService,  # noqa: F811
) -> None:
    manager = AccountManager(
        KeyringVault(secret_service.backend), AccountsRepo(migrated_connection()), kdf=FAST_KDF
    )
    page = make_page(qtbot, Keys.over(manager))
    page.on_create()
    fill_and_accept(page, label="In the keyring", password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=20_000)
    address = page.model.account(0).address
    assert run(qtbot, manager.vault.has(address), page)
    assert not page.banner.isVisible()
    remove_dialog(qtbot, page).remove_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=20_000)
    assert not run(qtbot, manager.vault.has(address), page)
