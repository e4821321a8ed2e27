"""Vote documents' JSON bytes straight into a ``VoteTable``, in compiled code (``_scan.c``).

The compiled scanner reads the usual vote array in one pass into the table's columns, with no
Python object per vote. What it does not take it leaves, and each caller then reads the document
with its exact Python path (``None`` here):
- anything it does not expect (an unknown or repeated field, an escaped key, a number that is not
  finite, a differing score count, syntax it does not know) gives ``None`` at once;
- a choice that is not a plain int, int list or index mapping ("odd": a string, a float, a
  nested list...) comes back as a byte range. All ranges are decoded in one call by the caller's
  exact decoder, and ``build_table`` must also call every one of them odd, or ``None``;
- the rest of the document (the tally header, the GraphQL envelope) is read by the caller from
  the document with the votes array cut out (``without_votes``).
So a table from here equals the one the exact path builds, array for array.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from app.tally.table import OTHER, IntArray, VoteTable, build_table

try:
    from app.tally import _scan as _compiled

    _scan: ModuleType | None = _compiled
except ImportError:  # built without a C compiler: callers read every document the exact way
    _scan = None

TALLY_PATH = (b"votes",)
HUB_PATH = (b"data", b"votes")
_POWERS_RANGE = range(-342, 309)
_WORD = (1 << 64) - 1

BytesArray = npt.NDArray[np.bytes_]
Decoder = Callable[[bytes], Any]


def powers_of_five() -> bytes:
    """5^q for q in -342..308 as 128-bit truncations, high word first (Eisel-Lemire's table).

    Non-negative q: 5^q shifted to 128 significant bits, truncated. Negative q: 2^b // 5^-q + 1
    scaled to 128 bits (with b large enough that the truncation errs below the last bit).
    """
    words: list[int] = []
    for q in _POWERS_RANGE:
        if q >= 0:
            power = 5**q
            shift = power.bit_length() - 128
            value = power >> shift if shift > 0 else power << -shift
        else:
            power = 5**-q
            z = power.bit_length()
            b = z + 127 if q >= -27 else 2 * z + 128
            value = 2**b // power + 1
            value >>= max(value.bit_length() - 128, 0)
        words += [value >> 64, value & _WORD]
    return np.array(words, dtype=np.uint64).tobytes()


if _scan is not None:
    _scan.load_powers(powers_of_five())


@dataclass(frozen=True, eq=False)
class ScannedVotes:
    """The votes of a document as columns, and where the votes array lies in its bytes."""

    start: int
    end: int
    table: VoteTable
    strategies: int  # -1 when there are no votes and the document did not say
    voters: BytesArray | None = None  # hub pages: lower-case addresses, fixed width
    created: IntArray | None = None

    def without_votes(self, data: bytes) -> bytes:
        """The document with an empty votes array: what the exact decoder reads the rest from."""
        return data[: self.start] + b"[]" + data[self.end :]


def scan_votes(
    data: bytes,
    path: tuple[bytes, ...],
    *,
    decode: Decoder,
    hub: bool = False,
    strategies: int = -1,
) -> ScannedVotes | None:
    """The votes at ``path`` as columns, or None where the exact Python path must read ``data``.

    ``decode`` is the caller's exact decoder, used on the odd choices; ``strategies`` is the
    score count every vote must carry (required for hub pages, inferred for tally documents).
    """
    if _scan is None:
        return None
    scanned = _scan.scan_votes(data, path, hub, strategies)
    if scanned is None:
        return None
    others = _odd_choices(data, scanned["spans"], decode)
    if others is None:
        return None
    rows = scanned["rows"]
    width = 1 + max(scanned["strategies"], 0)
    table = VoteTable(
        kinds=np.frombuffer(scanned["kinds"], dtype=np.uint8),
        ints=np.frombuffer(scanned["ints"], dtype=np.int64),
        list_offsets=np.frombuffer(scanned["list_offsets"], dtype=np.int64),
        list_items=np.frombuffer(scanned["list_items"], dtype=np.int64),
        map_offsets=np.frombuffer(scanned["map_offsets"], dtype=np.int64),
        map_keys=np.frombuffer(scanned["map_keys"], dtype=np.int64),
        map_values=np.frombuffer(scanned["map_values"], dtype=np.float64),
        others=others,
        powers=np.frombuffer(scanned["powers"], dtype=np.float64).reshape(rows, width),
    )
    voters = created = None
    if "voters" in scanned:
        voters = np.frombuffer(scanned["voters"], dtype=f"S{scanned['voter_width']}")
        created = np.frombuffer(scanned["created"], dtype=np.int64)
    return ScannedVotes(
        scanned["start"], scanned["end"], table, scanned["strategies"], voters, created
    )


def _odd_choices(data: bytes, spans: bytearray, decode: Decoder) -> dict[int, object] | None:
    """The odd rows' choices, by the exact decoder; None unless build_table also calls them odd."""
    if not spans:
        return {}
    triples = np.frombuffer(spans, dtype=np.int64).reshape(-1, 3).tolist()
    text = b"[" + b",".join(data[start:end] for _, start, end in triples) + b"]"
    try:
        values = decode(text)
    except Exception:  # noqa: BLE001 - any failure: the exact path reads it and says why
        return None
    if type(values) is not list or len(values) != len(triples):
        return None
    count = len(values)
    judged = build_table(values, np.zeros(count), np.zeros((count, 0)))
    if not bool((judged.kinds == OTHER).all()):
        return None  # e.g. a mapping with an escaped or repeated key: plain to the exact path
    return {row: value for (row, _, _), value in zip(triples, values, strict=True)}
