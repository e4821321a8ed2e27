"""Tray notifications for the notices the pipeline computes (each shown once per session)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from app.pipeline.notifications import Notice


def notice_key(notice: Notice) -> tuple[str, str, int | None]:
    return (notice.kind.value, notice.initiative_id, notice.due)


class Notifier:
    """Shows new notices in the system tray when there is one; remembers what it showed."""

    def __init__(self, parent: Any = None, *, icon: QIcon | None = None) -> None:
        self.shown: set[tuple[str, str, int | None]] = set()
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            style = QApplication.style()
            fallback = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(icon or fallback, parent)
            self.tray.setToolTip("govdesk")
            self.tray.show()

    def new_notices(self, notices: list[Notice]) -> list[Notice]:
        """The notices not shown yet, marked as shown."""
        fresh = [n for n in notices if notice_key(n) not in self.shown]
        self.shown.update(notice_key(n) for n in fresh)
        return fresh

    def show(self, notices: list[Notice]) -> list[Notice]:
        fresh = self.new_notices(notices)
        if self.tray is not None:
            for notice in fresh:
                self.tray.showMessage(notice.title, notice.message)
        return fresh
