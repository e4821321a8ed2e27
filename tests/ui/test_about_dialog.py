"""Help > About shows the version from the installed metadata (pyproject) and the icon."""

from __future__ import annotations

import tomllib

import pytest
from pytestqt.qtbot import QtBot

from app.artifacts import project_root
from app.services import Services
from ui.views.about_dialog import AboutDialog, app_icon
from ui.views.main_window import MainWindow


def _pyproject_version() -> str:
    text = (project_root() / "pyproject.toml").read_text(encoding="utf-8")
    return str(tomllib.loads(text)["project"]["version"])


@pytest.mark.gui
def test_about_dialog_shows_the_pyproject_version(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert f"govdesk {_pyproject_version()}" in dialog.title.text()
    assert not app_icon().isNull()
    assert 256 in [size.width() for size in app_icon().availableSizes()]


@pytest.mark.gui
def test_help_menu_opens_about(qtbot: QtBot, qloop: object, services: Services) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert "&Help" in menus
    about = window.findChild(type(window.menuBar().actions()[0]), "action-about")
    assert about is not None
    dialog = window.show_about()
    qtbot.waitUntil(dialog.isVisible)
    assert _pyproject_version() in dialog.title.text()
    assert not window.windowIcon().isNull()
    dialog.close()
