"""The signing dialog, the unlock dialog and request_signature end to end (in-memory vault)."""

from __future__ import annotations

from typing import Any, TypeVar

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.keys.accounts import AccountManager
from app.keys.memory_vault import MemoryVault
from app.keys.metadata import AccountsRepo
from app.keys.preview import build_preview
from app.keys.unlock import ThrottlePolicy, UnlockSession
from tests.app.keys.conftest import (
    FAST_KDF,
    HARDHAT_ADDRESS_0,
    HARDHAT_KEY_0,
    FakeClock,
    RecordingSleep,
    migrated_connection,
)
from tests.app.keys.test_preview import snapshot_vote
from tests.app.keys.test_vault_signers import ballot
from ui.signing import Keys, PreviewContext, SigningCancelled, request_signature
from ui.tasks import run_task
from ui.views.signing_dialog import SigningDialog
from ui.views.unlock_dialog import UnlockDialog

pytestmark = pytest.mark.gui
PASSWORD = "correct horse battery"
DEVNET = PreviewContext(
    31337, "Devnet", context={"proposal_title": "Lower the fee", "choices": ["For", "Against"]}
)
W = TypeVar("W", bound=QWidget)


def make_keys(sleep: RecordingSleep | None = None, clock: FakeClock | None = None) -> Keys:
    manager = AccountManager(MemoryVault(), AccountsRepo(migrated_connection()), kdf=FAST_KDF)
    throttle = ThrottlePolicy()
    session = UnlockSession(
        manager.vault,
        throttle=throttle,
        sleep=sleep or RecordingSleep(),
        clock=clock or FakeClock(),
    )
    return Keys(manager, session, throttle)


def wait_for(qtbot: QtBot, kind: type[W], timeout: int = 5000) -> W:
    """The visible top-level (or child) widget of ``kind`` once it appears."""
    found: list[W] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.allWidgets() if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible, timeout=timeout)
    return found[-1]


def start(coro: Any, owner: QWidget) -> dict[str, Any]:
    outcome: dict[str, Any] = {}
    run_task(
        coro,
        owner=owner,
        on_done=lambda value: outcome.setdefault("value", value),
        on_error=lambda message: outcome.setdefault("error", message),
    )
    return outcome


def run(qtbot: QtBot, coro: Any, owner: QWidget) -> Any:
    """Run ``coro`` on the qasync loop through run_task and return its result."""
    outcome = start(coro, owner)
    qtbot.waitUntil(lambda: outcome != {}, timeout=10_000)
    assert "error" not in outcome, outcome.get("error", "")
    return outcome["value"]


def test_dialog_shows_preview_and_holds_sign_until_danger_is_acknowledged(qtbot: QtBot) -> None:
    preview = build_preview(ballot(chain_id=1), expected_chain_id=31337, network_name="Devnet")
    assert preview.dangerous
    dialog = SigningDialog(preview)
    qtbot.addWidget(dialog)
    dialog.show()
    danger = [w.text() for w in dialog.warning_labels if w.objectName().endswith("danger")]
    assert danger
    assert "chain 1" in danger[0]
    assert "Devnet is chain 31337" in danger[0]
    assert dialog.warning_labels[0].parentWidget().property("callout") == "danger"
    assert dialog.understand.isVisible()
    assert not dialog.sign_button.isEnabled()
    dialog.accept()  # refused while the danger is not acknowledged
    assert dialog.result() == 0
    assert dialog.isVisible()
    dialog.understand.setChecked(True)
    assert dialog.sign_button.isEnabled()
    dialog.sign_button.click()
    assert dialog.result() == SigningDialog.DialogCode.Accepted


def test_dialog_lists_fields_and_raw_data_read_only(qtbot: QtBot) -> None:
    preview = DEVNET.preview(snapshot_vote("uint32", 1))
    dialog = SigningDialog(preview)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not preview.warnings
    assert not dialog.understand.isVisible()
    assert dialog.sign_button.isEnabled()
    shown = {label.text() for label in dialog.findChildren(QLabel)}
    assert "Lower the fee (0xabc)" in shown
    assert "For (#1)" in shown
    assert not dialog.raw.isVisible()
    dialog.raw_toggle.click()
    assert dialog.raw.isVisible()
    assert dialog.raw.isReadOnly()
    assert '"primaryType": "Vote"' in dialog.raw.toPlainText()
    assert dialog.raw.font().fixedPitch() or "mono" in dialog.raw.font().family().lower()


def test_request_signature_unlocks_after_a_wrong_password(qtbot: QtBot, qloop: object) -> None:
    sleep = RecordingSleep()
    keys = make_keys(sleep)
    owner = QWidget()
    qtbot.addWidget(owner)
    info = run(qtbot, keys.manager.import_private_key(HARDHAT_KEY_0, PASSWORD), owner)
    payload = snapshot_vote("uint32", 2)
    outcome = start(
        request_signature(owner, keys, info.address, payload, preview_context=DEVNET), owner
    )
    signing = wait_for(qtbot, SigningDialog)
    assert signing.preview.field("choice") == "Against (#2)"
    assert signing.network.text() == "Account's network: Devnet (chain 31337)"
    signing.accept()
    unlock = wait_for(qtbot, UnlockDialog)
    assert unlock.password.echoMode() == unlock.password.EchoMode.Password
    unlock.password.setText("not the password")
    unlock.try_unlock()
    qtbot.waitUntil(lambda: "The next attempt waits 1 s" in unlock.error.text(), timeout=10_000)
    assert "not the password" not in unlock.error.text()
    assert unlock.password.text() == ""
    unlock.password.setText(PASSWORD)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: outcome != {}, timeout=10_000)
    signature = outcome["value"]
    signable = encode_typed_data(full_message=payload)
    assert Account.recover_message(signable, signature=signature) == HARDHAT_ADDRESS_0
    assert sleep.delays == [1.0]  # the session enforced the delay before the second try
    assert keys.session.is_unlocked(HARDHAT_ADDRESS_0)


def test_cancel_signs_nothing(qtbot: QtBot, qloop: object) -> None:
    keys = make_keys()
    owner = QWidget()
    qtbot.addWidget(owner)
    info = run(qtbot, keys.manager.import_private_key(HARDHAT_KEY_0, PASSWORD), owner)
    result: list[BaseException] = []

    async def attempt() -> None:
        try:
            await request_signature(
                owner, keys, info.address, snapshot_vote("uint32", 1), preview_context=DEVNET
            )
        except SigningCancelled as exc:
            result.append(exc)

    start(attempt(), owner)
    wait_for(qtbot, SigningDialog).reject()
    qtbot.waitUntil(lambda: bool(result))
    assert "nothing was signed" in result[0].user_message  # type: ignore[attr-defined]
    assert not keys.session.is_unlocked(info.address)
