"""Icons from Font Awesome 6 (solid) as qtawesome ships it, coloured by a tone at paint time.

Only that one font is loaded (about 0.4 MB, once, on the first icon painted), not the nine that
``qtawesome.icon`` loads, and qtawesome's Python modules are never imported (with qtpy they cost
about 90 ms at start-up; we need only the font and its charmap). The bundle ships only that font
(packaging/govdesk.spec). The glyph is drawn by our own QIconEngine with the colour of the scheme
in force, so a switch between light and dark recolours every icon without recreating it.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QIconEngine, QPainter, QPixmap

from ui.theme.follower import current
from ui.theme.tokens import Tone

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
    """qtawesome's Font Awesome 6 solid font and charmap, found without importing qtawesome
    (its import pulls in qtpy and costs about 90 ms at start-up; we need only its files)."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is not None and spec.submodule_search_locations:
        fonts = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    else:  # a PyInstaller bundle holds the fonts as data beside the app
        fonts = Path(getattr(sys, "_MEIPASS", "")) / "qtawesome" / "fonts"
    ttf = next(fonts.glob("fontawesome6-solid-webfont-*.ttf"))
    charmap = next(fonts.glob("fontawesome6-solid-webfont-charmap-*.json"))
    return ttf, charmap


@cache
def _font() -> tuple[str, dict[str, str]]:
    """(font family, icon name -> character), the font loaded into Qt once."""
    ttf, charmap = _font_files()
    font_id = QFontDatabase.addApplicationFontFromData(QByteArray(ttf.read_bytes()))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise RuntimeError(f"the icon font {ttf.name} could not be loaded")
    codes = json.loads(charmap.read_text(encoding="utf-8"))
    return families[0], {name: chr(int(code, 16)) for name, code in codes.items()}


def glyph(meaning: str) -> str:
    """The character for an icon meaning (raises KeyError for an unknown meaning)."""
    return _font()[1][NAMES[meaning]]


def icon_font(pixel_size: int) -> QFont:
    """The icon font at ``pixel_size``, to draw a glyph() with QPainter.drawText."""
    font = QFont(_font()[0])
    font.setPixelSize(max(pixel_size, 1))
    font.setStyleName("Solid")
    return font


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
