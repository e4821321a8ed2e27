"""Window chrome from the design system: toolbar icons by action, and the Appearance menu.

Kept here so the main window needs one call each (its behaviour belongs to its own module).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QToolBar,
    QToolButton,
)

from ui.theme.follower import Appearance, ThemeFollower, follower, saved_appearance
from ui.theme.icons import icon
from ui.theme.tokens import Tone

# Toolbar action text -> icon meaning (ui/theme/icons.py).
TOOLBAR_ICONS = {
    "New idea": "idea",
    "Refresh": "refresh",
    "Add organisation…": "add-org",
    "Accounts": "accounts",
    "Outbox": "outbox",
}
_APPEARANCE_TEXT = {Appearance.SYSTEM: "Follow the system", Appearance.LIGHT: "Light",
                    Appearance.DARK: "Dark"}  # fmt: skip


ICON_ONLY = {"Refresh", "Add organisation…"}  # well known by their icon; the name is the tooltip


def decorate_toolbar(bar: QToolBar) -> None:
    """Icons for the toolbar's known actions: beside the text, or alone with a tooltip, so the
    whole toolbar fits a 1024-pixel window."""
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in bar.actions():
        meaning = TOOLBAR_ICONS.get(action.text())
        if not meaning:
            continue
        action.setIcon(icon(meaning))
        button = bar.widgetForAction(action)
        if action.text() in ICON_ONLY and isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            action.setToolTip(action.text().rstrip("…"))
    for box in bar.findChildren(QComboBox):  # names can be long; the popup shows them whole
        box.setMinimumWidth(150)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(14)
    for field in bar.findChildren(QLineEdit):
        field.setMinimumWidth(150)
        field.addAction(icon("search", Tone.NEUTRAL), QLineEdit.ActionPosition.LeadingPosition)


def _view_menu(bar: QMenuBar) -> QMenu | None:
    """The window's existing View menu, if it has one (Appearance joins it, never a second)."""
    for action in bar.actions():
        menu = action.menu()
        if action.text() == "&View" and isinstance(menu, QMenu):
            return menu
    return None


def install_appearance_menu(window: QMainWindow) -> QActionGroup:
    """View > Appearance: follow the OS, or always light, or always dark (remembered)."""
    bar = window.menuBar()
    menu = (_view_menu(bar) or bar.addMenu("&View")).addMenu("Appearance")
    group = QActionGroup(window)
    chosen = saved_appearance()
    for appearance, text in _APPEARANCE_TEXT.items():
        action = QAction(text, window)
        action.setObjectName(f"appearance-{appearance.value}")
        action.setCheckable(True)
        action.setChecked(appearance is chosen)
        action.triggered.connect(lambda _checked=False, a=appearance: _choose(a))
        group.addAction(action)
        menu.addAction(action)
    return group


def _choose(appearance: Appearance) -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    found: ThemeFollower | None = follower(app)
    if found is None:
        found = ThemeFollower(app, parent=app)
    found.set_appearance(appearance)
