"""What a signing preview is made of: the summary a person reads, its fields and its warnings,
and the chain-id check every payload kind shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

AbiEntry = Mapping[str, Any]
KnownAbis = Mapping[str, Sequence[AbiEntry]]


class Severity(Enum):
    INFO = "info"
    WARNING = "warning"
    DANGER = "danger"


@dataclass(frozen=True)
class PreviewField:
    label: str
    value: str


@dataclass(frozen=True)
class PreviewWarning:
    severity: Severity
    message: str


@dataclass(frozen=True)
class SigningPreview:
    """What a person sees before signing. ``raw_json`` is the exact payload, pretty-printed."""

    kind: str
    title: str
    fields: tuple[PreviewField, ...]
    warnings: tuple[PreviewWarning, ...]
    raw_json: str

    @property
    def dangerous(self) -> bool:
        return any(w.severity is Severity.DANGER for w in self.warnings)

    def field(self, label: str) -> str | None:
        return next((f.value for f in self.fields if f.label == label), None)


Fields = list[tuple[str, str]]
Warnings = list[tuple[Severity, str]]
Tokens = dict[str, tuple[str, int]]


def chain_warnings(
    chain_id: Any, *, expected_chain_id: int | None, network_name: str, what: str
) -> Warnings:
    if chain_id is None:
        return [(Severity.DANGER, f"The {what} names no chain id: it could be replayed elsewhere.")]
    if expected_chain_id is not None and int(chain_id) != expected_chain_id:
        return [
            (
                Severity.DANGER,
                f"The {what} is for chain {int(chain_id)}, but {network_name} is chain "
                f"{expected_chain_id}. Do not sign unless you meant another network.",
            )
        ]
    return []
