"""Signing with a Ledger or Trezor account from the normal signing dialog.

The preview gains what the device may show instead of the message (the EIP-712 domain and
message hashes, or the transaction's signing hash); the dialog says "Sign on your Ledger"; while
the device has the request a "Confirm on your Ledger" window shows the same hashes. The device's
answer is verified by ``HardwareSigner`` before it is returned; on a rejection or an unplugged
cable nothing is returned, so nothing is stored or sent.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from eth_utils.crypto import keccak
from PySide6.QtWidgets import QWidget

from app.keys.hardware.base import typed_data_hashes
from app.keys.hardware.errors import vendor_name
from app.keys.hardware.signer import HardwareSigner
from app.keys.metadata import AccountInfo
from app.keys.preview import PreviewField, SigningPreview
from app.keys.transaction_bytes import encode_unsigned
from app.keys.transaction_fields import normalize_transaction

if TYPE_CHECKING:
    from ui.signing import Keys, PreviewContext


def _is_typed_data(payload: dict[str, Any]) -> bool:
    return {"types", "primaryType", "domain", "message"} <= payload.keys()


def device_hashes(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """What a device shows when it cannot show the content itself."""
    if _is_typed_data(payload):
        hashes = typed_data_hashes(payload)
        return [
            ("Domain hash", "0x" + hashes.domain_hash.hex()),
            ("Message hash", "0x" + hashes.message_hash.hex()),
        ]
    unsigned = encode_unsigned(normalize_transaction(payload))
    return [("Transaction hash", "0x" + keccak(unsigned).hex())]


def with_hashes(preview: SigningPreview, hashes: list[tuple[str, str]]) -> SigningPreview:
    extra = tuple(PreviewField(label, value) for label, value in hashes)
    return replace(preview, fields=preview.fields + extra)


async def sign_on_device(
    parent: QWidget | None,
    keys: Keys,
    info: AccountInfo,
    payload: dict[str, Any],
    preview: SigningPreview,
    preview_context: PreviewContext,
) -> str | bytes:
    from ui.signing import SigningCancelled, run_dialog
    from ui.views.hardware_dialog import DeviceWaitDialog
    from ui.views.signing_dialog import SigningDialog

    record = await keys.manager.hardware(info.address)
    device = vendor_name(record.vendor)
    hashes = device_hashes(payload)
    dialog = SigningDialog(
        with_hashes(preview, hashes),
        parent,
        network=preview_context.network_text(),
        device=device,
    )
    if not await run_dialog(dialog):
        raise SigningCancelled("Signing was cancelled; nothing was signed.")
    signer = HardwareSigner(
        info.address,
        vendor=record.vendor,
        path=record.path,
        chain_id=preview_context.chain_id,
        backend=keys.hardware,
    )
    wait = DeviceWaitDialog(device, hashes, parent)
    wait.open()
    try:
        if _is_typed_data(payload):
            return await signer.sign_typed_data(payload)
        return await signer.sign_transaction(payload)
    finally:
        wait.close()
        wait.deleteLater()
