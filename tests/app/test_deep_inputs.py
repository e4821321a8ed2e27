"""Files and arguments a person hands govdesk, nested to blow the parser: messages, not crashes.

Each of these went through ``json.loads`` before; 20,000 brackets then raised ``RecursionError``
(below the C stack's limit, thanks to app.stack_guard), which the CLI reported as an internal
error (exit 70). They now go through app.jsonsafe (issue #22, Deliver: every untrusted document).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.keys.preview.snapshot import snapshot_choice

DEEP = "[" * 20_000 + "]" * 20_000
DEEP_OBJECT = '{"format": ' + DEEP + "}"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOVDESK_CONFIG_DIR", str(tmp_path / "cfg"))
    return tmp_path


def _clear(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("govdesk: ")
    assert "internal error" not in err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("content", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_a_deep_signing_file_is_a_message(
    data_dir: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    request = data_dir / "request.json"
    request.write_text(content)
    err = _clear(capsys, ["offline", "qr", str(request), "--out-dir", str(data_dir / "qr")])
    assert "is not a govdesk signing" in err
    err = _clear(capsys, ["offline", "sign", str(request), "--account", "0x" + "11" * 20])
    assert "signing file" in err or "not valid JSON" in err


def test_a_deep_action_argument_is_a_message(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    action = '{"target": ' + DEEP + "}"
    err = _clear(capsys, ["governor", "propose", "--action", action, "--description", "x",
                          "--rpc", "http://127.0.0.1:9", "--governor", "0x" + "22" * 20,
                          "--chain-id", "31337", "--dev-key", "0x" + "ac" * 32])  # fmt: skip
    assert "is not valid JSON of the expected shape" in err
    assert len(err) < 600  # the 40 kB argument is not echoed back whole


def test_the_signing_preview_shows_a_deep_choice_as_text() -> None:
    assert snapshot_choice({"choice": DEEP}, ("a", "b")) == (DEEP, True)
