"""Text from the network shown as text: never as markup, never long enough to stall layout.

Every label, title, choice and voter name that comes from a hub, a chain or a forum goes through
``plain_label`` / ``set_plain_text`` (issue #22): the label is ``Qt.PlainText`` (so ``<img>``,
``<a>`` or ``<b>`` appear literally, as in the radio buttons), the text is elided to
``MAX_CHARS`` with the full text, escaped, in the tooltip. A 100 kB title then costs the GUI
thread what a 300-character one does.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.titles import MAX_CHARS, elide

__all__ = ["MAX_CHARS", "MAX_TOOLTIP_CHARS", "elide", "plain_label", "set_plain_text"]

MAX_TOOLTIP_CHARS = 2_000


def set_plain_text(label: QLabel, text: str, *, max_chars: int = MAX_CHARS) -> None:
    label.setTextFormat(Qt.TextFormat.PlainText)
    shown = elide(text, max_chars)
    label.setText(shown)
    # Tooltips guess rich text on their own: give them escaped HTML, so the markup stays literal.
    full = text if len(text) <= MAX_TOOLTIP_CHARS else text[: MAX_TOOLTIP_CHARS - 1] + "…"
    label.setToolTip(f"<p>{escape(full)}</p>" if shown != text else "")


def plain_label(text: str, parent: QWidget | None = None, *, max_chars: int = MAX_CHARS) -> QLabel:
    """A QLabel that shows ``text`` literally (see the module docstring)."""
    label = QLabel(parent)
    set_plain_text(label, text, max_chars=max_chars)
    return label
