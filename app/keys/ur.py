"""Uniform Resources (Blockchain Commons BCR-2020-005), the QR transport of ERC-4527.

A UR carries one CBOR item (its *message*) under a type name. A short message is one part,
``ur:<type>/<bytewords>``; a longer one is split into ``seqLen`` equal fragments (the last padded
with zeros), each sent as ``ur:<type>/<seqNum>-<seqLen>/<bytewords of CBOR [seqNum, seqLen,
messageLen, crc32(message), fragment]>``. Bytewords are the minimal style with their own CRC32,
so every part is checked on its own and the whole message once more after reassembly.

The encoder emits the pure fragments ``1..seqLen`` and, on request, further *mixed* parts
(XORs of fragments chosen by the fountain code in ``app.keys.fountain``), as animated-QR senders
do. The decoder accepts pure and mixed parts in any order, repeated, in either letter case, and
finishes as soon as the parts seen determine every fragment.

``encode_parts`` / ``decode_parts`` keep the older byte-oriented interface: the bytes travel as
a CBOR byte string (as the reference ``ur:bytes`` type does).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from app.errors import InputError
from app.keys import bytewords, cbor
from app.keys.errors import OfflineSigningError
from app.keys.fountain import MixedPartSolver, choose_fragments, mix

DEFAULT_FRAGMENT_BYTES = 200
MIN_FRAGMENT_BYTES = 10  # the reference encoders' default lower bound
_TYPE = re.compile(r"^[a-z0-9-]+$")
_PART = re.compile(r"^ur:([a-z0-9-]+)/(?:(\d+)-(\d+)/)?([a-z]+)$")


@dataclass(frozen=True)
class UR:
    """A typed CBOR message: ``cbor`` is the encoded (untagged) top-level item."""

    type: str
    cbor: bytes


@dataclass(frozen=True)
class URFragment:
    """One part of a multi-part UR: fragment ``seq_num`` of ``seq_len`` of a message."""

    seq_num: int
    seq_len: int
    message_len: int
    checksum: int
    fragment: bytes


def nominal_fragment_length(message_len: int, max_fragment_bytes: int) -> int:
    """The fragment size the reference encoders pick: the fewest equal fragments that fit.

    Like the reference, at most ``message_len // 10`` fragments are made, so a limit below about
    ten bytes can be exceeded slightly (25 bytes at a limit of 10 gives two 13-byte fragments).
    """
    min_len = min(MIN_FRAGMENT_BYTES, max_fragment_bytes)
    max_count = max(1, message_len // min_len)
    length = message_len
    for count in range(1, max_count + 1):
        length = -(-message_len // count)
        if length <= max_fragment_bytes:
            break
    return max(length, 1)


def _check_type(ur_type: str) -> None:
    if not _TYPE.match(ur_type):
        raise ValueError(f"bad UR type {ur_type!r}")


def encode_ur(
    ur: UR, *, max_fragment_bytes: int = DEFAULT_FRAGMENT_BYTES, extra_parts: int = 0
) -> list[str]:
    """The parts of ``ur``: one single-part UR, or the ``seqLen`` pure fragments followed by
    ``extra_parts`` fountain-mixed parts."""
    _check_type(ur.type)
    if max_fragment_bytes < 1 or extra_parts < 0:
        raise ValueError("max_fragment_bytes must be positive and extra_parts not negative")
    length = nominal_fragment_length(len(ur.cbor), max_fragment_bytes)
    seq_len = max(1, -(-len(ur.cbor) // length))
    if seq_len == 1:
        return [f"ur:{ur.type}/{bytewords.encode(ur.cbor)}"]
    checksum = zlib.crc32(ur.cbor)
    padded = ur.cbor + bytes(seq_len * length - len(ur.cbor))
    fragments = [padded[i : i + length] for i in range(0, len(padded), length)]
    parts = []
    for seq_num in range(1, seq_len + extra_parts + 1):
        data = mix(fragments, choose_fragments(seq_num, seq_len, checksum))
        body = cbor.encode([seq_num, seq_len, len(ur.cbor), checksum, data])
        parts.append(f"ur:{ur.type}/{seq_num}-{seq_len}/{bytewords.encode(body)}")
    return parts


def _damaged(detail: str) -> OfflineSigningError:
    return OfflineSigningError("A scanned UR part is damaged.", detail=detail)


def _parse_multi(payload: bytes, seq: tuple[int, int]) -> URFragment:
    value = cbor.decode(payload)
    if not (isinstance(value, list) and len(value) == 5):
        raise _damaged("a multi-part body is not a five-item array")
    *header, fragment = value
    ints = [x for x in header if isinstance(x, int) and not isinstance(x, bool)]
    if len(ints) != 4:
        raise _damaged("a multi-part header holds a non-integer")
    if not isinstance(fragment, bytes):
        raise _damaged("a multi-part fragment is not a byte string")
    part = URFragment(ints[0], ints[1], ints[2], ints[3], fragment)
    if (part.seq_num, part.seq_len) != seq or part.seq_num < 1 or part.seq_len < 1:
        raise _damaged("the part's sequence numbers disagree with its header")
    if part.checksum >= 1 << 32 or part.message_len > part.seq_len * len(fragment):
        raise _damaged("the part's header is inconsistent")
    return part


def parse_part(text: str) -> tuple[str, UR | URFragment]:
    """The type and content of one scanned part: a whole ``UR`` or one fragment of one."""
    match = _PART.match(text.strip().lower())
    if match is None:
        raise OfflineSigningError("A scanned code is not a UR part.")
    ur_type, seq_num, seq_len, words = match.groups()
    try:
        payload = bytewords.decode(words)
        if seq_num is None:
            cbor.decode(payload)  # a UR message must be one well-formed CBOR item
            return ur_type, UR(ur_type, payload)
        return ur_type, _parse_multi(payload, (int(seq_num), int(seq_len)))
    except InputError as exc:
        raise _damaged(exc.user_message) from None


class UrDecoder:
    """Collects scanned parts (any order, duplicates, pure or mixed) into one ``UR``."""

    def __init__(self, expected_type: str | None = None) -> None:
        self.expected_type = expected_type
        self.result: UR | None = None
        self._ur_type: str | None = None
        self._header: tuple[int, int, int, int] | None = None
        self._solver = MixedPartSolver()

    def receive(self, text: str) -> bool:
        """Take one part; True once the message is complete (then ``result`` holds it)."""
        ur_type, content = parse_part(text)
        self._check_type(ur_type)
        if isinstance(content, UR):
            self.result = content
        elif self.result is None:
            self._add(ur_type, content)
        return self.result is not None

    def _check_type(self, ur_type: str) -> None:
        wanted = self.expected_type or self._ur_type
        if wanted is not None and ur_type != wanted:
            raise OfflineSigningError(f"Scanned a {ur_type!r} code, expected {wanted!r}.")
        self._ur_type = ur_type

    def _add(self, ur_type: str, part: URFragment) -> None:
        header = (part.seq_len, part.message_len, part.checksum, len(part.fragment))
        if self._header is not None and self._header != header:
            raise OfflineSigningError("The scanned codes belong to different messages.")
        self._header = header
        indexes = choose_fragments(part.seq_num, part.seq_len, part.checksum)
        self._solver.add(indexes, part.fragment)
        if len(self._solver.known) == part.seq_len:
            self.result = UR(ur_type, self._join(part.seq_len, part.message_len, part.checksum))

    def _join(self, seq_len: int, message_len: int, checksum: int) -> bytes:
        fragments = self._solver.known
        message = b"".join(fragments[i] for i in range(seq_len))[:message_len]
        if zlib.crc32(message) != checksum:
            raise OfflineSigningError("The reassembled message fails its checksum; scan again.")
        try:
            cbor.decode(message)  # as for a single part: a UR message is one CBOR item
        except InputError as exc:
            raise _damaged(exc.user_message) from None
        return message

    def missing(self) -> list[int]:
        """Sequence numbers of pure parts whose fragment is still unknown (empty before the
        first multi-part)."""
        if self._header is None:
            return []
        return [i + 1 for i in range(self._header[0]) if i not in self._solver.known]


def decode_ur(parts: list[str], *, expected_type: str | None = None) -> UR:
    """The UR carried by ``parts`` (any order, duplicates allowed)."""
    decoder = UrDecoder(expected_type=expected_type)
    for part in parts:
        decoder.receive(part)
    if decoder.result is not None:
        return decoder.result
    missing = decoder.missing()
    if not missing:
        raise OfflineSigningError("No codes were scanned.")
    raise OfflineSigningError(f"Parts still missing: {', '.join(map(str, missing))}.")


def encode_parts(
    ur_type: str, message: bytes, *, fragment_bytes: int = DEFAULT_FRAGMENT_BYTES
) -> list[str]:
    """UR parts carrying ``message`` as a CBOR byte string, fragments of at most
    ``fragment_bytes``."""
    return encode_ur(UR(ur_type, cbor.encode(message)), max_fragment_bytes=fragment_bytes)


def decode_parts(parts: list[str], *, expected_type: str) -> bytes:
    """The bytes carried by ``encode_parts`` output, reassembled from ``parts`` in any order."""
    value = cbor.decode(decode_ur(parts, expected_type=expected_type).cbor)
    if not isinstance(value, bytes):
        raise OfflineSigningError(f"The {expected_type!r} code does not carry a byte string.")
    return value
