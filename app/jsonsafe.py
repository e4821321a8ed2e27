"""Bounded JSON parsing for every document govdesk did not write itself (see issue #22).

A hub, a sequencer, an RPC endpoint, a forum, a file or a command-line argument can send any
bytes. ``loads`` refuses a document that is too large or nested too deeply *before* the parser
recurses into it, refuses ``NaN``/``Infinity`` (not JSON), and turns every parse failure into a
``HostileDataError`` that names where the document came from, so no caller sees ``ValueError``,
``RecursionError`` or ``UnicodeDecodeError``.

The depth check costs a few C-speed passes over the bracket characters, outside string literals:
each pass removes the innermost ``[]``/``{}`` pairs, so a document is within ``max_depth`` exactly
when at most ``max_depth`` passes empty it.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from app.errors import InputError

MAX_BYTES: Final = 32 * 1024 * 1024  # the largest vote page or tally file we expect, with room
MAX_DEPTH: Final = 64  # Snapshot, JSON-RPC and keystore documents nest fewer than 10 levels
_NOT_STRUCTURE: Final = bytes(b for b in range(256) if b not in b'[]{}"')
_PAIR: Final = re.compile(rb"\[\]|\{\}")


class HostileDataError(InputError):
    """A document from outside is not JSON, too large or nested too deeply."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"The data from {source} is not usable: {problem}.")
        self.source = source
        self.problem = problem


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ValueError(f"the key {twice!r} appears twice")
    return obj


def nesting_depth_exceeds(data: bytes, max_depth: int) -> bool:
    """True when ``data`` nests deeper than ``max_depth`` (or its brackets do not balance)."""
    brackets = _outside_strings(data)
    for _ in range(max_depth):
        if not brackets:
            return False
        shorter = _PAIR.sub(b"", brackets)  # one level: a single pass does not chain
        if shorter == brackets:  # unbalanced: the parser would fail on it anyway
            return True
        brackets = shorter
    return bool(brackets)


def _outside_strings(data: bytes) -> bytes:
    """The bracket characters of ``data`` that are not inside a string literal."""
    # Drop escaped backslashes, then escaped quotes: every quote left opens or closes a string.
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in data else data
    structure = unescaped.translate(None, _NOT_STRUCTURE)
    return b"".join(structure.split(b'"')[0::2])


def loads(
    data: str | bytes | bytearray,
    *,
    source: str,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    unique_keys: bool = False,
) -> Any:
    """Parse ``data`` as JSON within the limits; ``HostileDataError`` names ``source``.

    ``unique_keys`` refuses an object that names a key twice (JSON keeps the last one silently,
    so what is signed would differ from what was typed).
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise HostileDataError(source, f"{len(raw):,} bytes, more than the {max_bytes:,} allowed")
    if raw.count(b"[") + raw.count(b"{") > max_depth and nesting_depth_exceeds(raw, max_depth):
        raise HostileDataError(
            source, f"nested more than {max_depth} levels deep, or brackets do not match"
        )
    try:
        hook = _unique_object if unique_keys else None
        return json.loads(raw, parse_constant=_refuse_constant, object_pairs_hook=hook)
    except (ValueError, RecursionError, UnicodeError) as exc:
        raise HostileDataError(source, f"not valid JSON ({_short(exc)})") from None


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
