"""Small typed ABI helpers built from signature strings (``"state(uint256)"``).

A ``Function`` encodes calldata and decodes return data; an ``Event`` decodes logs. Both use
eth-abi. Signatures are canonical (types only, no names, no spaces); ``Function.parse`` accepts
human-readable forms with parameter names and normalises them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_abi.abi import decode, encode
from eth_utils.address import is_address, to_checksum_address
from eth_utils.crypto import keccak

from app.errors import InputError


def split_types(types: str) -> tuple[str, ...]:
    """Split a comma-separated type list at top level only (tuples stay whole)."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in types:
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    if current.strip():
        parts.append(current.strip())
    return tuple(parts)


def parse_signature(signature: str) -> tuple[str, tuple[str, ...]]:
    """``"transfer(address to, uint256 amount)"`` -> ``("transfer", ("address", "uint256"))``."""
    name, _, rest = signature.strip().partition("(")
    if not rest.endswith(")") or not name.isidentifier():
        raise ValueError(f"not a function signature: {signature!r}")
    params = split_types(rest[:-1])
    return name, tuple(_strip_name(p) for p in params)


def _strip_name(param: str) -> str:
    if param.startswith("("):
        depth = 0
        for pos, char in enumerate(param):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                inner = ",".join(_strip_name(p) for p in split_types(param[1:pos]))
                suffix = param[pos + 1 :].split(" ")[0]
                return f"({inner}){suffix}"
    return param.split(" ")[0]


def selector_of(signature: str) -> bytes:
    return keccak(text=signature)[:4]


@dataclass(frozen=True)
class Function:
    """One contract function: canonical signature and return types."""

    signature: str
    returns: tuple[str, ...] = ()
    name: str = field(init=False)
    inputs: tuple[str, ...] = field(init=False)
    selector: bytes = field(init=False)

    def __post_init__(self) -> None:
        name, inputs = parse_signature(self.signature)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "selector", selector_of(f"{name}({','.join(inputs)})"))

    def encode(self, *args: Any) -> bytes:
        return self.selector + encode(list(self.inputs), list(args))

    def decode(self, data: bytes) -> tuple[Any, ...]:
        return tuple(decode(list(self.returns), data))

    def decode_one(self, data: bytes) -> Any:
        return self.decode(data)[0]

    def decode_input(self, calldata: bytes) -> tuple[Any, ...]:
        return tuple(decode(list(self.inputs), calldata[4:]))


def fn(signature: str, returns: str = "") -> Function:
    """Shorthand: ``fn("state(uint256)", "uint8")``."""
    return Function(signature, split_types(returns))


@dataclass(frozen=True)
class Event:
    """One event: canonical signature plus which parameters are indexed."""

    signature: str
    indexed: tuple[bool, ...]
    topic0: bytes = field(init=False)
    types: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        _, types = parse_signature(self.signature)
        if len(types) != len(self.indexed):
            raise ValueError(f"indexed mask does not match {self.signature}")
        object.__setattr__(self, "types", types)
        object.__setattr__(self, "topic0", keccak(text=self.signature))

    def decode(self, topics: Sequence[bytes], data: bytes) -> tuple[Any, ...]:
        """All parameters in declaration order (indexed ones from the topics)."""
        plain = [t for t, idx in zip(self.types, self.indexed, strict=True) if not idx]
        values = iter(decode(plain, data))
        topic_iter = iter(topics[1:])
        out = []
        for typ, idx in zip(self.types, self.indexed, strict=True):
            out.append(decode([typ], next(topic_iter))[0] if idx else next(values))
        return tuple(out)


def event(signature: str, indexed: str = "") -> Event:
    """Shorthand: ``event("Transfer(address,address,uint256)", "110")``."""
    _, types = parse_signature(signature)
    mask = tuple(c == "1" for c in indexed.ljust(len(types), "0"))
    return Event(signature, mask)


def checksum_address(text: str, what: str = "address") -> str:
    """EIP-55 form of ``text``; ``InputError`` naming ``what`` if it is not a 20-byte address."""
    candidate = text.strip()
    if not is_address(candidate):
        raise InputError(f"The {what} {text!r} is not a valid Ethereum address (0x + 40 hex).")
    return str(to_checksum_address(candidate))
