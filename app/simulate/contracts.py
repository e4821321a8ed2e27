"""Recognise the organisation's known contracts by their code, and read their state in words.

A contract is recognised as one of our compiled artifacts when every function selector of that
ABI appears in its runtime code (Solidity's dispatcher compares each one). Its zero-argument view
functions are then read before and after the actions; those whose value changed become
``ValueChange`` sentences ("GovernanceDecisions: marketplace fee 10% → 8%").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import decode

from app.artifacts import artifact_names, load_artifact
from app.chain.abi_codec import selector_of
from app.errors import ConfigError
from app.governor.actions import render_value
from app.simulate.labels import Labels
from app.simulate.units import format_duration

_SIMPLE = re.compile(r"^(u?int\d*|bool|address|string|bytes\d*)(\[\])?$")
# How some of our contracts' values read best: (contract, function name) -> unit.
UNITS: Mapping[tuple[str, str], str] = {
    ("GovernanceDecisions", "marketplaceFee"): "%",
    ("CompTimelock", "delay"): "duration",
    ("CompTimelock", "GRACE_PERIOD"): "duration",
    ("OzTimelock", "getMinDelay"): "duration",
    ("OzTimelockV4", "getMinDelay"): "duration",
}
_IGNORED = frozenset({"Multicall3"})  # deployed everywhere, holds no decisions


@dataclass(frozen=True)
class ViewFunction:
    name: str
    returns: tuple[str, ...]

    @property
    def selector(self) -> bytes:
        return selector_of(f"{self.name}()")


@dataclass(frozen=True)
class KnownContract:
    name: str
    selectors: frozenset[bytes]
    views: tuple[ViewFunction, ...]


def _known(name: str, abi: Sequence[Mapping[str, Any]]) -> KnownContract:
    selectors, views = set(), []
    for entry in abi:
        if entry.get("type") != "function":
            continue
        types = ",".join(str(i["type"]) for i in entry.get("inputs", []))
        selectors.add(selector_of(f"{entry['name']}({types})"))
        outputs = tuple(str(o["type"]) for o in entry.get("outputs", []))
        simple = outputs and all(_SIMPLE.match(t) for t in outputs)
        if not types and entry.get("stateMutability") in {"view", "pure"} and simple:
            views.append(ViewFunction(str(entry["name"]), outputs))
    return KnownContract(name, frozenset(selectors), tuple(views))


@functools.cache
def known_contracts() -> tuple[KnownContract, ...]:
    """Our artifacts, the largest ABI first (a governor's selectors include a token's few)."""
    try:
        names = artifact_names()
    except ConfigError:
        return ()
    found = [_known(n, load_artifact(n).abi) for n in names if n not in _IGNORED]
    return tuple(sorted(found, key=lambda k: -len(k.selectors)))


def identify(code: bytes) -> KnownContract | None:
    """The known contract whose every selector is in ``code``, or None."""
    if not code:
        return None
    for known in known_contracts():
        # Selectors with leading zero bytes are pushed shorter (PUSH3, PUSH2) by the optimiser.
        if all(s.lstrip(b"\0") in code for s in known.selectors):
            return known
    return None


def words(name: str) -> str:
    """``getMarketplaceCategories`` -> ``marketplace categories``; ``GRACE_PERIOD`` likewise."""
    if name.isupper():
        return name.replace("_", " ").lower()
    base = name[3:] if name.startswith("get") and name[3:4].isupper() else name
    return re.sub(r"(?<!^)(?=[A-Z])", " ", base).lower()


def decode_view(view: ViewFunction, data: bytes | None) -> tuple[Any, ...] | None:
    if data is None:
        return None
    try:
        return tuple(decode(list(view.returns), data))
    except Exception:  # noqa: BLE001 - a view that answers nonsense is left out
        return None


def render(contract: str, view: ViewFunction, values: tuple[Any, ...], labels: Labels) -> str:
    unit = UNITS.get((contract, view.name), "")
    shown = [_one(v, unit, labels) for v in values]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"


def _one(value: Any, unit: str, labels: Labels) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_one(v, unit, labels) for v in value) + "]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return labels.of(value)
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, int) and unit == "%":
        return f"{value}%"
    if isinstance(value, int) and unit == "duration":
        return format_duration(value)
    return render_value(value)


def list_change(before: tuple[Any, ...], after: tuple[Any, ...]) -> str | None:
    """For a single list value: "added “X”, “Y”" when the new list only appends."""
    if len(before) != 1 or len(after) != 1:
        return None
    old, new = before[0], after[0]
    if not isinstance(old, list | tuple) or not isinstance(new, list | tuple):
        return None
    if len(new) > len(old) and list(new[: len(old)]) == list(old):
        added = ", ".join(
            f"“{v}”" if isinstance(v, str) else render_value(v) for v in new[len(old) :]
        )
        return f"added {added}"
    return None
