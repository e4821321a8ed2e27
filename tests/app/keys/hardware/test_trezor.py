"""Trezor at the protobuf-message boundary.

Every exchange follows trezor-firmware ``common/protob/messages-ethereum.proto`` and
``messages-ethereum-eip712.proto`` (EthereumGetAddress, EthereumSignTypedData and its
EthereumTypedDataStructRequest/ValueRequest loop, EthereumSignTypedHash, EthereumSignTxEIP1559 /
EthereumTxRequest) and ``messages-common.proto`` (Failure, ButtonRequest, PinMatrixRequest); the
bytes are trezorlib's encoding of those messages. Signatures are real ones by the test key.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from trezorlib import messages as m

from app.keys.hardware import errors as hw
from app.keys.hardware.signer import HardwareSigner, device_addresses
from app.keys.mnemonic import list_addresses
from app.keys.transaction_fields import decode_signed_transaction, normalize_transaction
from tests.app.keys.conftest import HARDHAT_MNEMONIC
from tests.app.keys.hardware import samples
from tests.app.keys.hardware.recorded import RecordedBackend, encode, load

COMMON = "trezor-firmware common/protob/messages-common.proto"


def exchanges(name: str) -> list[dict[str, Any]]:
    return list(load(name)["exchanges"])


def signer(backend: RecordedBackend) -> HardwareSigner:
    return HardwareSigner(
        samples.ADDRESS,
        vendor="trezor",
        path=samples.PATH,
        chain_id=samples.CHAIN_ID,
        backend=backend,
    )


def reply(step: dict[str, Any], message: Any, section: str = COMMON) -> dict[str, Any]:
    name, payload = encode(message)
    return dict(step, section=f"{section} § {name}", receive={"type": name, "hex": payload})


def features(model: str, version: tuple[int, int, int], **extra: Any) -> m.Features:
    return m.Features(
        vendor="trezor.io",
        major_version=version[0],
        minor_version=version[1],
        patch_version=version[2],
        model=model,
        initialized=True,
        **extra,
    )


async def test_picker_and_show_address() -> None:
    backend = RecordedBackend("trezor", exchanges("trezor_addresses")[:5])
    summary, found = await device_addresses(backend, "trezor", template="bip44", count=3)
    assert summary.state.model == "Safe 3"
    assert summary.state.full_eip712
    assert found == list_addresses(HARDHAT_MNEMONIC, template="bip44", count=3)
    backend.extend([exchanges("trezor_addresses")[i] for i in (0, 1, 7, 8)])
    assert await signer(backend).show_address() == samples.ADDRESS
    assert backend.done()


async def test_snapshot_vote_in_full() -> None:
    backend = RecordedBackend("trezor", exchanges("trezor_vote_full"))
    vote = samples.snapshot_vote()
    signature = await signer(backend).sign_typed_data(vote)
    assert Account.recover_message(encode_typed_data(full_message=vote), signature=signature) == (
        samples.ADDRESS
    )
    assert backend.done()


async def test_snapshot_vote_by_hashes_on_a_model_one() -> None:
    backend = RecordedBackend("trezor", exchanges("trezor_vote_hashes"))
    vote = samples.snapshot_vote()
    signature = await signer(backend).sign_typed_data(vote)
    assert Account.recover_message(encode_typed_data(full_message=vote), signature=signature) == (
        samples.ADDRESS
    )
    assert backend.done()


async def test_governor_vote_transaction() -> None:
    backend = RecordedBackend("trezor", exchanges("trezor_governor_tx"))
    tx = samples.governor_vote_tx()
    raw = await signer(backend).sign_transaction(tx)
    sender, fields = decode_signed_transaction("0x" + raw.hex())
    assert sender == samples.ADDRESS
    assert fields == normalize_transaction(tx)
    assert backend.done()


async def vote_with(script: list[dict[str, Any]], vote: dict[str, Any] | None = None) -> None:
    backend = RecordedBackend("trezor", script)
    try:
        await signer(backend).sign_typed_data(vote or samples.snapshot_vote())
    finally:
        assert backend.done(), "not every recorded exchange was used"


async def test_locked_model_one_asks_for_a_pin_matrix() -> None:
    script = exchanges("trezor_vote_hashes")[:2]
    script[1] = reply(script[1], m.PinMatrixRequest(type=m.PinMatrixRequestType.Current))
    cancel_name, cancel_hex = encode(m.Cancel())
    failure = m.Failure(code=m.FailureType.ActionCancelled, message="Cancelled")
    script.append(reply({"send": {"type": cancel_name, "hex": cancel_hex}}, failure))
    with pytest.raises(hw.DeviceLockedError, match=r"Model One is locked.*Trezor Suite"):
        await vote_with(script)


async def test_locked_on_device_pin_cancelled() -> None:
    script = exchanges("trezor_vote_full")[:2]
    script[1] = reply(script[1], m.Failure(code=m.FailureType.PinCancelled, message="PIN"))
    with pytest.raises(hw.DeviceLockedError, match=r"Trezor is locked"):
        await vote_with(script)


async def test_firmware_too_old_for_full_eip712() -> None:
    script = exchanges("trezor_vote_full")[:1]
    script[0] = reply(script[0], features("T", (2, 4, 2)))
    script.append(exchanges("trezor_vote_full")[1])
    with pytest.raises(hw.FirmwareTooOldError, match=r"\(2\.4\.2\) cannot sign EIP-712.*Update"):
        await vote_with(script)


async def test_firmware_that_does_not_know_the_message() -> None:
    script = exchanges("trezor_vote_full")[:3]
    script[2] = reply(script[2], m.Failure(code=m.FailureType.UnexpectedMessage, message="?"))
    with pytest.raises(hw.FirmwareTooOldError, match=r"Update it in Trezor Suite"):
        await vote_with(script)


async def test_message_too_large_for_one_value() -> None:
    vote = copy.deepcopy(samples.snapshot_vote())
    vote["message"]["reason"] = "é" * 600  # 1200 bytes > 1024 per EthereumTypedDataValueAck
    with pytest.raises(hw.MessageTooLargeError, match=r"'reason' is 1200 bytes.*1024"):
        await vote_with(exchanges("trezor_vote_full")[:2], vote)


async def test_rejected_on_device() -> None:
    script = exchanges("trezor_vote_full")
    script[-1] = reply(script[-1], m.Failure(code=m.FailureType.ActionCancelled, message="x"))
    with pytest.raises(hw.RejectedOnDeviceError, match=r"rejected the request on your Trezor"):
        await vote_with(script)


async def test_unplugged_mid_signature() -> None:
    script = exchanges("trezor_vote_full")[:8]
    script[7] = dict(script[7], receive="unplugged")
    with pytest.raises(hw.DeviceDisconnectedError, match=r"disconnected before it answered"):
        await vote_with(script)


@pytest.mark.parametrize("name", ["trezor_ballot_full", "trezor_rich_full"])
async def test_governor_ballot_and_every_field_kind_in_full(name: str) -> None:
    typed = samples.governor_ballot() if "ballot" in name else samples.rich_typed_data()
    backend = RecordedBackend("trezor", exchanges(name))
    signature = await signer(backend).sign_typed_data(typed)
    recovered = Account.recover_message(encode_typed_data(full_message=typed), signature=signature)
    assert recovered == samples.ADDRESS
    assert backend.done()
