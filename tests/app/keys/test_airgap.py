"""Request/response files: versioned JSON round trips and tamper detection on the online side."""

from __future__ import annotations

import dataclasses
import json

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data

from app.errors import SigningError
from app.keys.airgap import (
    SigningResponse,
    accept_response,
    build_transaction_request,
    build_typed_data_request,
    dump_request,
    dump_response,
    load_request,
    load_response,
)
from app.keys.errors import OfflineSigningError
from tests.app.keys.conftest import HARDHAT_ADDRESS_0, HARDHAT_KEY_0
from tests.app.keys.test_vault_signers import TX, ballot

ACCOUNT = Account.from_key(HARDHAT_KEY_0)
LEGACY_TX = {"chainId": 31337, "nonce": 1, "to": TX["to"], "gas": 21000, "gasPrice": 10**9}


def _signed_tx_response(request_tx: dict[str, object], signed_tx: dict[str, object]) -> tuple:
    request = build_transaction_request(request_tx, address=HARDHAT_ADDRESS_0)
    raw = ACCOUNT.sign_transaction(request.payload | signed_tx).raw_transaction
    response = SigningResponse(
        request.request_id,
        request.kind,
        request.address,
        request.chain_id,
        raw_transaction="0x" + bytes(raw).hex(),
    )
    return request, response


def test_request_file_round_trips() -> None:
    request = build_typed_data_request(
        ballot(), address=HARDHAT_ADDRESS_0.lower(), context={"a": 1}
    )
    text = dump_request(request)
    data = json.loads(text)
    assert data["format"] == "govdesk-signing-request"
    assert data["version"] == 1
    assert load_request(text) == request
    tx_request = build_transaction_request(TX, address=HARDHAT_ADDRESS_0)
    assert load_request(dump_request(tx_request)) == tx_request


@pytest.mark.parametrize("tx", [TX, LEGACY_TX], ids=["eip1559", "legacy"])
def test_accept_response_returns_the_raw_transaction(tx: dict[str, object]) -> None:
    request, response = _signed_tx_response(tx, {})
    loaded = load_response(dump_response(response))
    raw = accept_response(request, loaded)
    assert isinstance(raw, bytes)
    assert Account.recover_transaction(raw) == HARDHAT_ADDRESS_0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nonce": 8}, "nonce"),
        ({"maxFeePerGas": 9 * 10**9}, "maxFeePerGas"),
        ({"value": 1}, "value"),
    ],
)
def test_accept_response_rejects_a_transaction_that_differs(
    change: dict[str, int], field: str
) -> None:
    request, response = _signed_tx_response(TX, change)
    with pytest.raises(OfflineSigningError, match=field):
        accept_response(request, response)


def test_accept_response_checks_id_address_and_chain() -> None:
    request = build_typed_data_request(ballot(), address=HARDHAT_ADDRESS_0)
    signature = ACCOUNT.sign_message(encode_typed_data(full_message=ballot())).signature
    good = SigningResponse(
        request.request_id,
        request.kind,
        request.address,
        request.chain_id,
        signature="0x" + bytes(signature).hex(),
    )
    assert accept_response(request, good) == good.signature
    for bad, message in [
        (dataclasses.replace(good, request_id="other"), "different signing request"),
        (dataclasses.replace(good, chain_id=1), "chain 1"),
        (dataclasses.replace(good, address=Account.create().address), "not by"),
        (dataclasses.replace(good, signature=None), "no signature"),
        (dataclasses.replace(good, signature="0x1234"), "not valid"),
    ]:
        with pytest.raises(OfflineSigningError, match=message):
            accept_response(request, bad)


def test_load_request_rejects_foreign_future_and_inconsistent_files() -> None:
    request = build_typed_data_request(ballot(), address=HARDHAT_ADDRESS_0)
    data = json.loads(dump_request(request))
    with pytest.raises(OfflineSigningError, match="not valid JSON"):
        load_request("{")
    with pytest.raises(OfflineSigningError, match="version 1"):
        load_request(json.dumps(data | {"version": 2}))
    with pytest.raises(OfflineSigningError, match="chain id does not match"):
        load_request(json.dumps(data | {"chainId": 1}))
    with pytest.raises(OfflineSigningError, match="malformed"):
        load_request(json.dumps(data | {"kind": "sign-anything"}))
    with pytest.raises(OfflineSigningError, match="signing-request"):
        load_request(dump_response(SigningResponse("x", request.kind, HARDHAT_ADDRESS_0, None)))


def test_transaction_requests_need_chain_nonce_gas_and_fee() -> None:
    for missing in ("chainId", "nonce", "gas"):
        tx = {k: v for k, v in TX.items() if k != missing}
        with pytest.raises(SigningError, match=missing):
            build_transaction_request(tx, address=HARDHAT_ADDRESS_0)
    no_fee = {k: v for k, v in TX.items() if not k.startswith("max")}
    with pytest.raises(SigningError, match="fee"):
        build_transaction_request(no_fee, address=HARDHAT_ADDRESS_0)
