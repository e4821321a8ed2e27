"""``govdesk snapshot`` offline: --dry-run signs with a keystore and prints the envelope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account

from app.cli import main
from app.snapshot.envelope import recover_signer
from app.snapshot.typed_data import types_hash

KEY = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"
PROPOSAL = "0x" + "44" * 32


@pytest.fixture
def keystore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(Account.encrypt(KEY, "pw", kdf="pbkdf2", iterations=1000)))
    monkeypatch.setenv("GOVDESK_PASSWORD", "pw")
    return path


def _vote(keystore: Path, tmp_path: Path, *extra: str) -> list[str]:
    return [
        "snapshot",
        "vote",
        "--space",
        "s.eth",
        "--proposal",
        PROPOSAL,
        "--keystore",
        str(keystore),
        "--data-dir",
        str(tmp_path / "data"),
        "--dry-run",
        *extra,
    ]


def test_dry_run_vote_prints_a_verifiable_envelope(
    keystore: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(_vote(keystore, tmp_path, "--choice", '{"2":1,"1":3}', "--type", "weighted"))
    assert code == 0
    printed = capsys.readouterr()
    envelope = json.loads(printed.out)
    assert set(envelope) == {"address", "sig", "data"}  # exactly what the sequencer takes
    assert set(envelope["data"]) == {"domain", "types", "message"}
    assert printed.err.startswith("message id: 0x")
    address = Account.from_key(KEY).address
    assert envelope["address"] == envelope["data"]["message"]["from"] == address
    assert envelope["data"]["message"]["choice"] == '{"1":3,"2":1}'
    assert envelope["data"]["message"]["app"] == "govdesk"
    assert recover_signer(envelope["data"], envelope["sig"]) == address
    assert types_hash(envelope["data"]["types"]).startswith("afc5911fd9")
    assert not (tmp_path / "data" / "govdesk.sqlite3").exists()  # a dry run stores nothing


def test_invalid_choice_is_refused_before_signing(
    keystore: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(_vote(keystore, tmp_path, "--choice", "[1,1]", "--type", "approval"))
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "only once" in err


def test_choice_must_be_json(
    keystore: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_vote(keystore, tmp_path, "--choice", "yes", "--type", "basic")) == 2
    assert "--choice must be JSON" in capsys.readouterr().err


def test_wrong_password_is_a_user_error(
    keystore: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOVDESK_PASSWORD", "nope")
    assert main(_vote(keystore, tmp_path, "--choice", "1", "--type", "single-choice")) == 2
    assert "Wrong password" in capsys.readouterr().err


def test_dry_run_follow_and_propose(
    keystore: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--space", "s.eth", "--keystore", str(keystore), "--dry-run"]
    assert main(["snapshot", "follow", *common]) == 0
    follow = json.loads(capsys.readouterr().out)
    assert follow["data"]["types"] == {
        "Follow": [
            {"name": "from", "type": "address"},
            {"name": "network", "type": "string"},
            {"name": "space", "type": "string"},
            {"name": "timestamp", "type": "uint64"},
        ]
    }
    args = [
        "--title",
        "T",
        "--option",
        "Yes",
        "--option",
        "No",
        "--snapshot",
        "5",
        "--type",
        "basic",
    ]
    assert main(["snapshot", "propose", *common, *args]) == 0
    proposal = json.loads(capsys.readouterr().out)["data"]["message"]
    assert (proposal["type"], proposal["choices"], proposal["snapshot"]) == (
        "basic",
        ["Yes", "No"],
        5,
    )
    assert proposal["end"] - proposal["start"] == 3 * 86400
