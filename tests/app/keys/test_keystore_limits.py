"""Keystore import caps the KDF's cost; passwords without a terminal are a message (#22, 7-8)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account

from app.keys.errors import InvalidKeyMaterialError
from app.keys.keystore import decrypt_keystore, parse_keystore_json

KEY = bytes.fromhex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")


def _keystore(kdf: str, **params: Any) -> dict[str, Any]:
    keystore: dict[str, Any] = Account.encrypt(
        KEY, "pw", kdf=kdf, iterations=2 if kdf == "scrypt" else 1
    )
    keystore["crypto"]["kdfparams"].update(params)
    return keystore


@pytest.mark.parametrize(
    ("kdf", "params"),
    [
        ("pbkdf2", {"c": 2_000_000_000}),
        ("scrypt", {"n": 2**30}),
        ("scrypt", {"n": 2**20, "r": 64}),
        ("scrypt", {"p": 10**6}),
        ("pbkdf2", {"c": "many"}),
        ("scrypt", {"dklen": 10**9}),
    ],
)
def test_costly_kdf_parameters_are_refused_at_once(kdf: str, params: dict[str, Any]) -> None:
    keystore = _keystore(kdf, **params)
    started = time.monotonic()
    with pytest.raises(InvalidKeyMaterialError):
        parse_keystore_json(json.dumps(keystore))
    with pytest.raises(InvalidKeyMaterialError):
        decrypt_keystore(keystore, "pw")
    assert time.monotonic() - started < 1.0


def test_ordinary_keystores_still_open() -> None:
    for kdf in ("scrypt", "pbkdf2"):
        keystore = parse_keystore_json(json.dumps(_keystore(kdf)))
        assert decrypt_keystore(keystore, "pw") == KEY


def test_no_password_and_no_terminal_is_a_message(tmp_path: Path) -> None:
    keystore = tmp_path / "k.json"
    keystore.write_text(json.dumps(_keystore("scrypt")))
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "snapshot",
            "vote",
            "--space",
            "s.eth",
            "--proposal",
            "0x1",
            "--choice",
            "1",
            "--type",
            "basic",
            "--keystore",
            str(keystore),
            "--dry-run",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        start_new_session=True,
    )
    assert out.returncode == 2, out.stderr
    assert "GOVDESK_PASSWORD" in out.stderr
    assert "Traceback" not in out.stderr
