"""Ledger's Ethereum app, EIP-712: struct definitions and implementations sent field by field
(app 1.9.19 and later), or the two hashes for older apps (ethapp.adoc "SIGN ETH EIP 712")."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import Any

from app.keys.hardware import errors as hw
from app.keys.hardware.base import (
    complete_types,
    typed_data_hashes,
)
from app.keys.hardware.ledger_apdu import (
    INS_SIGN_EIP712,
    INS_STRUCT_DEF,
    INS_STRUCT_IMPL,
    MAX_CHUNK,
    MAX_VALUE,
    VENDOR,
    apdu,
    path_bytes,
)

_TYPE = re.compile(r"^([A-Za-z_$][A-Za-z0-9_$]*)((?:\[\d*\])*)$")
_TYPE_CODES = {"int": 1, "uint": 2, "address": 3, "bool": 4, "string": 5}


def _split_type(type_name: str) -> tuple[str, list[int | None]]:
    match = _TYPE.match(type_name)
    if not match:
        raise hw.DeviceProtocolError(
            f"The typed data uses a type the Ledger cannot take: {type_name}."
        )
    levels = [None if lv == "" else int(lv) for lv in re.findall(r"\[(\d*)\]", match.group(2))]
    return match.group(1), levels


def _short(text: str, what: str) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) > MAX_CHUNK:
        raise hw.too_large(VENDOR, f"the {what} {text[:20]!r}… is {len(raw)} bytes", "255")
    return raw


def field_definition(type_name: str, key: str, types: dict[str, Any]) -> bytes:
    """One field for EIP712 SEND STRUCT DEFINITION: TypeDesc, [name], [size], [arrays], key."""
    base, levels = _split_type(type_name)
    out = bytearray()
    size: int | None = None
    custom = b""
    if base in types:
        code = 0
        custom = _short(base, "type name")
    elif sized := re.fullmatch(r"(u?int)(\d*)", base):
        code, size = _TYPE_CODES[sized.group(1)], int(sized.group(2) or 256) // 8
    elif base.startswith("bytes") and base != "bytes":
        code, size = 6, int(base.removeprefix("bytes"))
    elif base == "bytes":
        code = 7
    elif base in _TYPE_CODES:
        code = _TYPE_CODES[base]
    else:
        raise hw.DeviceProtocolError(f"The typed data uses an unknown type: {type_name}.")
    out.append((0x80 if levels else 0) | (0x40 if size is not None else 0) | code)
    if custom:
        out += bytes([len(custom)]) + custom
    if size is not None:
        out.append(size)
    if levels:
        out.append(len(levels))
        for level in levels:
            out += b"\x00" if level is None else bytes([1, level])
    name = _short(key, "field name")
    out += bytes([len(name)]) + name
    return bytes(out)


def struct_definition_apdus(types: dict[str, list[dict[str, str]]]) -> list[bytes]:
    """Every struct's name (P2=00) then its fields (P2=FF), in the order ``types`` lists them."""
    out: list[bytes] = []
    for name, fields in types.items():
        out.append(apdu(INS_STRUCT_DEF, 0x00, 0x00, _short(name, "type name")))
        for f in fields:
            out.append(
                apdu(INS_STRUCT_DEF, 0x00, 0xFF, field_definition(f["type"], f["name"], types))
            )
    return out


def _int_value(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text, 16) if text.lower().startswith(("0x", "-0x")) else int(text)


def _hex_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return bytes.fromhex(str(value).removeprefix("0x"))


def encode_value(type_name: str, value: Any) -> bytes:
    """A field's raw value (ethapp.adoc: "128" is one byte 0x80, an address its 20 bytes)."""
    if type_name == "string":
        return str(value).encode("utf-8")
    if type_name == "bool":
        return b"\x01" if value in (True, "true", 1) else b"\x00"
    if type_name == "address":
        return _hex_bytes(value)
    if type_name.startswith("bytes"):
        return _hex_bytes(value)
    number = _int_value(value)
    if type_name.startswith("int"):
        # Signed: full width, two's complement, so the device's sign extension cannot turn a
        # positive value with its top bit set (200 as one byte 0xC8) negative.
        size = int(type_name.removeprefix("int") or 256) // 8
        return number.to_bytes(size, "big", signed=True)
    return number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")


def _field_value_apdus(raw: bytes, key: str) -> list[bytes]:
    if len(raw) > MAX_VALUE:
        raise hw.too_large(VENDOR, f"the field {key!r} is {len(raw)} bytes", f"{MAX_VALUE} bytes")
    body = struct.pack(">H", len(raw)) + raw
    pieces = [body[i : i + MAX_CHUNK] for i in range(0, len(body), MAX_CHUNK)]
    return [
        apdu(INS_STRUCT_IMPL, 0x01 if n < len(pieces) - 1 else 0x00, 0xFF, piece)
        for n, piece in enumerate(pieces)
    ]


def _value_apdus(type_name: str, value: Any, key: str, types: dict[str, Any]) -> Iterator[bytes]:
    base, levels = _split_type(type_name)
    if levels:
        if not isinstance(value, list):
            raise hw.DeviceProtocolError(f"The field {key!r} should be a list.")
        if len(value) > 255:
            raise hw.too_large(VENDOR, f"the list {key!r} has {len(value)} items", "255 items")
        yield apdu(INS_STRUCT_IMPL, 0x00, 0x0F, bytes([len(value)]))
        inner = type_name[: type_name.rindex("[")]
        for item in value:
            yield from _value_apdus(inner, item, key, types)
    elif base in types:
        if not isinstance(value, dict):
            raise hw.DeviceProtocolError(f"The field {key!r} should be a {base}.")
        for f in types[base]:
            yield from _value_apdus(f["type"], value.get(f["name"]), f["name"], types)
    else:
        if value is None:
            raise hw.DeviceProtocolError(f"The typed data has no value for {key!r}.")
        yield from _field_value_apdus(encode_value(base, value), key)


def struct_implementation_apdus(typed_data: dict[str, Any]) -> list[bytes]:
    """The domain then the message, each as a root struct (P2=00) followed by its field values."""
    types = complete_types(typed_data)
    out: list[bytes] = []
    for root, value in (
        ("EIP712Domain", typed_data["domain"]),
        (typed_data["primaryType"], typed_data["message"]),
    ):
        out.append(apdu(INS_STRUCT_IMPL, 0x00, 0x00, _short(root, "type name")))
        for f in types[root]:
            out.extend(_value_apdus(f["type"], value.get(f["name"]), f["name"], types))
    return out


def sign_eip712_full_apdus(path: str, typed_data: dict[str, Any]) -> list[bytes]:
    types = complete_types(typed_data)
    return [
        *struct_definition_apdus(types),
        *struct_implementation_apdus(typed_data),
        apdu(INS_SIGN_EIP712, 0x00, 0x01, path_bytes(path)),
    ]


def sign_eip712_hashes_apdu(path: str, typed_data: dict[str, Any]) -> bytes:
    hashes = typed_data_hashes(typed_data)
    return apdu(
        INS_SIGN_EIP712, 0x00, 0x00, path_bytes(path) + hashes.domain_hash + hashes.message_hash
    )
