"""Adding a Ledger account through "Add a hardware wallet account…" and signing a Snapshot vote and
a Governor vote through the normal signing dialog, over recorded APDU exchanges (no emulator can
run here; see tests/app/keys/hardware)."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.keys.hardware.base import typed_data_hashes
from app.keys.metadata import AccountKind
from app.keys.transaction_fields import decode_signed_transaction
from app.keys.unlock import ThrottlePolicy, UnlockSession
from tests.app.keys.conftest import FakeClock, RecordingSleep
from tests.app.keys.hardware import samples
from tests.app.keys.hardware.conftest import hardware_manager
from tests.app.keys.hardware.recorded import RecordedBackend, load
from tests.ui.test_signing import start, wait_for
from ui.signing import Keys, PreviewContext, request_signature
from ui.views.accounts_page import AccountsPage
from ui.views.hardware_dialog import DeviceWaitDialog, HardwareAccountDialog
from ui.views.signing_dialog import SigningDialog

pytestmark = pytest.mark.gui
DEVNET = PreviewContext(samples.CHAIN_ID, "Devnet", context={"proposal_title": "Lower the fee"})


def test_add_a_ledger_account_and_sign_a_vote_and_a_governor_vote(
    qtbot: QtBot, qloop: object
) -> None:
    manager, vault = hardware_manager()
    throttle = ThrottlePolicy()
    session = UnlockSession(vault, throttle=throttle, sleep=RecordingSleep(), clock=FakeClock())
    addresses = load("ledger_addresses")["exchanges"][:7]  # config, fingerprint, 5 addresses
    backend = RecordedBackend("ledger", addresses)
    keys = Keys(manager, session, throttle, hardware=backend)
    page = AccountsPage(keys)
    qtbot.addWidget(page)
    page.show()

    page.buttons["Add a hardware wallet account"].click()
    dialog = wait_for(qtbot, HardwareAccountDialog)
    assert dialog.vendor.currentData() == "ledger"
    dialog.find_button.click()
    qtbot.waitUntil(lambda: dialog.picker.count() == 5, timeout=5000)
    assert "Nano S Plus" in dialog.device_label.text()
    assert "shows EIP-712 messages in full" in dialog.device_label.text()
    assert samples.ADDRESS in dialog.picker.item(0).text()
    # "Show on device": the address is displayed on the Ledger and confirmed there.
    backend.extend(load("ledger_show_address")["exchanges"])
    dialog.show_button.click()
    qtbot.waitUntil(lambda: "confirmed" in dialog.status.text(), timeout=5000)
    dialog.label.setText("Cold Ledger")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    [info] = page.model.accounts()
    assert (info.label, info.kind) == ("Cold Ledger", AccountKind.HARDWARE)
    assert backend.done()

    # A Snapshot vote through the normal signing dialog.
    backend.extend(load("ledger_vote_full")["exchanges"])
    vote = samples.snapshot_vote()
    outcome = start(
        request_signature(page, keys, samples.ADDRESS, vote, preview_context=DEVNET), page
    )
    signing = wait_for(qtbot, SigningDialog)
    assert signing.sign_button.text() == "Sign on your Ledger"
    assert signing.device_note.isVisible()
    assert "Confirm on your Ledger" in signing.device_note.text()
    hashes = typed_data_hashes(vote)
    shown = {label.text() for label in signing.findChildren(QLabel)}
    shown |= {box.toPlainText() for box in signing.findChildren(QPlainTextEdit)}  # long values
    shown = {text.replace("\u200b", "") for text in shown}  # long hex wraps at zero-width spaces
    assert "0x" + hashes.domain_hash.hex() in shown
    assert "0x" + hashes.message_hash.hex() in shown
    signing.sign_button.click()
    qtbot.waitUntil(lambda: outcome != {}, timeout=10_000)
    assert "error" not in outcome, outcome.get("error")
    signable = encode_typed_data(full_message=vote)
    assert Account.recover_message(signable, signature=outcome["value"]) == samples.ADDRESS

    # A Governor vote (castVoteWithReason, EIP-1559) the same way.
    backend.extend(load("ledger_governor_tx")["exchanges"])
    tx = samples.governor_vote_tx()
    outcome = start(
        request_signature(page, keys, samples.ADDRESS, tx, preview_context=DEVNET), page
    )
    signing = wait_for(qtbot, SigningDialog)
    assert signing.preview.field("Transaction hash") is not None
    signing.sign_button.click()
    qtbot.waitUntil(lambda: outcome != {}, timeout=10_000)
    assert "error" not in outcome, outcome.get("error")
    assert decode_signed_transaction("0x" + outcome["value"].hex())[0] == samples.ADDRESS
    assert backend.done()
    qtbot.waitUntil(
        lambda: (
            not any(
                isinstance(w, DeviceWaitDialog) and w.isVisible() for w in QApplication.allWidgets()
            )
        ),
        timeout=5000,
    )


def test_a_rejection_on_the_device_is_reported_and_returns_nothing(
    qtbot: QtBot, qloop: object
) -> None:
    manager, vault = hardware_manager()
    throttle = ThrottlePolicy()
    session = UnlockSession(vault, throttle=throttle, sleep=RecordingSleep(), clock=FakeClock())
    script = list(load("ledger_vote_full")["exchanges"])
    script[-1] = dict(script[-1], response="6985")
    keys = Keys(manager, session, throttle, hardware=RecordedBackend("ledger", script))
    page = AccountsPage(keys)
    qtbot.addWidget(page)
    from app.keys.metadata import HardwareRecord

    record = HardwareRecord(samples.ADDRESS, "ledger", samples.PATH, "00000000", "Nano S Plus")
    added = start(manager.add_hardware(record), page)
    qtbot.waitUntil(lambda: added != {}, timeout=5000)
    outcome = start(
        request_signature(
            page, keys, samples.ADDRESS, samples.snapshot_vote(), preview_context=DEVNET
        ),
        page,
    )
    wait_for(qtbot, SigningDialog).sign_button.click()
    qtbot.waitUntil(lambda: outcome != {}, timeout=10_000)
    assert "rejected the request on your Ledger" in outcome["error"]
    assert "value" not in outcome


def test_add_a_trezor_account_and_sign_a_governor_ballot(qtbot: QtBot, qloop: object) -> None:
    manager, vault = hardware_manager()
    throttle = ThrottlePolicy()
    session = UnlockSession(vault, throttle=throttle, sleep=RecordingSleep(), clock=FakeClock())
    recorded = load("trezor_addresses")["exchanges"]
    backend = RecordedBackend("trezor", recorded[:7])  # features, fingerprint, 5 addresses
    keys = Keys(manager, session, throttle, hardware=backend)
    page = AccountsPage(keys)
    qtbot.addWidget(page)
    page.show()
    page.buttons["Add a hardware wallet account"].click()
    dialog = wait_for(qtbot, HardwareAccountDialog)
    dialog.vendor.setCurrentIndex(dialog.vendor.findData("trezor"))
    assert dialog.template.currentData() == "bip44"
    dialog.find_button.click()
    qtbot.waitUntil(lambda: dialog.picker.count() == 5, timeout=5000)
    assert "Trezor Safe 3" in dialog.device_label.text()
    backend.extend([recorded[i] for i in (0, 1, 7, 8)])  # open again, then show on the device
    dialog.show_button.click()
    qtbot.waitUntil(lambda: "confirmed" in dialog.status.text(), timeout=5000)
    dialog.add_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert backend.done()

    backend.extend(load("trezor_ballot_full")["exchanges"])
    ballot = samples.governor_ballot()
    outcome = start(
        request_signature(page, keys, samples.ADDRESS, ballot, preview_context=DEVNET), page
    )
    signing = wait_for(qtbot, SigningDialog)
    assert signing.sign_button.text() == "Sign on your Trezor"
    signing.sign_button.click()
    qtbot.waitUntil(lambda: outcome != {}, timeout=10_000)
    assert "error" not in outcome, outcome.get("error")
    signable = encode_typed_data(full_message=ballot)
    assert Account.recover_message(signable, signature=outcome["value"]) == samples.ADDRESS
    assert backend.done()
