"""Air-gapped signing: versioned request and response files between an online watch-only device and
an offline device that holds the key (the idea of ERC-4527 / Electrum's PSBT-by-file).

The online side builds a ``SigningRequest`` (typed data, or an unsigned transaction with chain id,
nonce and fees), writes it as JSON (or QR frames, see ``app.keys.ur``). The offline side shows the
preview, signs, and writes a ``SigningResponse``. The online side then ``accept_response``: it
checks the request id, that the signature recovers to the requested address, and that the signed
transaction is exactly the requested one (same chain id, nonce, fees, target, value, data).
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

from app.keys.errors import OfflineSigningError
from app.keys.txcodec import decode_signed_transaction, normalize_transaction

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
        data = json.loads(text)
    except json.JSONDecodeError:
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
