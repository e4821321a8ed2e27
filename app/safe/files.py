"""The files Safe owners exchange: a request to approve, and an owner's approval back.

An owner on another machine needs no store: the request file carries the typed data to sign and
the hash it must hash to, and the approval file carries the signature for that hash.
"""

from __future__ import annotations

import json
from typing import Any, Final

from app.errors import InputError
from app.safe.requests import SafeRequest
from app.safe.signatures import recover_signer

REQUEST_FORMAT: Final = "govdesk-safe-request"
APPROVAL_FORMAT: Final = "govdesk-safe-approval"
MAX_FILE_BYTES: Final = 1_000_000


def request_document(request: SafeRequest) -> str:
    """The request file's text for the owners who sign elsewhere."""
    document = {
        "format": REQUEST_FORMAT, "version": 1, "request": request.id, "safe": request.safe,
        "chain_id": request.chain_id, "summary": request.summary, "owners": list(request.owners),
        "typed_data": request.approval_typed_data(),
    }  # fmt: skip
    return json.dumps(document, indent=2) + "\n"


def parse_document(text: str, expected: str, source: str) -> dict[str, Any]:
    """A request or approval file, checked for its format; a clear error otherwise."""
    if len(text) > MAX_FILE_BYTES:
        raise InputError(f"{source} is larger than any {expected} file.")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise InputError(f"{source} is not JSON.") from None
    if not isinstance(document, dict) or document.get("format") != expected:
        raise InputError(f"{source} is not a {expected} file.")
    return document


def approval_document(request_document_: dict[str, Any], owner: str, signature: bytes) -> str:
    """The approval file an owner sends back, once its signature matches the named hash."""
    if recover_signer(bytes.fromhex(str(request_document_["request"])[2:]), signature) != owner:
        raise InputError("The request file's hash does not match what it asks to sign.")
    answer = {"format": APPROVAL_FORMAT, "version": 1, "request": request_document_["request"],
              "owner": owner, "signature": "0x" + signature.hex()}  # fmt: skip
    return json.dumps(answer, indent=2) + "\n"


def approval_of(document: dict[str, Any], source: str) -> tuple[str, bytes]:
    """``(request id, signature)`` of an approval file."""
    try:
        return str(document["request"]), bytes.fromhex(str(document["signature"])[2:])
    except (KeyError, ValueError):
        raise InputError(f"{source} has no readable signature.") from None
