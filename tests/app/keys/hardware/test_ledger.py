"""Ledger's Ethereum app at the APDU boundary.

Every exchange follows LedgerHQ/app-ethereum ``doc/ethapp.adoc`` (the section is named in each
recording and below); signatures in the recordings are real ones by the Hardhat test key, checked
here with eth-account. Status words: 0x6A80, 0x6D00/0x6E00, 0x6982, 0x9000 are in ethapp.adoc
§ Status Words; 0x6985 (denied), 0x6A84 (insufficient memory) are the app's ``apdu_constants.h``;
0x5515 (locked) and 0x6E01/0x6511 (no app open) come from the device OS (BOLOS).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data

from app.keys.hardware import errors as hw
from app.keys.hardware.ledger import LedgerEthApp
from app.keys.hardware.ledger_apdu import get_address_apdu
from app.keys.hardware.ledger_eip712 import field_definition, sign_eip712_hashes_apdu
from app.keys.hardware.ledger_hid import hid_frames, unframe
from app.keys.hardware.signer import HardwareSigner, list_device_addresses
from app.keys.mnemonic import list_addresses
from app.keys.transaction_fields import decode_signed_transaction, normalize_transaction
from tests.app.keys.conftest import HARDHAT_MNEMONIC
from tests.app.keys.hardware import samples
from tests.app.keys.hardware.recorded import RecordedBackend, RecordedLedger, load

OK = "9000"
CONFIG_OLD = "e006000000"  # § GET APP CONFIGURATION


def signer(backend: RecordedBackend) -> HardwareSigner:
    return HardwareSigner(
        samples.ADDRESS,
        vendor="ledger",
        path=samples.PATH,
        chain_id=samples.CHAIN_ID,
        backend=backend,
    )


def exchanges(name: str) -> list[dict[str, str]]:
    return list(load(name)["exchanges"])


def step(section: str, command: str, response: str) -> dict[str, str]:
    return {"section": f"ethapp.adoc § {section}", "command": command, "response": response}


def config(flags: int, version: tuple[int, int, int]) -> dict[str, str]:
    return step("GET APP CONFIGURATION", CONFIG_OLD, bytes([flags, *version]).hex() + OK)


# --- encodings, byte for byte from the document ----------------------------------------------


def test_get_address_apdu_follows_the_document() -> None:
    # § GET ETH PUBLIC ADDRESS: E0 02 P1 P2 Lc, then 5 derivation indices (big endian).
    assert get_address_apdu("m/44'/60'/0'/0/0", show=False).hex() == (
        "e002000015058000002c8000003c800000000000000000000000"
    )
    assert get_address_apdu("m/44'/60'/1'/0/0", show=True).hex().startswith("e002010015")


@pytest.mark.parametrize(
    ("type_name", "key", "expected"),
    [
        # § EIP712 SEND STRUCT DEFINITION: TypeDesc (array bit, size bit, type), [TypeSize], ...
        ("string", "name", "0504" + b"name".hex()),
        ("uint64", "timestamp", "420809" + b"timestamp".hex()),
        ("uint256", "chainId", "422007" + b"chainId".hex()),
        ("address", "verifyingContract", "0311" + b"verifyingContract".hex()),
        ("bytes32", "proposal", "462008" + b"proposal".hex()),
        ("bytes", "data", "0704" + b"data".hex()),
        ("bool", "ok", "0402" + b"ok".hex()),
        ("int8", "delta", "410105" + b"delta".hex()),
        # arrays: ArrayLevelCount then levels (00 dynamic, 01 N fixed)
        ("string[]", "choices", "85010007" + b"choices".hex()),
        ("uint32[2][]", "ranks", "c2040201020005" + b"ranks".hex()),
        # a custom (struct) type carries its name after TypeDesc
        ("Person[]", "to", "8006" + b"Person".hex() + "010002" + b"to".hex()),
    ],
)
def test_struct_field_definitions(type_name: str, key: str, expected: str) -> None:
    types = {"Person": [{"name": "name", "type": "string"}]}
    assert field_definition(type_name, key, types).hex() == expected


def test_hashes_apdu_carries_domain_and_message_hash() -> None:
    # § SIGN ETH EIP 712, v0: path, then domain hash (32) and message hash (32).
    vote = samples.snapshot_vote()
    signable = encode_typed_data(full_message=vote)
    command = sign_eip712_hashes_apdu(samples.PATH, vote)
    assert command[:4].hex() == "e00c0000"
    assert command[4] == 21 + 64
    assert command[-64:] == bytes(signable.header) + bytes(signable.body)


def test_hid_framing_round_trips_long_apdus() -> None:
    # § Transport protocol: channel 0101, tag 05, sequence; first frame has the APDU length.
    command = bytes(range(256)) + bytes(100)
    frames = hid_frames(command)
    assert all(len(f) == 64 for f in frames)
    assert frames[0][:7].hex() == "0101050000" + "0164"
    assert frames[1][:5].hex() == "0101050001"
    assert unframe(frames[:2]) is None
    assert unframe(frames) == command


# --- recorded sessions through HardwareSigner ---------------------------------------------------


def test_address_picker_lists_standard_and_ledger_live_paths() -> None:
    wire = RecordedLedger(exchanges("ledger_addresses"))
    app = LedgerEthApp(wire, model="Nano S Plus")
    state = app.state()
    assert (state.version, state.full_eip712, state.blind_signing) == ((1, 10, 4), True, False)
    app.get_address("m/44'/60'/0'/0/0")
    standard = list_device_addresses(app, template="bip44", count=5)
    live = list_device_addresses(app, template="ledger-live", count=2)
    assert wire.done()
    # The same seed in eth-account gives the same addresses on the same paths.
    assert standard == list_addresses(HARDHAT_MNEMONIC, template="bip44", count=5)
    assert live == list_addresses(HARDHAT_MNEMONIC, template="ledger-live", count=2)
    assert live[1].path == samples.LIVE_PATH_1


async def test_show_address_on_device() -> None:
    backend = RecordedBackend("ledger", exchanges("ledger_show_address"))
    # HardwareSigner first checks the device holds the account (its address at the path, no
    # display), then asks it to display the address.
    assert await signer(backend).show_address() == samples.ADDRESS
    assert backend.wire.sent[-1][:4].hex() == "e0020100"  # P1=01: display and confirm
    assert backend.done()
    assert backend.wire.closed


async def test_snapshot_vote_in_full_recovers_to_the_account() -> None:
    backend = RecordedBackend("ledger", exchanges("ledger_vote_full"))
    vote = samples.snapshot_vote()
    signature = await signer(backend).sign_typed_data(vote)
    recovered = Account.recover_message(encode_typed_data(full_message=vote), signature=signature)
    assert recovered == samples.ADDRESS
    kinds = {command[1] for command in backend.wire.sent}
    assert {0x1A, 0x1C, 0x0C} <= kinds  # definitions, implementation, then SIGN (full)
    assert backend.wire.sent[-1][:4].hex() == "e00c0001"
    assert backend.done()


async def test_snapshot_vote_by_hashes_on_an_old_app() -> None:
    backend = RecordedBackend("ledger", exchanges("ledger_vote_hashes"))
    vote = samples.snapshot_vote()
    signature = await signer(backend).sign_typed_data(vote)
    assert Account.recover_message(encode_typed_data(full_message=vote), signature=signature) == (
        samples.ADDRESS
    )
    assert backend.wire.sent[-1][:4].hex() == "e00c0000"  # v0: hashes
    assert backend.done()


async def test_governor_vote_transaction() -> None:
    backend = RecordedBackend("ledger", exchanges("ledger_governor_tx"))
    tx = samples.governor_vote_tx()
    raw = await signer(backend).sign_transaction(tx)
    sender, fields = decode_signed_transaction("0x" + raw.hex())
    assert sender == samples.ADDRESS
    assert fields == normalize_transaction(tx)
    assert raw[0] == 2  # EIP-1559
    assert backend.done()


# --- the errors people hit ------------------------------------------------------------------


async def sign_vote(
    script: list[dict[str, str]], vote: dict[str, Any] | None = None
) -> RecordedBackend:
    backend = RecordedBackend("ledger", script)
    try:
        await signer(backend).sign_typed_data(vote or samples.snapshot_vote())
    finally:
        assert backend.done(), "not every recorded exchange was used"
    return backend


@pytest.mark.parametrize("sw", ["5515", "6982"])
async def test_device_locked(sw: str) -> None:
    with pytest.raises(hw.DeviceLockedError, match=r"Ledger is locked.*PIN.*Ethereum app"):
        await sign_vote([step("GET APP CONFIGURATION", CONFIG_OLD, sw)])


@pytest.mark.parametrize("sw", ["6e00", "6d00", "6e01", "6511"])
async def test_wrong_app_open(sw: str) -> None:
    script = [
        step("GET APP CONFIGURATION", CONFIG_OLD, sw),
        {"section": "Ledger OS GET APP AND VERSION", "command": "b001000000", "response": "6e00"},
    ]
    with pytest.raises(hw.WrongAppError, match=r"does not have the Ethereum app open"):
        await sign_vote(script)


async def test_blind_signing_disabled_for_hashes_on_an_old_app() -> None:
    script = exchanges("ledger_vote_hashes")[:2]
    script[0] = config(0x00, (1, 9, 0))  # blind signing off
    with pytest.raises(hw.BlindSigningDisabledError) as caught:
        await sign_vote(script)
    message = caught.value.user_message
    assert "version 1.9.0" in message
    assert "too old to show this message in full" in message
    assert "enable Blind signing" in message


async def test_blind_signing_disabled_for_a_contract_call() -> None:
    script = exchanges("ledger_governor_tx")[:2]
    script[0] = config(0x00, (1, 10, 4))
    backend = RecordedBackend("ledger", script)
    with pytest.raises(
        hw.BlindSigningDisabledError, match=r"calls a contract.*enable Blind signing"
    ):
        await signer(backend).sign_transaction(samples.governor_vote_tx())
    assert backend.done()


async def test_blind_signing_refused_by_the_device() -> None:
    # The setting was switched off between GET APP CONFIGURATION and the signature: 0x6A80.
    script = exchanges("ledger_vote_hashes")
    script[0] = config(0x01, (1, 9, 0))
    script[-1] = dict(script[-1], response="6a80")
    backend = RecordedBackend("ledger", script)
    s = signer(backend)
    # The device reports the setting when asked again; the signer read it as on.
    with pytest.raises(hw.DeviceProtocolError, match=r"refused"):
        await s.sign_typed_data(samples.snapshot_vote())


async def test_firmware_too_old_for_eip712() -> None:
    with pytest.raises(hw.FirmwareTooOldError, match=r"version 1\.4\.0.*Update it in Ledger Live"):
        await sign_vote([config(0x01, (1, 4, 0)), exchanges("ledger_vote_full")[1]])


async def test_firmware_without_struct_commands() -> None:
    # An app that claims ≥ 1.9.19 but does not know EIP712 SEND STRUCT DEFINITION (0x6D00).
    script = exchanges("ledger_vote_full")[:3]
    script[2] = dict(script[2], response="6d00")
    with pytest.raises(hw.FirmwareTooOldError, match=r"too old"):
        await sign_vote(script)


async def test_message_too_large_is_refused_before_sending() -> None:
    vote = copy.deepcopy(samples.snapshot_vote())
    vote["message"]["reason"] = "x" * 70_000
    script = exchanges("ledger_vote_full")[:2]  # configuration and address only
    with pytest.raises(hw.MessageTooLargeError, match=r"'reason' is 70000 bytes.*Shorten it"):
        await sign_vote(script, vote)


async def test_message_too_large_for_the_device_memory() -> None:
    script = exchanges("ledger_vote_full")[:6]
    script[5] = dict(script[5], response="6a84")
    with pytest.raises(hw.MessageTooLargeError, match=r"too large for your Ledger"):
        await sign_vote(script)


async def test_rejected_on_device() -> None:
    script = exchanges("ledger_vote_full")
    script[-1] = dict(script[-1], response="6985")
    with pytest.raises(hw.RejectedOnDeviceError, match=r"rejected the request on your Ledger"):
        await sign_vote(script)


async def test_unplugged_mid_signature() -> None:
    script = exchanges("ledger_vote_full")[:20]
    script[19] = dict(script[19], response="unplugged")
    backend = RecordedBackend("ledger", script)
    with pytest.raises(hw.DeviceDisconnectedError, match=r"disconnected before it answered"):
        await signer(backend).sign_typed_data(samples.snapshot_vote())
    assert backend.done()


async def test_wrong_device_is_refused() -> None:
    script = exchanges("ledger_vote_full")[:2]
    other = HardwareSigner(
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        vendor="ledger",
        path=samples.PATH,
        chain_id=samples.CHAIN_ID,
        backend=RecordedBackend("ledger", script),
    )
    with pytest.raises(hw.WrongDeviceError, match=r"does not hold"):
        await other.sign_typed_data(samples.snapshot_vote())


async def test_a_bad_signature_is_not_returned() -> None:
    script = exchanges("ledger_vote_full")
    response = bytearray(bytes.fromhex(script[-1]["response"]))
    response[10] ^= 0xFF  # one bit of r flipped on the way
    script[-1] = dict(script[-1], response=response.hex())
    with pytest.raises(hw.HardwareError):
        await sign_vote(script)


def test_encoding_round_trips_through_a_decoder_written_from_the_document() -> None:
    from app.keys.hardware.base import complete_types
    from app.keys.hardware.ledger_eip712 import (
        struct_definition_apdus,
        struct_implementation_apdus,
    )
    from tests.app.keys.hardware.make_recordings import decode_ledger_eip712

    for typed in (samples.rich_typed_data(), samples.governor_ballot(), samples.snapshot_vote()):
        apdus = struct_definition_apdus(complete_types(typed)) + struct_implementation_apdus(typed)
        assert decode_ledger_eip712(apdus) == typed
    # A 600-byte string travels in three APDUs: two partial (P1=01), then the last (P1=00).
    rich = samples.rich_typed_data()
    contents = [a for a in struct_implementation_apdus(rich) if a[3] == 0xFF and a[2] == 0x01]
    assert len(contents) == 2


@pytest.mark.parametrize("value", [200, -300, 32767, -32768])
def test_signed_ints_go_full_width(value: int) -> None:
    from app.keys.hardware.ledger_eip712 import encode_value

    assert encode_value("int16", value) == value.to_bytes(2, "big", signed=True)


@pytest.mark.parametrize("name", ["ledger_ballot_full", "ledger_rich_full"])
async def test_governor_ballot_and_every_field_kind_in_full(name: str) -> None:
    typed = samples.governor_ballot() if "ballot" in name else samples.rich_typed_data()
    backend = RecordedBackend("ledger", exchanges(name))
    signature = await signer(backend).sign_typed_data(typed)
    recovered = Account.recover_message(encode_typed_data(full_message=typed), signature=signature)
    assert recovered == samples.ADDRESS
    assert backend.done()


def app_and_version(name: str, version: str) -> str:
    # Ledger OS "GET APP AND VERSION" (B0 01): format 01, name, version, flags.
    body = bytes([1, len(name)]) + name.encode() + bytes([len(version)]) + version.encode()
    return (body + b"\x01\x00").hex() + OK


@pytest.mark.parametrize(
    ("name", "shown"), [("Bitcoin", "the Bitcoin app open"), ("BOLOS", "its dashboard")]
)
async def test_wrong_app_names_the_app_that_is_open(name: str, shown: str) -> None:
    script = [
        step("GET APP CONFIGURATION", CONFIG_OLD, "6e00"),
        {"section": "Ledger OS GET APP AND VERSION", "command": "b001000000",
         "response": app_and_version(name, "2.1.0")},
    ]  # fmt: skip
    with pytest.raises(hw.WrongAppError, match=f"shows {shown}. Open the Ethereum app"):
        await sign_vote(script)
