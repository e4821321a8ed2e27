"""A proposal's title, read from its description the way Tally and Compound's UI read it; and
any text a hub, a chain or ENS sends, cut to what one line can show."""

from __future__ import annotations

MAX_CHARS = 300  # a long proposal title or choice still fits; beyond it is elided


def title_from_description(description: str, fallback: str) -> str:
    """The first non-empty line of ``description`` without heading marks, else ``fallback``."""
    for line in description.splitlines():
        title = line.strip().lstrip("#").strip()
        if title:
            return title
    return fallback


def elide(text: str, max_chars: int = MAX_CHARS) -> str:
    """``text`` cut to ``max_chars`` characters with an ellipsis; newlines become spaces."""
    flat = " ".join(str(text).split()) if len(text) > max_chars or "\n" in text else text
    return flat if len(flat) <= max_chars else flat[: max_chars - 1] + "…"
