"""Help > About: the app's name, icon and version (from the installed metadata, i.e. pyproject),
with the Python and Qt versions it runs on — what a bug report needs."""

from __future__ import annotations

import platform
from typing import Any

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout

import app
from app.artifacts import resources_dir

DESCRIPTION = (
    "A desktop governance client: ideate, vote off-chain on Snapshot, vote on-chain on a "
    "Governor, execute through the timelock."
)


def app_icon() -> QIcon:
    """The govdesk icon from the resources folder (bundled or in the checkout)."""
    icons = resources_dir() / "icons"
    icon = QIcon()
    for name in ("govdesk.png", "govdesk-128.png", "govdesk-48.png", "govdesk-32.png"):
        if (icons / name).is_file():
            icon.addFile(str(icons / name))
    return icon


def runtime_line() -> str:
    return f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {PySide6.__version__}"


class AboutDialog(QDialog):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About govdesk")
        picture = QLabel(self)
        picture.setPixmap(app_icon().pixmap(96, 96))
        # Read when the box opens: the installed metadata costs the start-up tens of ms.
        self.title = QLabel(f"<h2>govdesk {app.__version__}</h2>", self)
        self.title.setObjectName("about-version")
        text = QLabel(DESCRIPTION, self)
        text.setWordWrap(True)
        runtime = QLabel(runtime_line(), self)
        runtime.setObjectName("about-runtime")
        runtime.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QVBoxLayout()
        for widget in (self.title, text, runtime):
            column.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(column, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
