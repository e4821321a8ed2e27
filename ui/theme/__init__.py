"""govdesk's design system: tokens, the palette and stylesheet built from them, icons.

``ThemeFollower`` (Fusion + the token palette, following the OS light/dark switch or the person's
override) and ``palette_for`` keep the names they had in the old ``ui/theme.py``. Views import
from here: ``current()`` for painted colours, ``Tone`` for meaning, ``set_role`` / ``set_tone``
to mark a widget for the stylesheet, and ``icon()`` (ui/theme/icons.py) for icons.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.theme.follower import (
    Appearance,
    ThemeFollower,
    current,
    current_scheme,
    follower,
    palette_for,
    saved_appearance,
)
from ui.theme.tokens import CARD_MAX_WIDTH, CARD_MIN_WIDTH, RADIUS, SPACE, TYPE, Scheme, Tone

__all__ = [
    "CARD_MAX_WIDTH",
    "CARD_MIN_WIDTH",
    "RADIUS",
    "SPACE",
    "TYPE",
    "Appearance",
    "Scheme",
    "ThemeFollower",
    "Tone",
    "current",
    "current_scheme",
    "follower",
    "palette_for",
    "saved_appearance",
    "set_role",
    "set_tone",
]


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def set_role(widget: QWidget, role: str) -> None:
    """Mark a label for the stylesheet: "error", "muted" or "success" (no colour in the view)."""
    widget.setProperty("role", role)
    _repolish(widget)


def set_tone(widget: QWidget, kind: str, tone: Tone) -> None:
    """Mark a frame as a callout (``kind="callout"``) or a label as a chip (``kind="chip"``)."""
    widget.setProperty(kind, tone.value)
    _repolish(widget)
