"""`govdesk account` and `govdesk offline` without a keyring: clear errors, no plaintext fallback,
and the keyless commands (watch, list, rename, remove) work."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring.backends.fail
import pytest

from app.cli import main
from app.config import default_data_dir
from tests.app.keys.conftest import HARDHAT_ADDRESS_0


@pytest.fixture
def no_keyring(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, process_keyring: Callable[[Any], None]
) -> Path:
    process_keyring(keyring.backends.fail.Keyring())  # what keyring finds on a bare system
    monkeypatch.setenv("GOVDESK_PASSWORD", "correct horse battery")
    data_dir = tmp_path / "data"
    monkeypatch.setenv("GOVDESK_DATA_DIR", str(data_dir))
    return data_dir


def test_account_create_without_keyring_explains_and_writes_no_key(
    no_keyring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["account", "create"]) == 2
    err = capsys.readouterr().err
    assert "No usable system keyring" in err
    assert "never stores keys in plaintext" in err
    assert "Traceback" not in err
    for path in no_keyring.rglob("*"):
        if path.is_file():
            assert b"ciphertext" not in path.read_bytes()


def test_watch_list_rename_remove_need_no_keyring(
    no_keyring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["account", "watch", HARDHAT_ADDRESS_0.lower(), "--label", "Cold"]) == 0
    assert main(["account", "rename", HARDHAT_ADDRESS_0, "Cold wallet"]) == 0
    capsys.readouterr()
    assert main(["account", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "address": HARDHAT_ADDRESS_0,
            "label": "Cold wallet",
            "kind": "watch",
            "source": "watch",
            "derivationPath": None,
        }
    ]
    assert main(["account", "remove", HARDHAT_ADDRESS_0, "--yes"]) == 0
    capsys.readouterr()
    assert main(["account", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_unknown_account_and_bad_address_are_user_errors(
    no_keyring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["account", "rename", HARDHAT_ADDRESS_0, "x"]) == 2
    assert "There is no account" in capsys.readouterr().err
    assert main(["account", "watch", "0xnope"]) == 2
    assert "not an Ethereum address" in capsys.readouterr().err


def test_offline_sign_with_a_broken_file_is_a_user_error(
    no_keyring: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "req.json"
    request.write_text('{"format": "govdesk-signing-request", "version": 9}')
    assert main(["offline", "sign", str(request), "--account", HARDHAT_ADDRESS_0, "--yes"]) == 2
    assert "version 1" in capsys.readouterr().err


def test_default_data_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path / "env"))
    assert default_data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert default_data_dir() == tmp_path / "env"
    monkeypatch.delenv("GOVDESK_DATA_DIR")
    assert default_data_dir().name == "govdesk"


@pytest.mark.parametrize(
    ("index", "shown"),
    [
        ("-1", "-1 is not"),
        ("2147483648", "2147483648 is not"),  # would be the hardened twin of index 0
        ("4294967296", "4294967296 is not"),  # eth-account raised ValidationError here
        ("9" * 40, "a 40-digit number is not"),
    ],
)
def test_mnemonic_import_with_an_index_out_of_range_names_the_range(
    no_keyring: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    index: str,
    shown: str,
) -> None:
    import io

    from tests.app.keys.conftest import HARDHAT_MNEMONIC

    monkeypatch.setattr("sys.stdin", io.StringIO(HARDHAT_MNEMONIC + "\n"))
    assert main(["account", "import", "--mnemonic", "--index", index]) == 2
    err = capsys.readouterr().err
    assert f"The account index must be a whole number from 0 to 2,147,483,647; {shown}" in err
    assert "derivation path" not in err  # the old, misleading message for -1
    assert "Traceback" not in err
    assert "internal error" not in err
    assert "junk" not in err


def test_mnemonic_import_with_a_level_above_the_bip32_range_is_a_message(
    no_keyring: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from tests.app.keys.conftest import HARDHAT_MNEMONIC

    monkeypatch.setattr("sys.stdin", io.StringIO(HARDHAT_MNEMONIC + "\n"))
    path = "m/44'/60'/4294967296'/0/{i}"
    assert main(["account", "import", "--mnemonic", "--index", "0", "--path", path]) == 2
    err = capsys.readouterr().err
    assert "has a level above 2,147,483,647, the largest BIP-32 index" in err
    assert "internal error" not in err
