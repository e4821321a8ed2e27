"""Build on-chain proposal actions from known ABIs and arguments typed as text, with clear errors.

A person picks a contract (one of ours, ERC-20, or any ABI they load), a state-changing function,
and types each argument as text; ``build_action`` checks every value against its Solidity type
and returns a ``ProposedCall`` the governor client can put into ``propose``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_utils.address import is_address, to_checksum_address

from app import jsonsafe
from app.artifacts import artifact_names, load_artifact
from app.errors import InputError
from app.governor.writer import ProposedCall

_INT = re.compile(r"^(u?)int(\d*)$")
_BYTES_N = re.compile(r"^bytes(\d+)$")

_ERC20_WRITES = (
    ("transfer", (("to", "address"), ("amount", "uint256"))),
    ("approve", (("spender", "address"), ("amount", "uint256"))),
    ("transferFrom", (("from", "address"), ("to", "address"), ("amount", "uint256"))),
)
ERC20_ABI: tuple[dict[str, Any], ...] = tuple(
    {
        "type": "function",
        "name": name,
        "stateMutability": "nonpayable",
        "inputs": [{"name": n, "type": t} for n, t in inputs],
        "outputs": [{"name": "", "type": "bool"}],
    }
    for name, inputs in _ERC20_WRITES
)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str


@dataclass(frozen=True)
class FunctionChoice:
    contract: str
    name: str
    inputs: tuple[Parameter, ...]
    payable: bool

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(p.type for p in self.inputs)})"


def known_contracts() -> dict[str, Sequence[Mapping[str, Any]]]:
    """Contract name -> ABI, for every ABI govdesk knows (our artifacts and ERC-20)."""
    contracts: dict[str, Sequence[Mapping[str, Any]]] = {"ERC20": ERC20_ABI}
    for name in artifact_names():
        contracts[name] = load_artifact(name).abi
    return contracts


def writable_functions(contract: str, abi: Sequence[Mapping[str, Any]]) -> list[FunctionChoice]:
    """The state-changing functions of an ABI (views and pure functions cannot be proposed)."""
    choices = []
    for item in abi:
        if item.get("type") != "function":
            continue
        mutability = item.get("stateMutability", "nonpayable")
        if mutability in {"view", "pure"}:
            continue
        inputs = tuple(
            Parameter(p.get("name") or f"arg{i}", p["type"]) for i, p in enumerate(item["inputs"])
        )
        choices.append(FunctionChoice(contract, item["name"], inputs, mutability == "payable"))
    return sorted(choices, key=lambda c: c.signature)


def parse_argument(param: Parameter, text: str) -> Any:
    """Turn the text a person typed into the value for ``param``'s Solidity type."""
    kind = param.type
    where = f"Argument “{param.name}” ({kind})"
    if kind.endswith("]"):
        return _parse_array(param, text, where)
    value = text.strip()
    if kind == "address":
        if not is_address(value):
            raise InputError(f"{where}: “{value}” is not a valid Ethereum address.")
        return to_checksum_address(value)
    if kind == "bool":
        if value.lower() not in {"true", "false"}:
            raise InputError(f"{where}: write true or false, not “{value}”.")
        return value.lower() == "true"
    if kind == "string":
        return text
    if match := _INT.match(kind):
        return _parse_int(
            value, signed=not match.group(1), bits=int(match.group(2) or 256), where=where
        )
    if kind == "bytes" or _BYTES_N.match(kind):
        return _parse_bytes(value, kind, where)
    raise InputError(f"{where}: this type is not supported in the actions builder yet.")


def _parse_int(value: str, *, signed: bool, bits: int, where: str) -> int:
    try:
        number = int(value.replace("_", ""), 0)
    except ValueError:
        raise InputError(f"{where}: “{value}” is not a whole number.") from None
    low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)
    if not low <= number <= high:
        raise InputError(f"{where}: {number} is out of range ({low} to {high}).")
    return number


def _parse_bytes(value: str, kind: str, where: str) -> bytes:
    digits = value.removeprefix("0x")
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        raise InputError(f"{where}: “{value}” is not hex bytes (0x…).") from None
    if kind != "bytes" and len(raw) != int(kind[5:]):
        raise InputError(f"{where}: needs exactly {kind[5:]} bytes, got {len(raw)}.")
    return raw


def _parse_array(param: Parameter, text: str, where: str) -> list[Any]:
    try:
        items = jsonsafe.loads(text, source=where)
    except jsonsafe.HostileDataError:
        raise InputError(f'{where}: write a JSON array, e.g. ["a", "b"].') from None
    if not isinstance(items, list):
        raise InputError(f'{where}: write a JSON array, e.g. ["a", "b"].')
    inner = Parameter(param.name, param.type[: param.type.rindex("[")])
    return [
        parse_argument(inner, item if isinstance(item, str) else json.dumps(item)) for item in items
    ]


def build_action(
    target: str, function: FunctionChoice, texts: Sequence[str], *, value_wei: int = 0
) -> ProposedCall:
    """A validated action: every argument parsed for its type, the target checksummed."""
    if not is_address(target.strip()):
        raise InputError(f"The target “{target}” is not a valid Ethereum address.")
    if len(texts) != len(function.inputs):
        raise InputError(
            f"{function.signature} takes {len(function.inputs)} arguments, got {len(texts)}."
        )
    if value_wei < 0:
        raise InputError("The ETH value of an action cannot be negative.")
    if value_wei and not function.payable:
        raise InputError(f"{function.signature} is not payable: it cannot receive ETH.")
    args = tuple(parse_argument(p, t) for p, t in zip(function.inputs, texts, strict=True))
    return ProposedCall(to_checksum_address(target.strip()), function.signature, args, value_wei)
