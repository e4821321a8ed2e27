"""Air-gap round trip through the dialogs: a watch-only account online, its key in a second data
directory offline (signed there with app.keys.airgap / sign_request), the response verified."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.keys.accounts import AccountManager
from app.keys.airgap import dump_response, load_request
from app.keys.memory_vault import MemoryVault
from app.keys.metadata import AccountsRepo
from app.keys.unlock import UnlockSession
from app.keys.ur import encode_parts
from app.keys.vault_signers import VaultSigner, sign_request
from app.services import Services
from tests.app.keys.conftest import FAST_KDF, HARDHAT_ADDRESS_0, HARDHAT_KEY_0, migrated_connection
from tests.app.keys.test_preview import snapshot_vote
from tests.ui.test_signing import DEVNET, PASSWORD, make_keys, run, start, wait_for
from ui.signing import Keys, request_signature
from ui.views.airgap_dialog import AirGapDialog
from ui.views.signing_dialog import SigningDialog

pytestmark = pytest.mark.gui
OTHER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"


def offline_response(request_file: Path, data_dir: Path, key: str) -> str:
    """The offline device: its own data directory holds the key; it signs the request file."""

    data_dir.mkdir()
    request_text = request_file.read_text("utf-8")

    async def sign() -> str:
        conn = migrated_connection(str(data_dir / "govdesk.sqlite3"))
        manager = AccountManager(MemoryVault(), AccountsRepo(conn), kdf=FAST_KDF)
        info = await manager.import_private_key(key, PASSWORD)
        session = UnlockSession(manager.vault)
        await session.unlock(info.address, PASSWORD)
        request = load_request(request_text)
        signer = VaultSigner(session, info.address, chain_id=request.chain_id)
        if signer.address != request.address:  # a wrong device: sign the payload anyway
            request = replace(request, address=signer.address)
        response = dump_response(await sign_request(request, signer))
        conn.close()
        return response

    # The offline device is another machine: its own thread and loop, not the UI's.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, sign()).result()


def test_watch_only_round_trip_through_qr_and_files(
    qtbot: QtBot, qloop: object, tmp_path: Path, services: Services
) -> None:
    # Online: the app's own data directory, holding only the address.
    manager = AccountManager(MemoryVault(), AccountsRepo(services.store.conn), kdf=FAST_KDF)
    keys = Keys.over(manager)
    owner = QWidget()
    qtbot.addWidget(owner)
    run(qtbot, keys.manager.watch(HARDHAT_ADDRESS_0), owner)
    payload = snapshot_vote("uint32", 1)
    outcome = start(
        request_signature(owner, keys, HARDHAT_ADDRESS_0, payload, preview_context=DEVNET), owner
    )
    signing = wait_for(qtbot, SigningDialog)
    assert signing.sign_button.text() == "Create signing request"
    signing.accept()
    dialog = wait_for(qtbot, AirGapDialog)
    assert len(dialog.frames) == len(dialog.parts) > 1
    # ERC-4527: what air-gapped wallets scan (and `govdesk offline sign` reads).
    assert all(part.startswith("ur:eth-sign-request/") for part in dialog.parts)
    assert not dialog.frames[0].isNull()
    assert dialog.timer.isActive()
    first = dialog.qr.pixmap().cacheKey()
    dialog.next_frame()
    assert dialog.frame_index == 1
    assert dialog.qr.pixmap().cacheKey() != first
    request_file = tmp_path / "request.json"
    dialog.save_request(request_file)

    # A response signed by another key is refused and the dialog stays open.
    wrong = tmp_path / "wrong.json"
    wrong.write_text(offline_response(request_file, tmp_path / "wrong-device", OTHER_KEY))
    assert not dialog.load_response_file(wrong)
    assert "not by 0xf39F" in dialog.error.text()
    assert dialog.isVisible()

    # The right device answers as UR parts, one per line (what a QR scanner would save).
    text = offline_response(request_file, tmp_path / "offline", HARDHAT_KEY_0)
    response_file = tmp_path / "response.txt"
    response_file.write_text("\n".join(encode_parts("govdesk-sign-response", text.encode())))
    assert dialog.load_response_file(response_file)
    qtbot.waitUntil(lambda: outcome != {}, timeout=10_000)
    signature = outcome["value"]
    recovered = Account.recover_message(
        encode_typed_data(full_message=payload), signature=signature
    )
    assert recovered == HARDHAT_ADDRESS_0


def test_cancelled_air_gap_signs_nothing(qtbot: QtBot, qloop: object) -> None:
    keys = make_keys()
    owner = QWidget()
    qtbot.addWidget(owner)
    run(qtbot, keys.manager.watch(HARDHAT_ADDRESS_0), owner)
    outcome = start(
        request_signature(
            owner, keys, HARDHAT_ADDRESS_0, snapshot_vote("uint32", 1), preview_context=DEVNET
        ),
        owner,
    )
    wait_for(qtbot, SigningDialog).accept()
    wait_for(qtbot, AirGapDialog).reject()
    qtbot.waitUntil(lambda: outcome != {})
    assert "offline signing was cancelled" in outcome["error"]
