"""The CLI's signing-file readers and `govdesk offline qr` across JSON, govdesk UR and ERC-4527."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.cli import main
from app.cli.offline import (
    REQUEST_UR_TYPE,
    RESPONSE_UR_TYPE,
    read_request_file,
    read_response_file,
    read_signing_file,
)
from app.errors import InputError
from app.keys.airgap import (
    DEFAULT_KEY_PATH,
    accept_response,
    build_eth_sign_request,
    build_eth_signature,
    build_transaction_request,
    dump_request,
    dump_response,
    load_request,
)
from app.keys.erc4527 import KeyPath
from app.keys.errors import OfflineSigningError
from app.keys.ur import encode_parts, encode_ur
from tests.app.keys.conftest import HARDHAT_ADDRESS_0
from tests.app.keys.test_ur_erc4527 import _offline_sign
from tests.app.keys.test_vault_signers import TX

REQUEST = build_transaction_request(TX, address=HARDHAT_ADDRESS_0, context={"note": "x"})


def _write(path: Path, parts: list[str]) -> Path:
    path.write_text("\n".join(parts) + "\n")
    return path


def _erc4527_request_parts(**changes: object) -> list[str]:
    sign_request = build_eth_sign_request(REQUEST, key_path=KeyPath.parse(DEFAULT_KEY_PATH))
    return encode_ur(dataclasses.replace(sign_request, **changes).to_ur(), max_fragment_bytes=50)


def test_request_files_in_every_form_give_the_same_request(tmp_path: Path) -> None:
    json_file = tmp_path / "r.json"
    json_file.write_text(dump_request(REQUEST))
    govdesk = _write(
        tmp_path / "g.txt", encode_parts(REQUEST_UR_TYPE, dump_request(REQUEST).encode())
    )
    erc = _write(tmp_path / "e.txt", _erc4527_request_parts())
    assert read_request_file(json_file) == (REQUEST, False)
    assert read_request_file(govdesk) == (REQUEST, False)
    # ERC-4527 carries no preview context: the request is otherwise the same.
    assert read_request_file(erc) == (dataclasses.replace(REQUEST, context_json="{}"), True)
    assert load_request(read_signing_file(erc, REQUEST_UR_TYPE)).payload == REQUEST.payload


def test_an_erc4527_request_without_address_uses_the_chosen_account(tmp_path: Path) -> None:
    bare = _write(tmp_path / "e.txt", _erc4527_request_parts(address=None))
    with pytest.raises(OfflineSigningError, match="names no address"):
        read_request_file(bare)
    request, erc4527 = read_request_file(bare, address=HARDHAT_ADDRESS_0.lower())
    assert (request.address, erc4527) == (HARDHAT_ADDRESS_0, True)
    with pytest.raises(OfflineSigningError, match="not an Ethereum address"):
        read_request_file(bare, address="alice")


def test_response_files_in_every_form_are_accepted(tmp_path: Path) -> None:
    response = _offline_sign(REQUEST)
    json_file = tmp_path / "s.json"
    json_file.write_text(dump_response(response))
    text = dump_response(response).encode()
    govdesk = _write(tmp_path / "g.txt", encode_parts(RESPONSE_UR_TYPE, text))
    erc = _write(tmp_path / "e.txt", encode_ur(build_eth_signature(response).to_ur()))
    for path in (json_file, govdesk, erc):
        assert read_response_file(path, REQUEST) == response
        assert isinstance(accept_response(REQUEST, read_response_file(path, REQUEST)), bytes)


def test_unreadable_and_mistyped_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Cannot read"):
        read_request_file(tmp_path / "missing.txt")
    response_parts = encode_parts(RESPONSE_UR_TYPE, b"{}")
    with pytest.raises(OfflineSigningError, match="expected"):
        read_request_file(_write(tmp_path / "x.txt", response_parts))
    not_utf8 = _write(tmp_path / "y.txt", encode_parts(REQUEST_UR_TYPE, b"\xff"))
    with pytest.raises(InputError, match="does not decode"):
        read_signing_file(not_utf8, REQUEST_UR_TYPE)


def _frame_counts() -> dict[str, int]:
    key_path = KeyPath.parse(DEFAULT_KEY_PATH)
    return {
        "erc4527": len(encode_ur(build_eth_sign_request(REQUEST, key_path=key_path).to_ur())),
        "govdesk": len(encode_parts(REQUEST_UR_TYPE, dump_request(REQUEST).encode())),
    }


@pytest.mark.parametrize(
    ("extra", "fmt"),
    [
        ([], "erc4527"),
        (["--format", "govdesk"], "govdesk"),
        (["--path", "m/44'/60'/0'/0/7", "--fingerprint", "deadbeef", "--svg"], "erc4527"),
    ],
)
def test_offline_qr_writes_frames_in_either_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], fmt: str
) -> None:
    request_file = tmp_path / "req.json"
    request_file.write_text(dump_request(REQUEST))
    out_dir = tmp_path / "qr"
    assert main(["offline", "qr", str(request_file), "--out-dir", str(out_dir), *extra]) == 0
    count = _frame_counts()[fmt]
    assert f"Wrote {count} QR frame(s)" in capsys.readouterr().out
    assert len(list(out_dir.iterdir())) == count


def test_erc4527_requests_need_fewer_frames_than_govdesk_files() -> None:
    counts = _frame_counts()
    assert counts["erc4527"] < counts["govdesk"]


def test_offline_qr_renders_responses_and_rejects_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    response_file = tmp_path / "resp.json"
    response_file.write_text(dump_response(_offline_sign(REQUEST)))
    assert main(["offline", "qr", str(response_file), "--out-dir", str(tmp_path / "a")]) == 0
    request_file = tmp_path / "req.json"
    request_file.write_text(dump_request(REQUEST))
    args = ["offline", "qr", str(request_file), "--out-dir", str(tmp_path / "b")]
    assert main([*args, "--fingerprint", "xyz"]) == 2
    assert "--fingerprint" in capsys.readouterr().err
    assert main([*args, "--fingerprint", "0"]) == 2
    assert main([*args, "--path", "m/x"]) == 2
    assert "derivation path" in capsys.readouterr().err
