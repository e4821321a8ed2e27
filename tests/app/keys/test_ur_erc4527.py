"""ERC-4527 over UR: Keystone's published vectors, and govdesk requests/responses mapped both ways."""

from __future__ import annotations

import dataclasses

import pytest
import rlp  # type: ignore[import-untyped]
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak
from hypothesis import given
from hypothesis import strategies as st

from app.keys import cbor
from app.keys.airgap import (
    DEFAULT_KEY_PATH,
    SigningRequest,
    SigningResponse,
    accept_response,
    build_eth_sign_request,
    build_eth_signature,
    build_transaction_request,
    build_typed_data_request,
    parse_eth_sign_request,
    parse_eth_signature,
)
from app.keys.erc4527 import DataType, EthSignature, EthSignRequest, KeyPath
from app.keys.errors import OfflineSigningError
from app.keys.transaction_bytes import attach_signature, decode_unsigned, encode_unsigned
from app.keys.ur import UR, decode_ur, encode_ur
from tests.app.keys.conftest import HARDHAT_ADDRESS_0, HARDHAT_KEY_0
from tests.app.keys.test_airgap import LEGACY_TX
from tests.app.keys.test_vault_signers import TX, ballot

ACCOUNT = Account.from_key(HARDHAT_KEY_0)

# Keystone's ur-registry-eth tests (EthSignRequest.test.ts, EthSignature.test.ts), as published
# in KeystoneHQ/keystone-sdk-base: a legacy transaction request from "metamask" for
# M/44'/1'/1'/0/1 with source fingerprint 0x12345678, and a signature from "keystone".
KEYSTONE_REQUEST = (
    "ur:eth-sign-request/oladtpdagdndcawmgtfrkigrpmndutdnbtkgfssbjnaohdgryagalalnascsgljpnbaelfdibe"
    "mwaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaelaoxlbjyihjkjyeyaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaeaea"
    "eaeaeaeaeaeaeaeaehnaehglalalaaxadaaadahtaaddyoeadlecsdwykadykadykaewkadwkaocybgeehfksatisjnihj"
    "yhsjnhsjkjetlnndant"
)
KEYSTONE_SIGN_DATA = bytes.fromhex(
    "f849808609184e72a00082271094000000000000000000000000000000000000000080a47f7465737432000000"
    "000000000000000000000000000000000000000000000000600057808080"
)
KEYSTONE_SIGNATURE = (
    "ur:eth-signature/otadtpdagdndcawmgtfrkigrpmndutdnbtkgfssbjnaohdfptywtosrftahprdctrkbegylogdg"
    "hjkbafhflamfwlohghtpsseaozorsimnybbtnnbiynlckenbtfmeeamsabnaeoxasjkwswfkekiieckhpecckssptndzel"
    "nwfecylbwaxisjeihkkjkjyjljtihdwlkamiy"
)
KEYSTONE_SIGNATURE_BYTES = bytes.fromhex(
    "d4f0a7bcd95bba1fbb1051885054730e3f47064288575aacc102fbbf6a9a14daa066991e360d3e3406c20c00a409"
    "73eff37c7d641e5b351ec4a99bfe86f335f713"
)
KEYSTONE_ID = bytes.fromhex("9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d")


def test_keystone_sign_request_decodes_and_re_encodes_identically() -> None:
    request = EthSignRequest.from_ur(decode_ur([KEYSTONE_REQUEST]))
    assert request == EthSignRequest(
        sign_data=KEYSTONE_SIGN_DATA,
        data_type=DataType.TRANSACTION,
        chain_id=1,
        derivation_path=KeyPath(
            ((44, True), (1, True), (1, True), (0, False), (1, False)), 0x12345678
        ),
        request_id=KEYSTONE_ID,
        origin="metamask",
    )
    assert str(request.derivation_path) == "m/44'/1'/1'/0/1"
    assert encode_ur(request.to_ur()) == [KEYSTONE_REQUEST]


def test_keystone_signature_decodes_and_re_encodes_identically() -> None:
    signature = EthSignature.from_ur(decode_ur([KEYSTONE_SIGNATURE.upper()]))
    assert signature == EthSignature(KEYSTONE_ID, KEYSTONE_SIGNATURE_BYTES, "keystone")
    assert encode_ur(signature.to_ur()) == [KEYSTONE_SIGNATURE]


@given(
    steps=st.lists(st.tuples(st.integers(0, 2**31 - 1), st.booleans()), max_size=8),
    fingerprint=st.none() | st.integers(1, 2**32 - 1),
)
def test_key_paths_round_trip(steps: list[tuple[int, bool]], fingerprint: int | None) -> None:
    path = KeyPath(tuple(steps), fingerprint)
    assert KeyPath.parse(str(path), source_fingerprint=fingerprint) == path
    assert KeyPath.from_cbor_value(cbor.decode(cbor.encode(path.to_cbor_value()))) == path


def test_bad_key_paths_are_rejected() -> None:
    with pytest.raises(OfflineSigningError, match="not a derivation path"):
        KeyPath.parse("44'/60'")
    with pytest.raises(OfflineSigningError, match="too large"):
        KeyPath.parse(f"m/{2**31}")


def _offline_sign(request: SigningRequest) -> SigningResponse:
    if request.kind.value == "typed-data":
        signed = ACCOUNT.sign_message(encode_typed_data(full_message=request.payload))
        return SigningResponse(
            request.request_id,
            request.kind,
            request.address,
            request.chain_id,
            signature="0x" + bytes(signed.signature).hex(),
        )
    raw = ACCOUNT.sign_transaction(request.payload).raw_transaction
    return SigningResponse(
        request.request_id,
        request.kind,
        request.address,
        request.chain_id,
        raw_transaction="0x" + bytes(raw).hex(),
    )


def _requests() -> list[SigningRequest]:
    return [
        build_typed_data_request(ballot(), address=HARDHAT_ADDRESS_0),
        build_transaction_request(TX, address=HARDHAT_ADDRESS_0),
        build_transaction_request(LEGACY_TX, address=HARDHAT_ADDRESS_0),
        build_transaction_request(LEGACY_TX | {"chainId": 31337 * 9}, address=HARDHAT_ADDRESS_0),
    ]


@pytest.mark.parametrize("request_", _requests(), ids=["typed", "eip1559", "legacy", "big-chain"])
def test_requests_and_answers_cross_the_air_gap_as_erc4527(request_: SigningRequest) -> None:
    key_path = KeyPath.parse(DEFAULT_KEY_PATH, source_fingerprint=0xDEADBEEF)
    parts = encode_ur(
        build_eth_sign_request(request_, key_path=key_path).to_ur(), max_fragment_bytes=90
    )
    scanned = EthSignRequest.from_ur(decode_ur(parts[::-1], expected_type="eth-sign-request"))
    assert scanned.derivation_path == key_path
    assert scanned.origin == "govdesk"
    offline_request = parse_eth_sign_request(scanned)
    assert offline_request == dataclasses.replace(request_, context_json="{}")

    response = _offline_sign(offline_request)
    answer = encode_ur(build_eth_signature(response).to_ur())
    signature = EthSignature.from_ur(decode_ur(answer, expected_type="eth-signature"))
    online_response = parse_eth_signature(signature, request_)
    assert online_response == response
    assert accept_response(request_, online_response) in (
        response.signature,
        bytes.fromhex((response.raw_transaction or "")[2:]),
    )


def test_sign_data_matches_the_signing_hash() -> None:
    request = build_transaction_request(TX, address=HARDHAT_ADDRESS_0)
    sign_data = build_eth_sign_request(request, key_path=KeyPath.parse(DEFAULT_KEY_PATH)).sign_data
    assert sign_data[0] == 2
    signed = ACCOUNT.sign_transaction(request.payload)
    recovered = Account._recover_hash(keccak(sign_data), vrs=(signed.v, signed.r, signed.s))
    assert recovered == HARDHAT_ADDRESS_0


def test_a_parity_only_typed_signature_is_accepted() -> None:
    request = _requests()[0]
    response = _offline_sign(request)
    raw = bytes.fromhex(response.signature[2:])  # type: ignore[index]
    bare = EthSignature(bytes.fromhex(request.request_id), raw[:64] + bytes([raw[64] - 27]))
    assert accept_response(request, parse_eth_signature(bare, request)) == response.signature


def test_a_signature_for_another_request_is_refused() -> None:
    request = _requests()[0]
    other = EthSignature(bytes(16), bytes(65))
    with pytest.raises(OfflineSigningError, match="different signing request"):
        parse_eth_signature(other, request)


def test_a_forged_signature_fails_acceptance() -> None:
    request = _requests()[1]
    response = _offline_sign(request)
    sig = build_eth_signature(response).signature
    forged = EthSignature(bytes.fromhex(request.request_id), sig[:40] + bytes(24) + sig[64:])
    with pytest.raises(OfflineSigningError):
        accept_response(request, parse_eth_signature(forged, request))


def _sign_request_ur(changes: dict[int, object]) -> UR:
    body: dict[int, object] = {2: b"{}", 3: 2, 4: 1, 5: KeyPath.parse("m/0").to_cbor_value()}
    body.update(changes)
    kept = {k: v for k, v in body.items() if v is not None}
    return UR("eth-sign-request", cbor.encode(kept))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({2: None}, "no sign-data"),
        ({3: 9}, "data type 9"),
        ({4: "1"}, "chain id"),
        ({5: None}, "derivation path"),
        ({5: cbor.Tagged(304, {1: [1]})}, "component list"),
        ({5: cbor.Tagged(304, {1: [1, 1]})}, "not \\(index, hardened\\)"),
        ({5: cbor.Tagged(304, {1: [], 2: -1})}, "fingerprint"),
        ({6: b"\x01"}, "20 bytes"),
        ({7: 5}, "origin"),
        ({1: bytes(16)}, "tagged UUID"),
        ({1: cbor.Tagged(37, bytes(15))}, "16 bytes"),
    ],
)
def test_malformed_sign_requests_are_rejected(changes: dict[int, object], message: str) -> None:
    with pytest.raises(OfflineSigningError, match=message):
        EthSignRequest.from_ur(_sign_request_ur(changes))


def test_malformed_records_are_rejected() -> None:
    with pytest.raises(OfflineSigningError, match="expected 'eth-signature'"):
        EthSignature.from_ur(UR("eth-sign-request", cbor.encode({})))
    with pytest.raises(OfflineSigningError, match="not a map"):
        EthSignature.from_ur(UR("eth-signature", cbor.encode([])))
    with pytest.raises(OfflineSigningError, match="malformed"):
        EthSignature.from_ur(UR("eth-signature", b"\xa1"))
    with pytest.raises(OfflineSigningError, match="no request id"):
        EthSignature.from_ur(UR("eth-signature", cbor.encode({2: bytes(65)})))
    tagged_id = cbor.Tagged(37, bytes(16))
    with pytest.raises(OfflineSigningError, match="shorter than 65"):
        EthSignature.from_ur(UR("eth-signature", cbor.encode({1: tagged_id, 2: bytes(64)})))


@pytest.mark.parametrize(
    ("changes", "address", "message"),
    [
        ({2: b"\xff"}, HARDHAT_ADDRESS_0, "not JSON"),
        ({2: b"[]"}, HARDHAT_ADDRESS_0, "not a JSON object"),
        ({3: 3}, HARDHAT_ADDRESS_0, "personal_sign"),
        ({3: 4, 2: b"\x01\xc0"}, HARDHAT_ADDRESS_0, "type 2"),
        ({3: 1, 2: b"\xc0"}, HARDHAT_ADDRESS_0, "wrong number of fields"),
        ({3: 1, 2: b"\xff"}, HARDHAT_ADDRESS_0, "not valid RLP"),
        ({}, None, "names no address"),
        ({6: bytes(20)}, HARDHAT_ADDRESS_0, "not for"),
    ],
)
def test_sign_requests_govdesk_cannot_take_are_refused(
    changes: dict[int, object], address: str | None, message: str
) -> None:
    scanned = EthSignRequest.from_ur(_sign_request_ur(changes))
    with pytest.raises(OfflineSigningError, match=message):
        parse_eth_sign_request(scanned, address=address)


def test_a_chain_id_that_disagrees_with_the_data_is_refused() -> None:
    request = build_transaction_request(TX, address=HARDHAT_ADDRESS_0)
    sign_request = build_eth_sign_request(request, key_path=KeyPath.parse(DEFAULT_KEY_PATH))
    with pytest.raises(OfflineSigningError, match="chain"):
        parse_eth_sign_request(dataclasses.replace(sign_request, chain_id=1))


def test_a_request_id_that_is_not_a_uuid_cannot_be_sent() -> None:
    request = dataclasses.replace(_requests()[0], request_id="my-request")
    with pytest.raises(OfflineSigningError, match="not a UUID"):
        build_eth_sign_request(request, key_path=KeyPath.parse(DEFAULT_KEY_PATH))


@pytest.mark.parametrize(
    ("items", "typed", "message"),
    [
        ([b"\x00\x01", *[b""] * 8], False, "malformed number"),
        ([b"", b"", b"", b"\x01" * 19, b"", b"", b"\x01", b"", b""], False, "target or data"),
        ([b"", b"", b"", b"", b"", b"", b"\x01", b"\x01", b""], False, "EIP-155"),
        ([b"\x01", *[b""] * 7, [b"\x01"]], True, "access list"),
        ([b"", *[b""] * 6, [b""], []], True, "target or data"),
    ],
)
def test_malformed_unsigned_transactions_are_refused(
    items: list[object], typed: bool, message: str
) -> None:
    raw = rlp.encode(items)
    with pytest.raises(OfflineSigningError, match=message):
        decode_unsigned(b"\x02" + raw if typed else raw, typed=typed)


def test_a_short_transaction_signature_is_refused() -> None:
    unsigned = encode_unsigned(TX)
    with pytest.raises(OfflineSigningError, match="shorter than 65"):
        attach_signature(unsigned, bytes(64))
