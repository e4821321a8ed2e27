"""`govdesk safe`: a 2-of-3 Safe votes from the command line, one owner on another machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from web3 import Web3

from app.cli import main
from app.devnet.network import Devnet
from app.devnet.safes import SafeDeployer
from tests.integration.helpers import contract, first_event, send

pytestmark = pytest.mark.integration


@pytest.fixture
def safe_address(isolated_devnet: Devnet, w3: Web3) -> str:
    deployer = SafeDeployer(w3, isolated_devnet.accounts[0].address)
    infra = deployer.deploy_infra()
    return deployer.create_safe(infra, [a.address for a in isolated_devnet.accounts[1:4]], 2)


def _chain(devnet: Devnet) -> list[str]:
    return ["--rpc", devnet.rpc_url, "--chain-id", str(devnet.chain_id)]


def _request_id(out: str) -> str:
    return out.split()[0]


def test_a_safe_vote_is_approved_here_and_on_another_owners_machine(
    isolated_devnet: Devnet, safe_address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    here = ["--data-dir", str(tmp_path / "here")]
    owners = isolated_devnet.accounts[1:4]
    assert main(["safe", "list", *here]) == 0
    assert "No Safe is followed here yet" in capsys.readouterr().out
    assert main(["account", "watch", owners[2].address, "--label", "Cold owner", *here]) == 0
    capsys.readouterr()
    add = ["safe", "add", safe_address, *_chain(isolated_devnet), *here, "--label", "Treasury"]
    assert main(add) == 0
    shown = capsys.readouterr().out
    assert "Following Treasury" in shown
    assert "(2 of 3)" in shown
    assert f"Cold owner {owners[2].address} (watch on this device)" in shown
    assert f"{owners[0].address} (signs elsewhere" in shown
    assert main(["safe", "list", *here]) == 0
    assert "Treasury: Safe" in capsys.readouterr().out

    vote = ["safe", "vote", safe_address, *_chain(isolated_devnet), *here, "--space",
            "alpha.govdesk.eth", "--proposal", "0x" + "12" * 32, "--type", "single-choice",
            "--choices", "2", "--choice", "1", "--sequencer", "http://127.0.0.1:9/"]  # fmt: skip
    assert main(vote) == 0
    opened = capsys.readouterr().out
    assert opened.strip().endswith("waiting for 2 more signers")
    request = _request_id(opened)

    assert main(["safe", "approve", request, "--dev-key", owners[0].dev_key, *here]) == 0
    assert capsys.readouterr().out.strip().endswith("waiting for 1 more signer")
    # Another owner, on another machine: a file out, an approval file back.
    asked, answered = tmp_path / "request.json", tmp_path / "approval.json"
    assert main(["safe", "export", request, "--out", str(asked), *here]) == 0
    assert json.loads(asked.read_text())["typed_data"]["primaryType"] == "SafeMessage"
    capsys.readouterr()
    with pytest.raises(SystemExit):  # a non-owner's key: a clear error, no file
        main(["safe", "sign-file", str(asked), "--out", str(answered)])
    capsys.readouterr()
    outsider = ["safe", "sign-file", str(asked), "--out", str(answered), "--dev-key",
                isolated_devnet.accounts[8].dev_key]  # fmt: skip
    assert main(outsider) == 2
    assert "is not an owner" in capsys.readouterr().err
    assert not answered.exists()
    # sign-file needs no store: the other owner's machine only has their key.
    owner = ["safe", "sign-file", str(asked), "--out", str(answered), "--dev-key",
             owners[2].dev_key]  # fmt: skip
    assert main(owner) == 0
    capsys.readouterr()
    assert main(["safe", "import", str(answered), *here]) == 0
    assert capsys.readouterr().out.strip().endswith("ready to send")
    assert main(["safe", "requests", *here]) == 0
    assert "ready to send" in capsys.readouterr().out


def test_a_safe_executes_its_alpha_vote_from_the_command_line(
    isolated_devnet: Devnet, w3: Web3, safe_address: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    here = ["--data-dir", str(tmp_path / "here")]
    stack = isolated_devnet.stack("alpha")
    token = contract(w3, "CompToken", stack["token"])
    governor = contract(w3, "GovernorAlpha", stack["governor"])
    dev0, owners = isolated_devnet.accounts[0].address, isolated_devnet.accounts[1:4]
    holder = isolated_devnet.accounts[9].address  # holds tokens, has never delegated
    send(w3, token.functions.delegate(safe_address), holder)  # and lends its votes to the Safe
    receipt = send(w3, governor.functions.propose(
        [stack["target"]], [0], ["addFoundationMember(string)"],
        [bytes.fromhex("00" * 31 + "20") + bytes(32)], "# From a Safe"), dev0)  # fmt: skip
    proposal_id = first_event(receipt, governor, "ProposalCreated")["id"]
    isolated_devnet.control.mine(2)
    data = governor.encode_abi("castVote", args=[proposal_id, True])
    call = ["safe", "call", safe_address, *_chain(isolated_devnet), *here, "--to",
            stack["governor"], "--data", data, "--summary", f"votes For on {proposal_id}"]  # fmt: skip
    assert main(call) == 0
    request = _request_id(capsys.readouterr().out)
    for owner in owners[:2]:
        assert main(["safe", "approve", request, "--dev-key", owner.dev_key, *here]) == 0
    execute = ["safe", "execute", request, *_chain(isolated_devnet), *here,
               "--dev-key", owners[2].dev_key]  # fmt: skip
    assert main(execute) == 0
    assert "executed in block" in capsys.readouterr().out
    has_voted, support, votes = governor.functions.getReceipt(proposal_id, safe_address).call()
    assert (has_voted, support) == (True, True)
    assert votes == token.functions.balanceOf(holder).call()
