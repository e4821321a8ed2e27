"""`govdesk account` on the real Secret Service: create, mnemonic import, export, rename, remove."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest
from eth_account import Account

from app.cli import main
from tests.app.keys.conftest import HARDHAT_MNEMONIC
from tests.integration.keys.conftest import SecretService

pytestmark = pytest.mark.integration
PASSWORD = "cli test password"


def _accounts(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    capsys.readouterr()
    assert main(["account", "list", "--json", "--data-dir", str(data_dir)]) == 0
    rows: list[dict[str, str]] = json.loads(capsys.readouterr().out)
    return rows


def test_account_cli_lifecycle(
    secret_service: SecretService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    monkeypatch.setenv("GOVDESK_PASSWORD", PASSWORD)
    assert main(["account", "create", "--label", "Fresh", *data]) == 0
    (created,) = _accounts(tmp_path / "data", capsys)
    assert created["label"] == "Fresh"
    assert secret_service.backend.get_password("govdesk", created["address"]) is not None

    monkeypatch.setattr("sys.stdin", io.StringIO(HARDHAT_MNEMONIC + "\n"))
    assert main(["account", "import", "--mnemonic", "--show", "3", *data]) == 0
    listing = capsys.readouterr().out
    assert "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" in listing
    assert "junk" not in listing
    monkeypatch.setattr("sys.stdin", io.StringIO(HARDHAT_MNEMONIC + "\n"))
    assert main(["account", "import", "--mnemonic", "--index", "2", *data]) == 0
    rows = _accounts(tmp_path / "data", capsys)
    assert rows[1]["address"] == "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
    assert rows[1]["derivationPath"] == "m/44'/60'/0'/0/2"

    out = tmp_path / "export" / "key.json"
    monkeypatch.setenv("GOVDESK_NEW_PASSWORD", "exported password")
    assert main(["account", "export", rows[1]["address"], "--out", str(out), *data]) == 0
    assert "controls the account" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    exported = json.loads(out.read_text())
    assert (
        Account.from_key(Account.decrypt(exported, "exported password")).address
        == rows[1]["address"]
    )

    assert main(["account", "rename", created["address"], "Daily", *data]) == 0
    assert main(["account", "remove", created["address"], "--yes", *data]) == 0
    assert [r["address"] for r in _accounts(tmp_path / "data", capsys)] == [rows[1]["address"]]
    assert secret_service.backend.get_password("govdesk", created["address"]) is None


def test_account_cli_wrong_password_on_export(
    secret_service: SecretService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    monkeypatch.setenv("GOVDESK_PASSWORD", PASSWORD)
    assert main(["account", "create", *data]) == 0
    (created,) = _accounts(tmp_path / "data", capsys)
    monkeypatch.setenv("GOVDESK_PASSWORD", "not the password")
    monkeypatch.setenv("GOVDESK_NEW_PASSWORD", "exported password")
    out = tmp_path / "key.json"
    assert main(["account", "export", created["address"], "--out", str(out), *data]) == 2
    assert "Wrong password" in capsys.readouterr().err
    assert not out.exists()
