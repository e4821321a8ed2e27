"""The phase stepper: Ideate → Off-chain → On-chain → Execute, each with its state and dates.

A painted track (a numbered circle per phase, a check when done, a cross when it failed, joined
by lines that fill as phases complete) above one column of text per phase: the phase in bold
(accent when current), its state, and its dates. ``labels`` are the phase titles, named
``step-<phase>-<state>`` for tests and accessibility.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from app.pipeline.detail import StepState, TimelineStep
from ui.format import PHASE_TITLES, STATUS_LABELS
from ui.theme import SPACE, TYPE, current, set_role
from ui.theme.icons import glyph, icon_font
from ui.theme.paint import scaled_font

DOT = 26
_STATE_WORDS = {
    StepState.DONE: "Done",
    StepState.CURRENT: "Current",
    StepState.UPCOMING: "Upcoming",
    StepState.FAILED: "Did not pass",
    StepState.SKIPPED: "Skipped",
}


def format_day(timestamp: int | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%d %b %Y %H:%M UTC")


def short_day(timestamp: int | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%d %b %H:%M")


def step_state_text(step: TimelineStep) -> str:
    state = STATUS_LABELS.get(step.status, "") if step.status else ""
    return state or _STATE_WORDS[step.state]


def step_dates(step: TimelineStep) -> str:
    return " → ".join(d for d in (short_day(step.start), short_day(step.end)) if d)


def step_text(step: TimelineStep) -> str:
    """Phase, state and dates on up to three lines (the accessible summary of one step)."""
    lines = [PHASE_TITLES[step.phase], step_state_text(step)]
    dates = " → ".join(d for d in (format_day(step.start), format_day(step.end)) if d)
    if dates:
        lines.append(dates)
    return "\n".join(lines)


class _Track(QWidget):
    """The circles and the lines between them, one per column of the grid below."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.steps: list[TimelineStep] = []
        self.setFixedHeight(DOT + 4)

    def sizeHint(self) -> QSize:
        return QSize(4 * DOT * 3, DOT + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.steps:
            return
        colours = current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        slot = self.width() / len(self.steps)
        centre_y = self.height() / 2
        for index in range(len(self.steps) - 1):  # connectors first, under the circles
            done = self.steps[index].state is StepState.DONE
            pen = QPen(QColor(colours.success if done else colours.border), 2)
            painter.setPen(pen)
            x1, x2 = slot * (index + 0.5) + DOT / 2 + 4, slot * (index + 1.5) - DOT / 2 - 4
            painter.drawLine(QPointF(x1, centre_y), QPointF(x2, centre_y))
        for index, step in enumerate(self.steps):
            self._paint_dot(painter, QPointF(slot * (index + 0.5), centre_y), index, step)
        painter.end()

    def _paint_dot(
        self, painter: QPainter, centre: QPointF, index: int, step: TimelineStep
    ) -> None:
        colours = current()
        fill, ring, mark, text = {
            StepState.DONE: (colours.success, colours.success, glyph("check"), colours.raised),
            StepState.CURRENT: (
                colours.accent,
                colours.accent_soft,
                str(index + 1),
                colours.on_accent,
            ),
            StepState.FAILED: (colours.danger, colours.danger, "✕", colours.raised),
            StepState.SKIPPED: (colours.sunken, colours.border, "–", colours.muted),
            StepState.UPCOMING: (colours.raised, colours.border, str(index + 1), colours.muted),
        }[step.state]
        rect = QRectF(centre.x() - DOT / 2, centre.y() - DOT / 2, DOT, DOT)
        painter.setPen(QPen(QColor(ring), 3 if step.state is StepState.CURRENT else 1.5))
        painter.setBrush(QColor(fill))
        painter.drawEllipse(rect)
        font = scaled_font(self.font(), TYPE.small, bold=True)
        if step.state is StepState.DONE:
            font = icon_font(12)
        painter.setFont(font)
        painter.setPen(QColor(text))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), mark)


class TimelineWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, SPACE.xs, 0, SPACE.xs)
        self._grid.setHorizontalSpacing(SPACE.sm)
        self._grid.setVerticalSpacing(2)
        self.track = _Track(self)
        self.labels: list[QLabel] = []
        self._others: list[QLabel] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_steps(self, steps: Sequence[TimelineStep]) -> None:
        for label in self.labels + self._others:
            self._grid.removeWidget(label)
            label.deleteLater()
        self.labels, self._others = [], []
        self._grid.removeWidget(self.track)
        self.track.steps = list(steps)
        self._grid.addWidget(self.track, 0, 0, 1, max(len(steps), 1))
        for column, step in enumerate(steps):
            self._grid.setColumnStretch(column, 1)
            self._add_column(column, step)
        self.track.update()

    def _add_column(self, column: int, step: TimelineStep) -> None:
        current_step = step.state is StepState.CURRENT
        title = self._label(PHASE_TITLES[step.phase], column, 1)
        title.setObjectName(f"step-{step.phase.value}-{step.state.value}")
        title.setAccessibleName(step_text(step))
        title.setToolTip(step_text(step))
        title.setFont(scaled_font(title.font(), TYPE.body, bold=True))
        title.setEnabled(step.state is not StepState.UPCOMING)
        if current_step:
            set_role(title, "accent")
        self.labels.append(title)
        state = self._label(step_state_text(step), column, 2)
        set_role(state, "muted")
        self._others.append(state)
        dates = step_dates(step)
        if dates:
            when = self._label(dates, column, 3)
            when.setFont(scaled_font(when.font(), TYPE.caption))
            set_role(when, "muted")
            self._others.append(when)

    def _label(self, text: str, column: int, row: int) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(label, row, column)
        return label
