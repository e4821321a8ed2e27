"""A proposal's title, read from its description the way Tally and Compound's UI read it."""

from __future__ import annotations


def title_from_description(description: str, fallback: str) -> str:
    """The first non-empty line of ``description`` without heading marks, else ``fallback``."""
    for line in description.splitlines():
        title = line.strip().lstrip("#").strip()
        if title:
            return title
    return fallback
