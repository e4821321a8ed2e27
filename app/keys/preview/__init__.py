"""Signing previews: one pure function that turns any payload into a readable summary.

``build_preview`` takes EIP-712 typed data or a transaction dict and returns a ``SigningPreview``:
a title, labelled fields, warnings with a severity, and the raw JSON beside it. It recognises
Snapshot votes, Governor ballots and delegations, and contract calls whose ABI the caller supplies
(decoded with eth_abi; the selector is recomputed from the ABI entry, so a function name cannot be
faked for a given selector). Anything else is listed field by field with a hard warning. It flags
chain ids and domains that do not match the configured network (see governor.md §6.1-6.2).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from eth_utils.address import to_checksum_address

from app.keys.preview.model import (
    KnownAbis,
    PreviewField,
    PreviewWarning,
    Severity,
    SigningPreview,
    chain_warnings,
)
from app.keys.preview.transactions import decode_call, format_value, tokens_of, transaction_fields
from app.keys.preview.typed_data import typed_data_fields

__all__ = [
    "PreviewField",
    "PreviewWarning",
    "Severity",
    "SigningPreview",
    "build_preview",
    "chain_warnings",
    "decode_call",
    "format_value",
]


def _is_typed_data(payload: Mapping[str, Any]) -> bool:
    return {"types", "primaryType", "domain", "message"} <= payload.keys()


def build_preview(
    payload: Mapping[str, Any],
    *,
    expected_chain_id: int | None,
    network_name: str,
    known_abis: KnownAbis | None = None,
    context: Mapping[str, Any] | None = None,
) -> SigningPreview:
    """A readable summary of ``payload`` (typed data or transaction); pure, no I/O.

    ``known_abis`` maps contract addresses to ABIs the caller trusts; ``context`` may give the
    proposal title (``proposal_title``) and its choices (``choices``, 1-based) for Snapshot votes.
    """
    abis = {str(to_checksum_address(a)): list(abi) for a, abi in (known_abis or {}).items()}
    raw = json.dumps(payload, indent=2, sort_keys=True, default=str)
    if _is_typed_data(payload):
        kind, title, fields, warnings = typed_data_fields(
            payload,
            expected_chain_id=expected_chain_id,
            network_name=network_name,
            known_contracts=frozenset(abis) | frozenset(tokens_of(context or {})),
            context=context or {},
        )
    else:
        kind, title, fields, warnings = transaction_fields(
            payload,
            expected_chain_id=expected_chain_id,
            network_name=network_name,
            abis=abis,
            tokens=tokens_of(context or {}),
        )
    return SigningPreview(
        kind=kind,
        title=title,
        fields=tuple(PreviewField(k, v) for k, v in fields),
        warnings=tuple(PreviewWarning(s, m) for s, m in warnings),
        raw_json=raw,
    )
