"""`govdesk governor ...` end to end against the devnet (in-process CLI, real anvil)."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.devnet.network import Devnet

pytestmark = pytest.mark.integration


def _base(devnet: Devnet, stack: str) -> list[str]:
    return ["--rpc", devnet.rpc_url, "--governor", devnet.stack(stack)["governor"]]


def _signing(devnet: Devnet, index: int = 0, chain_id: int = 31337) -> list[str]:
    return ["--chain-id", str(chain_id), "--dev-key", devnet.accounts[index].dev_key]


@pytest.mark.parametrize("stack", ["oz", "alpha"])
def test_cli_proposes_lists_and_refuses_early_vote(
    isolated_devnet: Devnet, stack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = isolated_devnet.stack(stack)["target"]
    action = f"{target}:setMarketplaceFee(uint8):42"
    base = _base(isolated_devnet, stack)
    assert main(["governor", "propose", *base, *_signing(isolated_devnet), "--action", action,
                 "--description", "# Fee to 42\nbecause"]) == 0  # fmt: skip
    assert "created" in capsys.readouterr().out
    assert main(["governor", "proposals", *base, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    (proposal,) = document["proposals"]
    assert proposal["status"]["state"] == "Pending"
    assert proposal["actions"][0]["summary"].endswith("setMarketplaceFee(newFee=42)")
    pid = str(proposal["created"]["proposal_id"])
    assert main(["governor", "vote", pid, "for", *base, *_signing(isolated_devnet)]) == 2
    assert "it is Pending" in capsys.readouterr().err


def test_cli_refuses_to_sign_for_another_chain(
    isolated_devnet: Devnet, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _base(isolated_devnet, "oz")
    assert (
        main(
            [
                "governor",
                "delegate",
                "0x" + "11" * 20,
                *base,
                *_signing(isolated_devnet, chain_id=5),
            ]
        )
        == 2
    )
    assert "serves chain 31337" in capsys.readouterr().err
    assert main(["governor", "delegate", "0x" + "11" * 20, *base, "--dev-key", "0x01"]) == 2
    assert "--chain-id" in capsys.readouterr().err


def test_cli_rejects_a_malformed_action(
    isolated_devnet: Devnet, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _base(isolated_devnet, "oz")
    bad = "0x" + "11" * 20 + ":setMarketplaceFee(uint8):1,2"
    assert (
        main(
            [
                "governor",
                "propose",
                *base,
                *_signing(isolated_devnet),
                "--action",
                bad,
                "--description",
                "x",
            ]
        )
        == 2
    )
    assert "takes 1 arguments, 2 given" in capsys.readouterr().err


def test_cli_names_a_non_governor(
    isolated_devnet: Devnet, capsys: pytest.CaptureFixture[str]
) -> None:
    token = isolated_devnet.stack("oz")["token"]
    assert (
        main(["governor", "proposals", "--rpc", isolated_devnet.rpc_url, "--governor", token]) == 2
    )
    assert "does not look like a Governor" in capsys.readouterr().err


def test_cli_vote_by_signature_relayed(
    isolated_devnet: Devnet, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _base(isolated_devnet, "bravo")
    action = f"{isolated_devnet.stack('bravo')['target']}:setMarketplaceFee(uint8):3"
    assert main(["governor", "propose", *base, *_signing(isolated_devnet), "--action", action,
                 "--description", "relay me"]) == 0  # fmt: skip
    isolated_devnet.control.mine(2)  # Bravo's ids continue after its Alpha's one proposal
    relay = ["--relay-dev-key", isolated_devnet.accounts[6].dev_key]
    assert (
        main(["governor", "vote", "2", "against", *base, *_signing(isolated_devnet, 2), *relay])
        == 0
    )
    voter = isolated_devnet.accounts[2].address
    capsys.readouterr()
    assert main(["governor", "show", "2", *base, "--account", voter, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)["proposals"][0]["status"]
    assert status["receipt"]["has_voted"] is True
    assert status["receipt"]["support"] == "against"
    assert int(status["votes"]["against"]) == int(status["power"]) > 0
