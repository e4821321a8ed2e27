"""ERC-4527 records: ``eth-sign-request`` and ``eth-signature`` as CBOR, and ``crypto-keypath``.

The CDDL is in ERC-4527 and the Blockchain Commons registry (BCR-2020-006): a request is a map
``{1: #6.37(uuid), 2: sign-data, 3: data-type, 4: chain-id, 5: #6.304(crypto-keypath),
6: address, 7: origin}``; a signature is ``{1: #6.37(uuid), 2: r||s||v (65 bytes), 3: origin}``.
A key path is ``{1: [index, hardened, ...], 2: source-fingerprint, 3: depth}``. At the top of a
UR the records are untagged; the UR type names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from app.keys import cbor
from app.keys.cbor import CborValue, Tagged
from app.keys.errors import OfflineSigningError
from app.keys.ur import UR

SIGN_REQUEST_TYPE = "eth-sign-request"
SIGNATURE_TYPE = "eth-signature"
UUID_TAG = 37
KEYPATH_TAG = 304
HARDENED = 0x8000_0000
_PATH = re.compile(r"^m(/\d+'?)*$")


class DataType(IntEnum):
    """What ``sign-data`` holds."""

    TRANSACTION = 1  # legacy transaction, RLP of the unsigned fields (EIP-155)
    TYPED_DATA = 2  # EIP-712 typed data as UTF-8 JSON
    RAW_BYTES = 3  # a personal_sign (EIP-191) message
    TYPED_TRANSACTION = 4  # EIP-2718 typed transaction, unsigned


def _bad(what: str) -> OfflineSigningError:
    return OfflineSigningError(f"The ERC-4527 code is malformed: {what}.")


@dataclass(frozen=True)
class KeyPath:
    """A ``crypto-keypath``: (index, hardened) steps and the master key's fingerprint if known."""

    components: tuple[tuple[int, bool], ...]
    source_fingerprint: int | None = None
    depth: int | None = None

    @classmethod
    def parse(cls, path: str, *, source_fingerprint: int | None = None) -> KeyPath:
        """From ``m/44'/60'/0'/0/0`` notation."""
        if not _PATH.match(path):
            raise OfflineSigningError(f"{path!r} is not a derivation path like m/44'/60'/0'/0/0.")
        steps = [(int(s.rstrip("'")), s.endswith("'")) for s in path.split("/")[1:]]
        if any(index >= HARDENED for index, _ in steps):
            raise OfflineSigningError(f"{path!r} has an index that is too large.")
        return cls(tuple(steps), source_fingerprint)

    def __str__(self) -> str:
        return "/".join(["m", *(f"{i}'" if hard else str(i) for i, hard in self.components)])

    def to_cbor_value(self) -> Tagged:
        flat: list[CborValue] = [x for index, hard in self.components for x in (index, hard)]
        body: dict[int | str, CborValue] = {1: flat}
        if self.source_fingerprint is not None:
            body[2] = self.source_fingerprint
        if self.depth is not None:
            body[3] = self.depth
        return Tagged(KEYPATH_TAG, body)

    @classmethod
    def from_cbor_value(cls, value: CborValue) -> KeyPath:
        body = _tagged_map(value, KEYPATH_TAG, "derivation path")
        flat = body.get(1)
        if not isinstance(flat, list) or len(flat) % 2:
            raise _bad("the derivation path has no component list")
        pairs = list(zip(flat[::2], flat[1::2], strict=True))
        if not all(_is_uint(i) and isinstance(h, bool) for i, h in pairs):
            raise _bad("a derivation path component is not (index, hardened)")
        steps = tuple((int(i), bool(h)) for i, h in pairs)  # type: ignore[arg-type]
        return cls(steps, _optional_uint(body, 2, "fingerprint"), _optional_uint(body, 3, "depth"))


@dataclass(frozen=True)
class EthSignRequest:
    """An ``eth-sign-request``: what to sign, as which key, on which chain."""

    sign_data: bytes
    data_type: DataType
    chain_id: int
    derivation_path: KeyPath
    request_id: bytes | None = None
    address: bytes | None = None
    origin: str | None = None

    def to_ur(self) -> UR:
        body: dict[int | str, CborValue] = {
            2: self.sign_data,
            3: int(self.data_type),
            4: self.chain_id,
            5: self.derivation_path.to_cbor_value(),
        }
        if self.request_id is not None:
            body[1] = Tagged(UUID_TAG, self.request_id)
        if self.address is not None:
            body[6] = self.address
        if self.origin is not None:
            body[7] = self.origin
        return UR(SIGN_REQUEST_TYPE, cbor.encode(body))

    @classmethod
    def from_ur(cls, ur: UR) -> EthSignRequest:
        body = _top_map(ur, SIGN_REQUEST_TYPE)
        sign_data = body.get(2)
        if not isinstance(sign_data, bytes):
            raise _bad("it has no sign-data")
        data_type = _optional_uint(body, 3, "data type")
        if data_type is not None and data_type not in set(DataType):
            raise _bad(f"data type {data_type} is unknown")
        address = body.get(6)
        if address is not None and not (isinstance(address, bytes) and len(address) == 20):
            raise _bad("the address is not 20 bytes")
        return cls(
            sign_data=sign_data,
            data_type=DataType(data_type or DataType.TRANSACTION),
            chain_id=_optional_int(body, 4, "chain id", default=1),
            derivation_path=KeyPath.from_cbor_value(body.get(5)),
            request_id=_optional_uuid(body),
            address=address,
            origin=_optional_text(body, 7),
        )


@dataclass(frozen=True)
class EthSignature:
    """An ``eth-signature``: the 65-byte r||s||v answer to the request ``request_id``."""

    request_id: bytes
    signature: bytes
    origin: str | None = None

    def to_ur(self) -> UR:
        body: dict[int | str, CborValue] = {
            1: Tagged(UUID_TAG, self.request_id),
            2: self.signature,
        }
        if self.origin is not None:
            body[3] = self.origin
        return UR(SIGNATURE_TYPE, cbor.encode(body))

    @classmethod
    def from_ur(cls, ur: UR) -> EthSignature:
        body = _top_map(ur, SIGNATURE_TYPE)
        request_id = _optional_uuid(body)
        signature = body.get(2)
        if request_id is None:
            raise _bad("the signature names no request id")
        # 65 bytes per the ERC; a legacy EIP-155 ``v`` on a large chain id needs more than one.
        if not (isinstance(signature, bytes) and len(signature) >= 65):
            raise _bad("the signature is shorter than 65 bytes (r, s, v)")
        return cls(request_id, signature, _optional_text(body, 3))


def _is_uint(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _top_map(ur: UR, ur_type: str) -> dict[int | str, CborValue]:
    if ur.type != ur_type:
        raise OfflineSigningError(f"Scanned a {ur.type!r} code, expected {ur_type!r}.")
    try:
        body = cbor.decode(ur.cbor)
    except cbor.CborDecodeError as exc:
        raise _bad(exc.user_message) from None
    if not isinstance(body, dict):
        raise _bad("its body is not a map")
    return body


def _tagged_map(value: CborValue, tag: int, what: str) -> dict[int | str, CborValue]:
    if not (isinstance(value, Tagged) and value.tag == tag and isinstance(value.value, dict)):
        raise _bad(f"the {what} is missing or not tagged {tag}")
    return value.value


def _optional_uint(body: dict[int | str, CborValue], key: int, what: str) -> int | None:
    value = body.get(key)
    if value is not None and not _is_uint(value):
        raise _bad(f"the {what} is not an unsigned integer")
    return None if value is None else int(value)  # type: ignore[arg-type]


def _optional_int(body: dict[int | str, CborValue], key: int, what: str, *, default: int) -> int:
    value = body.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad(f"the {what} is not an integer")
    return value


def _optional_text(body: dict[int | str, CborValue], key: int) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise _bad("the origin is not text")
    return value


def _optional_uuid(body: dict[int | str, CborValue]) -> bytes | None:
    value = body.get(1)
    if value is None:
        return None
    if not (isinstance(value, Tagged) and value.tag == UUID_TAG and isinstance(value.value, bytes)):
        raise _bad("the request id is not a tagged UUID")
    if len(value.value) != 16:
        raise _bad("the request id is not 16 bytes")
    return value.value
