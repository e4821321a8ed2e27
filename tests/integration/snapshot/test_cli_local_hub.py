"""``govdesk snapshot propose`` and ``vote`` against the local hub on the devnet: the voting type
is fetched from the hub, the vote goes through the outbox, and ``snapshot outbox`` shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account

from app.cli import main
from app.devnet.hub import LocalHub
from app.devnet.network import Devnet
from tests.integration.snapshot.conftest import SPACE

pytestmark = pytest.mark.integration


@pytest.fixture
def keystore(devnet: Devnet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "key.json"
    key = devnet.accounts[2].dev_key
    path.write_text(json.dumps(Account.encrypt(key, "pw", kdf="pbkdf2", iterations=1000)))
    monkeypatch.setenv("GOVDESK_PASSWORD", "pw")
    return path


def test_propose_then_vote_through_the_cli(
    hub: LocalHub,
    devnet: Devnet,
    keystore: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    common = ["--space", SPACE, "--hub", hub.url, "--sequencer", hub.sequencer_url]
    common += ["--keystore", str(keystore)]
    common += ["--data-dir", str(tmp_path / "data")]
    snapshot = str(devnet.control.block_number())
    propose = ["--title", "[Consensus Check] Ship it", "--option", "Yes", "--option", "No"]
    propose += ["--option", "Abstain", "--type", "basic", "--snapshot", snapshot]
    assert main(["snapshot", "propose", *common, *propose]) == 0
    proposal_id = capsys.readouterr().out.split()[-1]
    devnet.control.mine()

    assert main(["snapshot", "vote", *common, "--proposal", proposal_id, "--choice", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("accepted: vote 0x")
    vote_id = out.split()[-1]
    row = hub.store.one("SELECT voter, choice, app FROM votes WHERE id = ?", (vote_id,))
    assert row == {"voter": devnet.accounts[2].address, "choice": 3, "app": "govdesk"}

    assert main(["snapshot", "vote", *common, "--proposal", proposal_id, "--choice", "4"]) == 2
    assert "not valid for a basic proposal" in capsys.readouterr().err

    assert main(["snapshot", "outbox", "--data-dir", str(tmp_path / "data")]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in listed] == [
        ["accepted", "proposal", proposal_id],
        ["accepted", "vote", vote_id],
    ]
