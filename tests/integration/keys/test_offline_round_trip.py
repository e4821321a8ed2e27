"""Air-gapped signing end to end, with two data directories and the real Secret Service.

The online directory has a watch-only account; the offline directory has the key (imported with
``govdesk account import``). A request goes online -> offline as a JSON file or as UR frames,
``govdesk offline sign`` previews and signs it, and the online side verifies the response. The
signed transaction is then sent to the real devnet.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak
from web3 import Web3

from app.artifacts import artifacts_dir, read_artifact_json
from app.cli import main
from app.cli.offline import read_response_file
from app.devnet.dev_accounts import dev_accounts
from app.devnet.network import Devnet
from app.keys.airgap import (
    DEFAULT_KEY_PATH,
    SigningRequest,
    accept_response,
    build_eth_sign_request,
    dump_request,
    load_response,
)
from app.keys.erc4527 import KeyPath
from app.keys.errors import OfflineSignatureRequired
from app.keys.ur import encode_parts, encode_ur
from app.keys.vault_signers import WatchOnlySigner
from tests.app.keys.test_preview import snapshot_vote
from tests.integration.keys.conftest import SecretService

pytestmark = pytest.mark.integration
PASSWORD = "offline device password"
SIGNER = dev_accounts(10)[9]  # holds tokens, never delegated by the devnet


@pytest.fixture
def dirs(
    secret_service: SecretService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    online, offline = tmp_path / "online", tmp_path / "offline"
    monkeypatch.setenv("GOVDESK_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(SIGNER.dev_key + "\n"))
    assert main(["account", "import", "--private-key", "--data-dir", str(offline)]) == 0
    assert main(["account", "watch", SIGNER.address, "--data-dir", str(online)]) == 0
    return online, offline


def _request_from_watch_only(payload: dict[str, Any], *, chain_id: int | None) -> SigningRequest:
    """What the online device does: its watch-only signer turns a signature into a request."""
    signer = WatchOnlySigner(
        SIGNER.address,
        chain_id=chain_id,
        context={"proposal_title": "BIP-7", "choices": ["For", "Against"]},
    )
    attempt = (
        signer.sign_typed_data(payload)
        if "primaryType" in payload
        else signer.sign_transaction(payload)
    )
    with pytest.raises(OfflineSignatureRequired) as info:
        asyncio.run(attempt)
    request = info.value.request
    assert isinstance(request, SigningRequest)
    return request


def _offline_sign(request_file: Path, offline: Path, *extra: str) -> int:
    return main(
        [
            "offline",
            "sign",
            str(request_file),
            "--account",
            SIGNER.address,
            "--data-dir",
            str(offline),
            "--yes",
            *extra,
        ]
    )


def test_transaction_signed_offline_is_accepted_online_and_mined(
    dirs: tuple[Path, Path],
    isolated_devnet: Devnet,
    w3: Web3,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, offline = dirs
    token = isolated_devnet.stack("oz")["token"]
    data = keccak(text="delegate(address)")[:4] + encode(["address"], [SIGNER.address])
    tx = {
        "chainId": w3.eth.chain_id,
        "nonce": w3.eth.get_transaction_count(SIGNER.address),
        "to": token,
        "value": 0,
        "gas": 200_000,
        "maxFeePerGas": 5 * 10**9,
        "maxPriorityFeePerGas": 10**9,
        "data": "0x" + data.hex(),
    }
    request = _request_from_watch_only(tx, chain_id=w3.eth.chain_id)
    # The request crosses the air gap as UR frames (what the QR codes carry), one per line.
    request_file = tmp_path / "request.ur.txt"
    parts = encode_parts("govdesk-sign-request", dump_request(request).encode(), fragment_bytes=120)
    assert len(parts) > 1
    request_file.write_text("\n".join(reversed(parts)))
    abi_arg = f"{token}={artifacts_dir() / 'GovToken.json'}"
    response_file = tmp_path / "response.json"
    code = _offline_sign(
        request_file,
        offline,
        "--chain-id",
        str(w3.eth.chain_id),
        "--network",
        "devnet",
        "--abi",
        abi_arg,
        "--out",
        str(response_file),
        "--qr-dir",
        str(tmp_path / "qr"),
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "== Delegate voting power ==" in out
    assert re.search(rf"delegatee +{SIGNER.address}", out), out
    assert "DANGER" not in out
    assert list((tmp_path / "qr").glob("response-*of*.png"))

    raw = accept_response(request, load_response(response_file.read_text()))
    assert isinstance(raw, bytes)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(raw), timeout=30)
    assert receipt["status"] == 1
    votes_token = w3.eth.contract(address=token, abi=read_artifact_json("GovToken")["abi"])
    assert votes_token.functions.delegates(SIGNER.address).call() == SIGNER.address


def test_erc4527_transaction_round_trip_is_mined(
    dirs: tuple[Path, Path],
    isolated_devnet: Devnet,
    w3: Web3,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The interoperable path: eth-sign-request out, eth-signature back (ERC-4527 over UR)."""
    _, offline = dirs
    tx = {
        "chainId": w3.eth.chain_id,
        "nonce": w3.eth.get_transaction_count(SIGNER.address),
        "to": dev_accounts(10)[1].address,
        "value": 12345,
        "gas": 21_000,
        "maxFeePerGas": 5 * 10**9,
        "maxPriorityFeePerGas": 10**9,
    }
    request = _request_from_watch_only(tx, chain_id=w3.eth.chain_id)
    sign_request = build_eth_sign_request(request, key_path=KeyPath.parse(DEFAULT_KEY_PATH))
    parts = encode_ur(sign_request.to_ur(), max_fragment_bytes=40)
    assert len(parts) > 1
    assert all(p.startswith("ur:eth-sign-request/") for p in parts)
    request_file = tmp_path / "request.ur.txt"
    request_file.write_text("\n".join(p.upper() for p in reversed(parts)))  # as a QR scan gives
    answer = tmp_path / "answer.ur.txt"
    code = _offline_sign(request_file, offline, "--ur-out", str(answer), "--qr-dir", str(tmp_path))
    assert code == 0, capsys.readouterr()
    assert answer.read_text().startswith("ur:eth-signature/")
    raw = accept_response(request, read_response_file(answer, request))
    assert isinstance(raw, bytes)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(raw), timeout=30)
    assert receipt["status"] == 1
    assert w3.eth.get_transaction(receipt["transactionHash"])["value"] == 12345


def test_snapshot_vote_signed_offline_recovers_to_the_watch_only_address(
    dirs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    online, offline = dirs
    vote = snapshot_vote("uint32", 1)
    vote["message"]["from"] = SIGNER.address
    request = _request_from_watch_only(vote, chain_id=None)
    request_file = tmp_path / "vote-request.json"
    request_file.write_text(dump_request(request))
    assert _offline_sign(request_file, offline) == 0
    out = capsys.readouterr().out
    assert "BIP-7 (0xabc)" in out
    assert "For (#1)" in out
    response = load_response((tmp_path / "vote-request.signed.json").read_text())
    signature = accept_response(request, response)
    assert isinstance(signature, str)
    recovered = Account.recover_message(encode_typed_data(full_message=vote), signature=signature)
    assert recovered == SIGNER.address
    # The online directory never saw a key: its only account is watch-only.
    capsys.readouterr()
    assert main(["account", "list", "--json", "--data-dir", str(online)]) == 0
    assert [a["kind"] for a in json.loads(capsys.readouterr().out)] == ["watch"]


def test_offline_sign_refuses_wrong_password_danger_and_watch_only(
    dirs: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    online, offline = dirs
    vote = snapshot_vote("uint32", 1)
    request_file = tmp_path / "req.json"
    request_file.write_text(dump_request(_request_from_watch_only(vote, chain_id=None)))
    # Watch-only on the online side: it cannot sign there.
    assert _offline_sign(request_file, online) == 2
    assert "watch-only" in capsys.readouterr().err
    # A vote for an option the proposal lacks carries a DANGER warning: refused by default.
    bad = snapshot_vote("uint32", 5)
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(dump_request(_request_from_watch_only(bad, chain_id=None)))
    assert _offline_sign(bad_file, offline) == 2
    assert "DANGER" in capsys.readouterr().err
    monkeypatch.setenv("GOVDESK_PASSWORD", "wrong password")
    assert _offline_sign(request_file, offline) == 2
    assert "Wrong password" in capsys.readouterr().err
    assert not (tmp_path / "req.signed.json").exists()


def test_offline_key_is_sealed_in_the_keyring_not_the_data_dir(
    dirs: tuple[Path, Path], secret_service: SecretService
) -> None:
    online, offline = dirs
    key_hex = SIGNER.dev_key.removeprefix("0x").lower()
    for folder in (online, offline):
        for path in folder.rglob("*"):
            if path.is_file():
                assert key_hex.encode() not in path.read_bytes().lower()
    sealed = secret_service.backend.get_password("govdesk", SIGNER.address)
    assert sealed is not None
    assert key_hex not in sealed.lower()
    assert json.loads(sealed)["keystore"]["crypto"]["kdfparams"]["n"] == 2**18
