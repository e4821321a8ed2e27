"""A small deterministic CBOR (RFC 8949) codec for the UR and ERC-4527 records we exchange.

Only what those records use: unsigned and negative integers, byte and text strings, arrays,
maps (integer or text keys), tags, ``true``/``false`` and ``null``. Encoding is deterministic
(shortest-form heads, map keys sorted by their encoded bytes, as RFC 8949 section 4.2.1 and dCBOR
require). Decoding is strict: it refuses indefinite lengths, non-shortest heads, floats and other
simple values, duplicate or unsorted map keys, invalid UTF-8, truncation and trailing bytes, each
with a ``CborDecodeError`` that says what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from app.errors import InputError

MAX_DEPTH = 32  # our records nest three deep; a bound keeps hostile input from recursing far

_UINT, _NINT, _BYTES, _TEXT, _ARRAY, _MAP, _TAG, _SIMPLE = range(8)
_FALSE, _TRUE, _NULL = 20, 21, 22
_UINT64_MAX = (1 << 64) - 1


@dataclass(frozen=True)
class Tagged:
    """A CBOR tag (major type 6) around a value, e.g. ``Tagged(37, uuid_bytes)``."""

    tag: int
    value: CborValue


CborKey: TypeAlias = int | str
CborValue: TypeAlias = (
    int | bytes | str | bool | list["CborValue"] | dict[CborKey, "CborValue"] | Tagged | None
)


class CborDecodeError(InputError):
    """Bytes that are not the strict, deterministic CBOR this codec accepts."""


class CborEncodeError(ValueError):
    """A Python value that has no CBOR form here (a programming error, not user input)."""


def _head(major: int, argument: int) -> bytes:
    if argument < 0 or argument > _UINT64_MAX:
        raise CborEncodeError(f"CBOR argument {argument} does not fit in 64 bits")
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise AssertionError("unreachable")  # pragma: no cover - bounded above


def _encode_int(value: int) -> bytes:
    return _head(_UINT, value) if value >= 0 else _head(_NINT, -1 - value)


def _encode_map(value: dict[CborKey, CborValue]) -> bytes:
    items = sorted((encode(k), encode(v)) for k, v in value.items())
    return _head(_MAP, len(items)) + b"".join(k + v for k, v in items)


def encode(value: CborValue) -> bytes:
    """The deterministic CBOR encoding of ``value``."""
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return bytes([_SIMPLE << 5 | (_TRUE if value else _FALSE)])
    if value is None:
        return bytes([_SIMPLE << 5 | _NULL])
    if isinstance(value, int):
        return _encode_int(value)
    if isinstance(value, bytes):
        return _head(_BYTES, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(_TEXT, len(raw)) + raw
    if isinstance(value, list):
        return _head(_ARRAY, len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, dict):
        return _encode_map(value)
    if isinstance(value, Tagged):
        return _head(_TAG, value.tag) + encode(value.value)
    raise CborEncodeError(f"cannot encode {type(value).__name__} as CBOR")


class _Reader:
    """A cursor over the input; every read checks bounds."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, count: int) -> bytes:
        if count > len(self.data) - self.pos:
            raise CborDecodeError("The CBOR data ends too early.", detail=f"at byte {self.pos}")
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def head(self) -> tuple[int, int, int]:
        """(major type, additional info, argument) of the next item."""
        first = self.take(1)[0]
        major, info = first >> 5, first & 0x1F
        if info < 24 or major == _SIMPLE:
            return major, info, info
        if info > 27:
            raise CborDecodeError(
                "The CBOR data uses an unsupported length form.",
                detail=f"indefinite or reserved length at byte {self.pos - 1}",
            )
        argument = int.from_bytes(self.take(1 << (info - 24)), "big")
        if _head(major, argument)[0] != first:
            raise CborDecodeError("The CBOR data is not in shortest (deterministic) form.")
        return major, info, argument


def _decode_simple(info: int) -> bool | None:
    simple: dict[int, bool | None] = {_FALSE: False, _TRUE: True, _NULL: None}
    if info not in simple:
        raise CborDecodeError(
            "The CBOR data holds a float or simple value this codec does not accept.",
            detail=f"simple/float info {info}",
        )
    return simple[info]


def _decode_map(reader: _Reader, count: int, depth: int) -> dict[CborKey, CborValue]:
    result: dict[CborKey, CborValue] = {}
    previous = b""
    for _ in range(count):
        start = reader.pos
        key = _decode_item(reader, depth + 1)
        key_bytes = reader.data[start : reader.pos]
        if not isinstance(key, int | str) or isinstance(key, bool):
            raise CborDecodeError("A CBOR map key is neither an integer nor a text string.")
        if key_bytes <= previous:
            raise CborDecodeError("CBOR map keys are duplicated or not in deterministic order.")
        previous = key_bytes
        result[key] = _decode_item(reader, depth + 1)
    return result


def _decode_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CborDecodeError("A CBOR text string is not valid UTF-8.") from None


def _decode_item(reader: _Reader, depth: int) -> CborValue:
    if depth > MAX_DEPTH:
        raise CborDecodeError("The CBOR data is nested too deeply.")
    major, info, argument = reader.head()
    if major == _UINT:
        return argument
    if major == _NINT:
        return -1 - argument
    if major == _BYTES:
        return reader.take(argument)
    if major == _TEXT:
        return _decode_text(reader.take(argument))
    if major == _ARRAY:
        return [_decode_item(reader, depth + 1) for _ in range(argument)]
    if major == _MAP:
        return _decode_map(reader, argument, depth)
    if major == _TAG:
        return Tagged(argument, _decode_item(reader, depth + 1))
    return _decode_simple(info)


def decode(data: bytes) -> CborValue:
    """Decode exactly one CBOR item that fills ``data``; anything else is a ``CborDecodeError``."""
    reader = _Reader(data)
    value = _decode_item(reader, 0)
    if reader.pos != len(data):
        raise CborDecodeError(
            "The CBOR data has bytes left over after its item.",
            detail=f"{len(data) - reader.pos} trailing bytes",
        )
    return value
