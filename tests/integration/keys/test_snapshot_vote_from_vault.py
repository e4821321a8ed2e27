"""`govdesk snapshot vote --account` signs with a key sealed in the real Secret Service, and the
signature verifies for the account; a watch-only account cannot sign."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.cli import main
from app.snapshot.envelope import recover_signer
from tests.integration.keys.conftest import SecretService

pytestmark = pytest.mark.integration
KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"  # anvil dev account 1
ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
PROPOSAL = "0x" + "11" * 32


def test_vote_dry_run_signs_with_the_vault_key(
    secret_service: SecretService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    monkeypatch.setenv("GOVDESK_PASSWORD", "vault password")
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    assert main(["account", "import", "--private-key", *data]) == 0
    capsys.readouterr()
    code = main(["snapshot", "vote", "--space", "btrst.eth", "--proposal", PROPOSAL, "--choice", "[2,1,3]",
                 "--type", "ranked-choice", "--account", ADDRESS, "--dry-run", *data])  # fmt: skip
    assert code == 0
    envelope = json.loads(capsys.readouterr().out)
    assert envelope["address"] == ADDRESS
    assert envelope["data"]["message"]["choice"] == [2, 1, 3]
    assert recover_signer(envelope["data"], envelope["sig"]) == ADDRESS
    assert KEY[2:] not in json.dumps(envelope)


def test_watch_only_account_cannot_vote(
    secret_service: SecretService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["account", "watch", ADDRESS, *data]) == 0
    capsys.readouterr()
    code = main(["snapshot", "vote", "--space", "btrst.eth", "--proposal", PROPOSAL, "--choice", "1",
                 "--type", "single-choice", "--account", ADDRESS, "--dry-run", *data])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "watch-only" in err
