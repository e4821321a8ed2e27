"""The phase timeline: ideate, off-chain, on-chain, execute — each with its dates and state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.pipeline.detail import StepState, TimelineStep
from ui.format import PHASE_TITLES, STATUS_LABELS

_MARKS = {
    StepState.DONE: "✓",
    StepState.CURRENT: "●",
    StepState.UPCOMING: "○",
    StepState.FAILED: "✗",
    StepState.SKIPPED: "–",
}


def format_day(timestamp: int | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%d %b %Y %H:%M UTC")


def step_text(step: TimelineStep) -> str:
    """Two or three short lines: mark and phase, state, and dates when known."""
    lines = [f"{_MARKS[step.state]} {PHASE_TITLES[step.phase]}"]
    state = STATUS_LABELS.get(step.status, "") if step.status else ""
    lines.append(state or step.state.value.capitalize())
    dates = " → ".join(d for d in (format_day(step.start), format_day(step.end)) if d)
    if dates:
        lines.append(dates)
    return "\n".join(lines)


class TimelineWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []

    def set_steps(self, steps: Sequence[TimelineStep]) -> None:
        for label in self.labels:
            self._layout.removeWidget(label)
            label.deleteLater()
        self.labels = []
        for step in steps:
            label = QLabel(step_text(step), self)
            label.setObjectName(f"step-{step.phase.value}-{step.state.value}")
            label.setEnabled(step.state is not StepState.UPCOMING)
            self._layout.addWidget(label)
            self.labels.append(label)
