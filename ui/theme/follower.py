"""Light and dark: Fusion with the token palette, following the OS colour scheme (Qt 6.5+).

The person can override the OS in the settings (View > Appearance: System, Light, Dark); the
choice is kept in QSettings under ``appearance/theme``. Painted widgets read the colours of the
scheme in force through ``current()``, so one switch repaints everything.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui.theme.palette import build_palette, build_stylesheet
from ui.theme.tokens import COLOURS, Colours, Scheme

SETTINGS_KEY = "appearance/theme"


class Appearance(Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


_current = {"scheme": Scheme.LIGHT}


def current_scheme() -> Scheme:
    return _current["scheme"]


def current() -> Colours:
    """The colour roles of the scheme in force (light until a ThemeFollower applies one)."""
    return COLOURS[_current["scheme"]]


def scheme_of(qt_scheme: Qt.ColorScheme) -> Scheme:
    return Scheme.DARK if qt_scheme is Qt.ColorScheme.Dark else Scheme.LIGHT


def palette_for(scheme: Qt.ColorScheme) -> QPalette:
    """The token palette for a Qt colour scheme (Unknown counts as light)."""
    return build_palette(scheme_of(scheme))


def saved_appearance(settings: QSettings | None = None) -> Appearance:
    value = str((settings or QSettings("govdesk", "govdesk")).value(SETTINGS_KEY, "system"))
    try:
        return Appearance(value)
    except ValueError:
        return Appearance.SYSTEM


class ThemeFollower(QObject):
    """Applies Fusion now, and the palette for the OS scheme (or the override) on every change."""

    changed = Signal(object)  # Scheme

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.appearance = saved_appearance()
        app.setStyle("Fusion")
        # With a stylesheet set, app.style() is Qt's stylesheet proxy (no name): keep Fusion's.
        self.base_style = app.style().name()
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(self.apply)
        self.apply(hints.colorScheme())

    def apply(self, scheme: Qt.ColorScheme) -> None:
        """Follow an OS change; an explicit Light or Dark choice wins over it."""
        self.scheme = scheme
        if self.appearance is Appearance.SYSTEM:
            self._use(scheme_of(scheme))

    def set_appearance(self, appearance: Appearance) -> None:
        self.appearance = appearance
        QSettings("govdesk", "govdesk").setValue(SETTINGS_KEY, appearance.value)
        if appearance is Appearance.SYSTEM:
            self._use(scheme_of(self.app.styleHints().colorScheme()))
        else:
            self._use(Scheme(appearance.value))

    @property
    def effective(self) -> Scheme:
        return _current["scheme"]

    def _use(self, scheme: Scheme) -> None:
        _current["scheme"] = scheme
        self.app.setPalette(build_palette(scheme))
        self.app.setStyleSheet(build_stylesheet(scheme))
        self.changed.emit(scheme)


def follower(app: QApplication) -> ThemeFollower | None:
    """The ThemeFollower installed on ``app`` (its child), if any."""
    return app.findChild(ThemeFollower)
