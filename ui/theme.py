"""Light and dark: the Fusion style with a palette that follows the OS colour scheme (Qt 6.5+).

Widgets and the card delegate draw with palette roles only, so switching the palette is enough.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_Role = QPalette.ColorRole
_DARK = {
    _Role.Window: "#2b2d30",
    _Role.WindowText: "#e6e6e6",
    _Role.Base: "#1f2023",
    _Role.AlternateBase: "#2b2d30",
    _Role.ToolTipBase: "#5a4a1c",
    _Role.ToolTipText: "#f5f0e0",
    _Role.PlaceholderText: "#8c8c8c",
    _Role.Text: "#e6e6e6",
    _Role.Button: "#35373b",
    _Role.ButtonText: "#e6e6e6",
    _Role.BrightText: "#ff6b6b",
    _Role.Light: "#45484d",
    _Role.Midlight: "#3a3d41",
    _Role.Mid: "#4b4f55",
    _Role.Dark: "#18191b",
    _Role.Shadow: "#000000",
    _Role.Highlight: "#2f6fd0",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#6ea8ff",
    _Role.LinkVisited: "#b08cff",
}
_LIGHT_TIP = {_Role.ToolTipBase: "#fff4c2", _Role.ToolTipText: "#3d3000"}


def palette_for(scheme: Qt.ColorScheme) -> QPalette:
    """Fusion's own light palette, or a dark one (disabled text dimmed) for the dark scheme."""
    style = QStyleFactory.create("Fusion")
    palette = QPalette(style.standardPalette())
    colours = _DARK if scheme is Qt.ColorScheme.Dark else _LIGHT_TIP
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    if scheme is Qt.ColorScheme.Dark:
        dim = QColor("#7a7d82")
        for role in (_Role.Text, _Role.WindowText, _Role.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, dim)
    return palette


class ThemeFollower(QObject):
    """Applies Fusion now, and the palette for the OS scheme now and on every change."""

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        app.setStyle("Fusion")
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(self.apply)
        self.apply(hints.colorScheme())

    def apply(self, scheme: Qt.ColorScheme) -> None:
        self.scheme = scheme
        self.app.setPalette(palette_for(scheme))
