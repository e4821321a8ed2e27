"""Icons from Font Awesome 6 (solid), through qtawesome, coloured by a tone at paint time.

Only the one font is loaded (about 0.4 MB, once, on the first icon painted), not the nine that
``qtawesome.icon`` loads; the bundle ships only that font (packaging/govdesk.spec). The glyph is
drawn by our own QIconEngine with the colour of the scheme in force, so a switch between light and
dark recolours every icon without recreating it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QIconEngine, QPainter, QPixmap

from ui.theme.follower import current
from ui.theme.tokens import Tone

PREFIX = "fa6s"
# What each icon means here -> its Font Awesome 6 name. Views name the meaning, never the glyph.
NAMES = {
    "idea": "lightbulb",
    "refresh": "arrows-rotate",
    "add-org": "building-circle-arrow-right",
    "accounts": "wallet",
    "outbox": "paper-plane",
    "search": "magnifying-glass",
    "copy": "copy",
    "check": "check",
    "info": "circle-info",
    "warning": "triangle-exclamation",
    "danger": "skull-crossbones",
    "device": "laptop",
    "watch": "eye",
    "airgap": "qrcode",
    "hardware": "microchip",
    "lock": "lock",
    "unlock": "lock-open",
    "empty-ideate": "seedling",
    "empty-offchain": "square-poll-vertical",
    "empty-onchain": "cube",
    "empty-execute": "flag-checkered",
    "clock": "clock",
    "comments": "comments",
    "arrow": "arrow-right",
    "vote": "check-to-slot",
    "chevron-down": "chevron-down",
    "chevron-right": "chevron-right",
    "signature": "signature",
    "network": "network-wired",
    "contract": "file-contract",
    "fee": "gas-pump",
    "user": "user",
    "verify": "scale-balanced",
    "link": "up-right-from-square",
}


@cache
def _font_files() -> tuple[Path, Path]:
    import qtawesome

    fonts = Path(qtawesome.__file__).with_name("fonts")
    ttf = next(fonts.glob("fontawesome6-solid-webfont-*.ttf"))
    charmap = next(fonts.glob("fontawesome6-solid-webfont-charmap-*.json"))
    return ttf, charmap


@cache
def _iconic() -> object:
    from qtawesome.iconic_font import IconicFont

    ttf, charmap = _font_files()
    return IconicFont((PREFIX, ttf.name, charmap.name, str(ttf.parent)))


def glyph(meaning: str) -> str:
    """The character for an icon meaning (raises KeyError for an unknown meaning)."""
    iconic = _iconic()
    return str(iconic.charmap[PREFIX][NAMES[meaning]])  # type: ignore[attr-defined]


def icon_font(pixel_size: int) -> QFont:
    """The icon font at ``pixel_size``, to draw a glyph() with QPainter.drawText."""
    return _iconic().font(PREFIX, pixel_size)  # type: ignore[attr-defined, no-any-return]


def tone_colour(tone: Tone | None) -> QColor:
    colours = current()
    return QColor(colours.text if tone is None else getattr(colours, tone.value))


class _GlyphEngine(QIconEngine):
    def __init__(self, meaning: str, tone: Tone | None, scale: float) -> None:
        super().__init__()
        self.meaning, self.tone, self.scale = meaning, tone, scale

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        size = max(int(min(rect.width(), rect.height()) * self.scale), 1)
        painter.save()
        painter.setFont(icon_font(size))
        colour = tone_colour(self.tone)
        if mode is QIcon.Mode.Disabled:
            colour = QColor(current().muted)
        painter.setPen(colour)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), glyph(self.meaning))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self.meaning, self.tone, self.scale)


def icon(meaning: str, tone: Tone | None = None, *, scale: float = 0.82) -> QIcon:
    """A theme-following icon for a meaning in NAMES, in the text colour or a tone's colour."""
    if meaning not in NAMES:
        raise KeyError(f"no icon for {meaning!r}")
    return QIcon(_GlyphEngine(meaning, tone, scale))
