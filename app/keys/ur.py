"""UR-style framing of signing files for QR codes: ``ur:<type>/<i>-<n>/<payload>``.

Modelled on Blockchain Commons UR (as used by ERC-4527) but simpler and not wire-compatible: the
payload of each part is base32 (RFC 4648, no padding) of ``crc32(message) || fragment``, not
bytewords of CBOR, and there are no fountain codes, so every part must be scanned once. Base32
keeps the text inside the QR alphanumeric set once upper-cased. A one-part message is
``ur:<type>/<payload>``.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from app.keys.errors import OfflineSigningError

DEFAULT_FRAGMENT_BYTES = 200
_TYPE = re.compile(r"^[a-z0-9-]+$")
_PART = re.compile(r"^ur:([a-z0-9-]+)/(?:(\d+)-(\d+)/)?([a-z2-7]+)$")


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def _unb32(text: str) -> bytes:
    padded = text.upper() + "=" * (-len(text) % 8)
    return base64.b32decode(padded)


def encode_parts(
    ur_type: str, message: bytes, *, fragment_bytes: int = DEFAULT_FRAGMENT_BYTES
) -> list[str]:
    """Split ``message`` into ordered UR parts of at most ``fragment_bytes`` payload each."""
    if not _TYPE.match(ur_type):
        raise ValueError(f"bad UR type {ur_type!r}")
    if fragment_bytes < 1:
        raise ValueError("fragment_bytes must be positive")
    checksum = zlib.crc32(message).to_bytes(4, "big")
    chunks = [message[i : i + fragment_bytes] for i in range(0, len(message), fragment_bytes)]
    chunks = chunks or [b""]
    if len(chunks) == 1:
        return [f"ur:{ur_type}/{_b32(checksum + chunks[0])}"]
    n = len(chunks)
    return [f"ur:{ur_type}/{i}-{n}/{_b32(checksum + c)}" for i, c in enumerate(chunks, start=1)]


def _parse_part(part: str) -> tuple[str, int, int, bytes, bytes]:
    match = _PART.match(part.strip().lower())
    if match is None:
        raise OfflineSigningError("A scanned code is not a govdesk UR part.")
    ur_type, i, n, payload = match.groups()
    seq, total = (1, 1) if i is None else (int(i), int(n))
    try:
        raw = _unb32(payload)
    except binascii.Error:
        raise OfflineSigningError("A scanned UR part is damaged.") from None
    if len(raw) < 4 or not 1 <= seq <= total:
        raise OfflineSigningError("A scanned UR part is damaged.")
    return ur_type, seq, total, raw[:4], raw[4:]


def decode_parts(parts: list[str], *, expected_type: str) -> bytes:
    """Reassemble parts scanned in any order (duplicates allowed); checks type, count and crc32."""
    fragments: dict[int, bytes] = {}
    header: tuple[int, bytes] | None = None
    for part in parts:
        ur_type, seq, total, checksum, fragment = _parse_part(part)
        if ur_type != expected_type:
            raise OfflineSigningError(f"Scanned a {ur_type!r} code, expected {expected_type!r}.")
        if header is not None and header != (total, checksum):
            raise OfflineSigningError("The scanned codes belong to different messages.")
        header = (total, checksum)
        fragments[seq] = fragment
    if header is None:
        raise OfflineSigningError("No codes were scanned.")
    missing = sorted(set(range(1, header[0] + 1)) - fragments.keys())
    if missing:
        raise OfflineSigningError(f"Parts still missing: {', '.join(map(str, missing))}.")
    message = b"".join(fragments[i] for i in range(1, header[0] + 1))
    if zlib.crc32(message).to_bytes(4, "big") != header[1]:
        raise OfflineSigningError("The reassembled message fails its checksum; scan again.")
    return message
