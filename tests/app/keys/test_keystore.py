"""Sealing keys: eth-account keystore (scrypt) in a versioned envelope."""

from __future__ import annotations

import json

import pytest
from eth_account import Account

from app.keys.errors import InvalidKeyMaterialError, WrongPasswordError
from app.keys.keystore import (
    DEFAULT_SCRYPT_N,
    KEYSTORE_FORMAT_VERSION,
    KdfParams,
    decrypt_keystore,
    open_sealed_key,
    parse_keystore_json,
    read_envelope,
    seal_private_key,
)
from tests.app.keys.conftest import FAST_KDF, HARDHAT_ADDRESS_0, HARDHAT_KEY_0

KEY = bytes.fromhex(HARDHAT_KEY_0[2:])


def test_seal_private_key_roundtrips_and_hides_the_key() -> None:
    sealed = seal_private_key(KEY, "correct horse", kdf=FAST_KDF)
    assert KEY.hex() not in sealed.lower()
    envelope = json.loads(sealed)
    assert envelope["version"] == KEYSTORE_FORMAT_VERSION
    assert envelope["address"] == HARDHAT_ADDRESS_0
    assert envelope["keystore"]["crypto"]["kdf"] == "scrypt"
    assert envelope["keystore"]["crypto"]["kdfparams"]["n"] == FAST_KDF.scrypt_n
    assert open_sealed_key(sealed, "correct horse") == KEY


def test_open_sealed_key_with_wrong_password_raises_wrong_password() -> None:
    sealed = seal_private_key(KEY, "correct horse", kdf=FAST_KDF)
    with pytest.raises(WrongPasswordError) as info:
        open_sealed_key(sealed, "battery staple")
    assert info.value.user_message == "Wrong password for this account."


def test_default_kdf_is_eth_account_strength() -> None:
    assert KdfParams().scrypt_n == DEFAULT_SCRYPT_N == 2**18


def test_kdf_params_reject_non_power_of_two() -> None:
    with pytest.raises(ValueError, match="power of two"):
        KdfParams(scrypt_n=1000)


@pytest.mark.parametrize(
    ("envelope", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": "other"}', "not a govdesk keystore"),
        ('{"format": "govdesk-keystore", "version": 2}', "only format 1"),
    ],
)
def test_read_envelope_rejects_foreign_or_future_formats(envelope: str, message: str) -> None:
    with pytest.raises(InvalidKeyMaterialError, match=message):
        read_envelope(envelope)


def test_open_sealed_key_detects_address_swap() -> None:
    envelope = json.loads(seal_private_key(KEY, "pw-123456", kdf=FAST_KDF))
    envelope["address"] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    with pytest.raises(InvalidKeyMaterialError, match="does not match"):
        open_sealed_key(json.dumps(envelope), "pw-123456")


def test_parse_keystore_json_accepts_v3_and_rejects_others() -> None:
    keystore = Account.encrypt(KEY, "pw", iterations=16)
    assert parse_keystore_json(json.dumps(keystore))["address"] == keystore["address"]
    with pytest.raises(InvalidKeyMaterialError, match="version 3"):
        parse_keystore_json('{"version": 1}')
    with pytest.raises(InvalidKeyMaterialError, match="crypto"):
        parse_keystore_json('{"version": 3, "crypto": {}}')
    with pytest.raises(InvalidKeyMaterialError, match="not valid JSON"):
        parse_keystore_json("{")


def test_decrypt_keystore_reports_damage_separately_from_wrong_password() -> None:
    keystore = Account.encrypt(KEY, "pw", iterations=16)
    keystore["crypto"]["kdf"] = "argon9"
    with pytest.raises(InvalidKeyMaterialError, match="damaged"):
        decrypt_keystore(keystore, "pw")
