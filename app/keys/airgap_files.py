"""Read and write air-gap signing files: JSON, govdesk UR parts, or ERC-4527 UR (eth-sign-request,
eth-signature). Shared by `govdesk offline` and the desktop air-gap dialog."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import InputError

if TYPE_CHECKING:
    from app.keys.airgap import SigningRequest, SigningResponse
    from app.keys.erc4527 import KeyPath
    from app.keys.ur import UR

REQUEST_UR_TYPE = "govdesk-sign-request"
RESPONSE_UR_TYPE = "govdesk-sign-response"


def read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {path}.", detail=str(exc)) from None


def _read_ur(text: str) -> UR | None:
    """The UR in ``text`` (parts one per line, any order), or None if ``text`` is not UR."""
    from app.keys.ur import decode_ur

    if not text.lstrip().lower().startswith("ur:"):
        return None
    return decode_ur([line for line in text.split() if line])


def _bytes_of(ur: UR, ur_type: str, path: Path) -> str:
    from app.keys.ur import decode_parts, encode_ur

    try:
        return decode_parts(encode_ur(ur), expected_type=ur_type).decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} does not decode to a signing file.") from None


def read_signing_file(path: Path, ur_type: str) -> str:
    """A signing file as JSON text: JSON itself, or UR parts one per line (govdesk's own UR
    types, or an ERC-4527 eth-sign-request that names its address)."""
    text = read_text(path)
    ur = _read_ur(text)
    if ur is None:
        return text
    if ur.type == "eth-sign-request" and ur_type == REQUEST_UR_TYPE:
        from app.keys.airgap import dump_request

        return dump_request(read_request_ur(ur))
    return _bytes_of(ur, ur_type, path)


def read_request_ur(ur: UR, *, address: str | None = None) -> SigningRequest:
    """A request from an ERC-4527 ``eth-sign-request`` UR; ``address`` if the UR names none."""
    from app.keys.airgap import parse_eth_sign_request
    from app.keys.erc4527 import EthSignRequest

    return parse_eth_sign_request(EthSignRequest.from_ur(ur), address=address)


def read_request_file(path: Path, *, address: str | None = None) -> tuple[SigningRequest, bool]:
    """A request file (JSON, govdesk UR or ERC-4527 UR) and whether it came as ERC-4527."""
    from app.keys.airgap import load_request

    text = read_text(path)
    ur = _read_ur(text)
    if ur is not None and ur.type == "eth-sign-request":
        return read_request_ur(ur, address=address), True
    body = text if ur is None else _bytes_of(ur, REQUEST_UR_TYPE, path)
    return load_request(body), False


def read_response_file(path: Path, request: SigningRequest) -> SigningResponse:
    """The answer to ``request``: a response file (JSON or govdesk UR) or an ERC-4527
    eth-signature UR. Check it with ``accept_response``."""
    from app.keys.airgap import load_response, parse_eth_signature
    from app.keys.erc4527 import EthSignature

    text = read_text(path)
    ur = _read_ur(text)
    if ur is not None and ur.type == "eth-signature":
        return parse_eth_signature(EthSignature.from_ur(ur), request)
    return load_response(text if ur is None else _bytes_of(ur, RESPONSE_UR_TYPE, path))


def response_parts(response: SigningResponse, *, erc4527: bool) -> list[str]:
    """The response as UR: eth-signature when the request came as ERC-4527."""
    from app.keys.airgap import build_eth_signature, dump_response
    from app.keys.ur import encode_parts, encode_ur

    if erc4527:
        return encode_ur(build_eth_signature(response).to_ur())
    return encode_parts(RESPONSE_UR_TYPE, dump_response(response).encode("utf-8"))


def request_parts(request: SigningRequest, *, key_path: KeyPath | None = None) -> list[str]:
    """The request as ERC-4527 eth-sign-request UR parts, which air-gapped wallets read."""
    from app.keys.airgap import DEFAULT_KEY_PATH, build_eth_sign_request
    from app.keys.erc4527 import KeyPath
    from app.keys.ur import encode_ur

    path = key_path or KeyPath.parse(DEFAULT_KEY_PATH)
    return encode_ur(build_eth_sign_request(request, key_path=path).to_ur())
