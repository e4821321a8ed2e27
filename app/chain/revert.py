"""Turn revert data into a sentence: Error(string), Panic(uint256) and custom errors by selector.

Custom errors come from the ``ErrorRegistry``: JSON ABIs (``"type": "error"`` entries, e.g. our
compiled artifacts) and signature strings. A formatter can be registered per error name to render
arguments in words (the governor module does this for ``GovernorUnexpectedProposalState``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import decode
from eth_abi.exceptions import DecodingError

from app.chain.abi_codec import parse_signature, selector_of

ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")
PANIC_SELECTOR = bytes.fromhex("4e487b71")
PANIC_CODES: Mapping[int, str] = {
    0x00: "generic compiler panic",
    0x01: "assertion failed",
    0x11: "arithmetic overflow or underflow",
    0x12: "division or modulo by zero",
    0x21: "invalid enum value",
    0x22: "corrupt storage byte array",
    0x31: "pop() on an empty array",
    0x32: "array index out of bounds",
    0x41: "out of memory",
    0x51: "call to an uninitialised function",
}
_HEX = re.compile(r"0x[0-9a-fA-F]*")

Formatter = Callable[[tuple[Any, ...]], str]


@dataclass(frozen=True)
class CustomError:
    name: str
    types: tuple[str, ...]
    names: tuple[str, ...]


class ErrorRegistry:
    """Known custom errors, by 4-byte selector."""

    def __init__(self) -> None:
        self._errors: dict[bytes, CustomError] = {}
        self._formatters: dict[str, Formatter] = {}

    def add_signature(self, signature: str, names: Iterable[str] = ()) -> None:
        name, types = parse_signature(signature)
        labels = tuple(names) or tuple(f"arg{i}" for i in range(len(types)))
        self._errors[selector_of(f"{name}({','.join(types)})")] = CustomError(name, types, labels)

    def add_abi(self, abi: Iterable[Mapping[str, Any]]) -> None:
        for entry in abi:
            if entry.get("type") != "error":
                continue
            inputs = entry.get("inputs", [])
            types = ",".join(_abi_type(i) for i in inputs)
            self.add_signature(f"{entry['name']}({types})", (i.get("name", "") for i in inputs))

    def add_formatter(self, name: str, formatter: Formatter) -> None:
        self._formatters[name] = formatter

    def describe(self, data: bytes) -> str:
        """A human sentence for revert ``data`` (never raises)."""
        if not data:
            return "reverted without a reason"
        selector, body = data[:4], data[4:]
        try:
            if selector == ERROR_STRING_SELECTOR:
                return str(decode(["string"], body)[0])
            if selector == PANIC_SELECTOR:
                code = int(decode(["uint256"], body)[0])
                return f"panic 0x{code:02x}: {PANIC_CODES.get(code, 'unknown panic code')}"
            known = self._errors.get(selector)
            if known is not None:
                return self._render(known, tuple(decode(list(known.types), body)))
        except DecodingError:
            pass
        return f"unknown error 0x{data.hex()}"

    def _render(self, error: CustomError, values: tuple[Any, ...]) -> str:
        formatter = self._formatters.get(error.name)
        if formatter is not None:
            return formatter(values)
        args = ", ".join(
            f"{n}={_show(v)}" if n else _show(v) for n, v in zip(error.names, values, strict=True)
        )
        return f"{error.name}({args})"


def _abi_type(param: Mapping[str, Any]) -> str:
    typ = str(param["type"])
    if typ.startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in param.get("components", []))
        return f"({inner}){typ[5:]}"
    return typ


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(value)


def revert_data_from_error(data: Any, message: str = "") -> bytes | None:
    """Extract revert bytes from a JSON-RPC error's ``data`` (shapes differ between nodes)."""
    if isinstance(data, Mapping):
        data = data.get("data") or data.get("result")
    if isinstance(data, str):
        match = _HEX.search(data)
        if match and len(match.group(0)) % 2 == 0:
            return bytes.fromhex(match.group(0)[2:])
    if "revert" in message.lower():
        return b""
    return None
