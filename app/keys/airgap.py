"""Air-gapped signing: versioned request and response files between an online watch-only device and
an offline device that holds the key (the idea of ERC-4527 / Electrum's PSBT-by-file).

The online side builds a ``SigningRequest`` (typed data, or an unsigned transaction with chain id,
nonce and fees), writes it as JSON (or QR frames, see ``app.keys.ur``). The offline side shows the
preview, signs, and writes a ``SigningResponse``. The online side then ``accept_response``: it
checks the request id, that the signature recovers to the requested address, and that the signed
transaction is exactly the requested one (same chain id, nonce, fees, target, value, data).

For hardware and air-gapped wallets the same records map to ERC-4527: ``build_eth_sign_request``
/ ``parse_eth_sign_request`` and ``build_eth_signature`` / ``parse_eth_signature`` (records in
``app.keys.erc4527``, UR transport in ``app.keys.ur``). That form carries no preview context, and
an ``eth-signature`` answer is only meaningful together with the request it answers.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.address import to_checksum_address

from app import jsonsafe
from app.keys.erc4527 import DataType, EthSignature, EthSignRequest, KeyPath
from app.keys.errors import OfflineSigningError
from app.keys.transaction_bytes import (
    attach_signature,
    decode_unsigned,
    encode_unsigned,
    is_typed,
    signature_of,
)
from app.keys.transaction_fields import decode_signed_transaction, normalize_transaction

REQUEST_FORMAT = "govdesk-signing-request"
RESPONSE_FORMAT = "govdesk-signing-response"
FORMAT_VERSION = 1


class RequestKind(Enum):
    TYPED_DATA = "typed-data"
    TRANSACTION = "transaction"


@dataclass(frozen=True)
class SigningRequest:
    """What the online side asks the offline signer to sign. ``payload_json`` is canonical JSON."""

    request_id: str
    kind: RequestKind
    address: str
    chain_id: int | None
    payload_json: str
    context_json: str = "{}"

    @property
    def payload(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.payload_json)
        return value

    @property
    def context(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.context_json)
        return value


@dataclass(frozen=True)
class SigningResponse:
    """The offline signer's answer: a signature (typed data) or a raw signed transaction."""

    request_id: str
    kind: RequestKind
    address: str
    chain_id: int | None
    signature: str | None = None
    raw_transaction: str | None = None


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def build_typed_data_request(
    typed_data: dict[str, Any], *, address: str, context: dict[str, Any] | None = None
) -> SigningRequest:
    """A request to sign EIP-712 ``typed_data`` as ``address``; ``context`` feeds the preview."""
    try:
        encode_typed_data(full_message=typed_data)
    except Exception as exc:
        raise OfflineSigningError("The typed data cannot be encoded (EIP-712).") from exc
    chain = typed_data.get("domain", {}).get("chainId")
    return SigningRequest(
        request_id=secrets.token_hex(16),
        kind=RequestKind.TYPED_DATA,
        address=to_checksum_address(address),
        chain_id=None if chain is None else int(chain),
        payload_json=_canonical(typed_data),
        context_json=_canonical(context or {}),
    )


def build_transaction_request(
    transaction: dict[str, Any], *, address: str, context: dict[str, Any] | None = None
) -> SigningRequest:
    """A request to sign an unsigned transaction; it must carry chain id, nonce, gas and fees."""
    tx = normalize_transaction(transaction)
    return SigningRequest(
        request_id=secrets.token_hex(16),
        kind=RequestKind.TRANSACTION,
        address=to_checksum_address(address),
        chain_id=int(tx["chainId"]),
        payload_json=_canonical(tx),
        context_json=_canonical(context or {}),
    )


def dump_request(request: SigningRequest) -> str:
    return _canonical(
        {
            "format": REQUEST_FORMAT,
            "version": FORMAT_VERSION,
            "id": request.request_id,
            "kind": request.kind.value,
            "address": request.address,
            "chainId": request.chain_id,
            "payload": request.payload,
            "context": request.context,
        }
    )


def _load_envelope(text: str, expected_format: str) -> dict[str, Any]:
    try:
        data = jsonsafe.loads(text, source="the signing file")
    except jsonsafe.HostileDataError:
        raise OfflineSigningError("The signing file is not valid JSON.") from None
    if not isinstance(data, dict) or data.get("format") != expected_format:
        raise OfflineSigningError(f"The file is not a {expected_format} file.")
    if data.get("version") != FORMAT_VERSION:
        raise OfflineSigningError(
            f"The file uses version {data.get('version')!r}; this govdesk reads version 1."
        )
    return data


def _field(data: dict[str, Any], name: str) -> Any:
    if name not in data:
        raise OfflineSigningError(f"The signing file has no {name!r} field.")
    return data[name]


def load_request(text: str) -> SigningRequest:
    """Parse a request file; the payload is re-validated exactly as when it was built."""
    data = _load_envelope(text, REQUEST_FORMAT)
    try:
        kind = RequestKind(_field(data, "kind"))
        payload, address = _field(data, "payload"), _field(data, "address")
        context = data.get("context") or {}
        if not isinstance(payload, dict) or not isinstance(context, dict):
            raise TypeError("payload and context must be JSON objects")
        build = (
            build_transaction_request
            if kind is RequestKind.TRANSACTION
            else build_typed_data_request
        )
        built = build(payload, address=address, context=context)
    except (ValueError, TypeError) as exc:
        raise OfflineSigningError("The signing request is malformed.", detail=str(exc)) from None
    if data.get("chainId") != built.chain_id:
        raise OfflineSigningError("The request's chain id does not match its payload.")
    return replace(built, request_id=str(_field(data, "id")))


def dump_response(response: SigningResponse) -> str:
    return _canonical(
        {
            "format": RESPONSE_FORMAT,
            "version": FORMAT_VERSION,
            "id": response.request_id,
            "kind": response.kind.value,
            "address": response.address,
            "chainId": response.chain_id,
            "signature": response.signature,
            "rawTransaction": response.raw_transaction,
        }
    )


def load_response(text: str) -> SigningResponse:
    data = _load_envelope(text, RESPONSE_FORMAT)
    try:
        chain = data.get("chainId")
        return SigningResponse(
            request_id=str(_field(data, "id")),
            kind=RequestKind(_field(data, "kind")),
            address=to_checksum_address(_field(data, "address")),
            chain_id=None if chain is None else int(chain),
            signature=data.get("signature"),
            raw_transaction=data.get("rawTransaction"),
        )
    except (ValueError, TypeError) as exc:
        raise OfflineSigningError("The signing response is malformed.", detail=str(exc)) from None


def _check_header(request: SigningRequest, response: SigningResponse) -> None:
    if response.request_id != request.request_id:
        raise OfflineSigningError("This response answers a different signing request.")
    if response.kind is not request.kind:
        raise OfflineSigningError("The response is for a different kind of signing request.")
    if response.address != request.address:
        raise OfflineSigningError(
            f"The response was signed by {response.address}, not by {request.address}."
        )
    if response.chain_id != request.chain_id:
        raise OfflineSigningError(
            f"The response is for chain {response.chain_id}, the request for {request.chain_id}."
        )


def _accept_typed(request: SigningRequest, signature: str | None) -> str:
    if not signature:
        raise OfflineSigningError("The response carries no signature.")
    try:
        signable = encode_typed_data(full_message=request.payload)
        signer = Account.recover_message(signable, signature=signature)
    except Exception as exc:
        raise OfflineSigningError("The signature in the response is not valid.") from exc
    if signer != request.address:
        raise OfflineSigningError(
            f"The signature recovers to {signer}, not to the requested {request.address}."
        )
    return signature


def _accept_transaction(request: SigningRequest, raw_hex: str | None) -> bytes:
    if not raw_hex:
        raise OfflineSigningError("The response carries no signed transaction.")
    sender, signed_fields = decode_signed_transaction(raw_hex)
    if sender != request.address:
        raise OfflineSigningError(
            f"The transaction was signed by {sender}, not by the requested {request.address}."
        )
    wanted = request.payload
    for name, value in wanted.items():
        if signed_fields.get(name) != value:
            raise OfflineSigningError(
                f"The signed transaction differs from the request in {name!r}."
            )
    return bytes.fromhex(raw_hex.removeprefix("0x"))


def accept_response(request: SigningRequest, response: SigningResponse) -> str | bytes:
    """Verify ``response`` against ``request``; return the signature (hex) or raw tx bytes."""
    _check_header(request, response)
    if request.kind is RequestKind.TYPED_DATA:
        return _accept_typed(request, response.signature)
    return _accept_transaction(request, response.raw_transaction)


# ERC-4527: the same requests and responses as eth-sign-request / eth-signature records, which
# hardware and air-gapped wallets (Keystone, AirGap Vault, ...) scan and show.

ERC4527_ORIGIN = "govdesk"
DEFAULT_KEY_PATH = "m/44'/60'/0'/0/0"


def _uuid_bytes(request_id: str) -> bytes:
    try:
        raw = bytes.fromhex(request_id.replace("-", ""))
    except ValueError:
        raw = b""
    if len(raw) != 16:
        raise OfflineSigningError(
            "This signing request's id is not a UUID, so it cannot be sent as ERC-4527.",
            detail=request_id,
        )
    return raw


def build_eth_sign_request(request: SigningRequest, *, key_path: KeyPath) -> EthSignRequest:
    """``request`` as an ERC-4527 ``eth-sign-request`` for the key at ``key_path``."""
    if request.kind is RequestKind.TYPED_DATA:
        sign_data, data_type = request.payload_json.encode("utf-8"), DataType.TYPED_DATA
    else:
        sign_data = encode_unsigned(request.payload)
        typed = is_typed(request.payload)
        data_type = DataType.TYPED_TRANSACTION if typed else DataType.TRANSACTION
    return EthSignRequest(
        sign_data=sign_data,
        data_type=data_type,
        chain_id=1 if request.chain_id is None else request.chain_id,
        derivation_path=key_path,
        request_id=_uuid_bytes(request.request_id),
        address=bytes.fromhex(request.address[2:]),
        origin=ERC4527_ORIGIN,
    )


def _checksum(address: str | bytes) -> str:
    try:
        return str(to_checksum_address(address))
    except ValueError:
        raise OfflineSigningError(f"{address!r} is not an Ethereum address.") from None


def _request_address(sign_request: EthSignRequest, fallback: str | None) -> str:
    named = None if sign_request.address is None else _checksum(sign_request.address)
    chosen = None if fallback is None else _checksum(fallback)
    if named and chosen and named != chosen:
        raise OfflineSigningError(f"The request is for {named}, not for {chosen}.")
    address = named or chosen
    if address is None:
        raise OfflineSigningError("The request names no address; choose the signing account.")
    return address


def _payload_of(sign_request: EthSignRequest) -> tuple[RequestKind, dict[str, Any]]:
    kind = sign_request.data_type
    if kind is DataType.TYPED_DATA:
        try:
            payload = jsonsafe.loads(sign_request.sign_data, source="the request")
        except jsonsafe.HostileDataError:
            raise OfflineSigningError("The typed data in the request is not JSON.") from None
        if not isinstance(payload, dict):
            raise OfflineSigningError("The typed data in the request is not a JSON object.")
        return RequestKind.TYPED_DATA, payload
    if kind is DataType.RAW_BYTES:
        raise OfflineSigningError("govdesk does not sign raw (personal_sign) messages.")
    typed = kind is DataType.TYPED_TRANSACTION
    return RequestKind.TRANSACTION, decode_unsigned(sign_request.sign_data, typed=typed)


def parse_eth_sign_request(
    sign_request: EthSignRequest, *, address: str | None = None
) -> SigningRequest:
    """A ``SigningRequest`` from an ``eth-sign-request``; ``address`` is used if it names none."""
    kind, payload = _payload_of(sign_request)
    signer = _request_address(sign_request, address)
    build = (
        build_transaction_request if kind is RequestKind.TRANSACTION else build_typed_data_request
    )
    built = build(payload, address=signer)
    if built.chain_id not in (None, sign_request.chain_id):
        raise OfflineSigningError(
            f"The request says chain {sign_request.chain_id}, its data chain {built.chain_id}."
        )
    request_id = sign_request.request_id or secrets.token_bytes(16)
    return replace(built, request_id=request_id.hex())


def build_eth_signature(response: SigningResponse) -> EthSignature:
    """``response`` as an ERC-4527 ``eth-signature`` (a transaction gives its r, s, v)."""
    hex_value = response.signature or response.raw_transaction
    if not hex_value:
        raise OfflineSigningError("The response carries no signature.")
    raw = bytes.fromhex(hex_value.removeprefix("0x"))
    signature = raw if response.kind is RequestKind.TYPED_DATA else signature_of(raw)
    return EthSignature(_uuid_bytes(response.request_id), signature, ERC4527_ORIGIN)


def parse_eth_signature(signature: EthSignature, request: SigningRequest) -> SigningResponse:
    """The ``SigningResponse`` an ``eth-signature`` gives to ``request`` (check it with
    ``accept_response``)."""
    if signature.request_id != _uuid_bytes(request.request_id):
        raise OfflineSigningError("This response answers a different signing request.")
    header = SigningResponse(request.request_id, request.kind, request.address, request.chain_id)
    if request.kind is RequestKind.TRANSACTION:
        raw = attach_signature(encode_unsigned(request.payload), signature.signature)
        return replace(header, raw_transaction="0x" + raw.hex())
    sig = signature.signature
    if len(sig) != 65:
        raise OfflineSigningError("A typed-data signature must be 65 bytes.")
    v = sig[64] + 27 if sig[64] < 27 else sig[64]  # some wallets send the bare parity
    return replace(header, signature="0x" + (sig[:64] + bytes([v])).hex())
