"""BusyBar: an indeterminate progress bar with a Cancel button for one long asyncio task."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class BusyBar(QWidget):
    """Shown while the tracked task runs (after ``delay_ms``, so quick loads do not flicker).

    Cancel cancels the asyncio task itself and emits ``cancelled``; the bar hides when the task
    ends in any way. Tracking a new task replaces the old one (which keeps running).
    """

    cancelled = Signal()

    def __init__(self, parent: Any = None, *, delay_ms: int = 250) -> None:
        super().__init__(parent)
        self.setObjectName("busy-bar")
        self.task: asyncio.Task[Any] | None = None
        self.label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # indeterminate
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(14)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("busy-cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.label)
        layout.addWidget(self.progress, 1)
        layout.addWidget(self.cancel_button)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(delay_ms)
        self._delay.timeout.connect(self._show_if_running)
        self.hide()

    def track(self, task: asyncio.Task[Any], text: str) -> None:
        self.task = task
        self.label.setText(text)
        task.add_done_callback(self._on_task_done)
        self._delay.start()

    def is_running(self) -> bool:
        return self.task is not None and not self.task.done()

    def cancel(self) -> None:
        if self.task is None or self.task.done():
            return
        self.task.cancel()
        self._stop()
        self.cancelled.emit()

    def _show_if_running(self) -> None:
        if self.is_running():
            self.show()

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        if task is self.task:
            self._stop()

    def _stop(self) -> None:
        self._delay.stop()
        self.hide()
