"""Result bars (one per choice: name, percentage, a drawn bar, the score) and the quorum bar.

Bars are painted from the tokens: the leading choice in the accent colour, the others muted; a
Governor's For / Against / Abstain in success / danger / neutral. The quorum bar shows the votes
counted so far against the quorum, with the quorum marked on the bar (a line and "quorum").
Choice names come from the network and are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.pipeline.detail import QuorumProgress, ResultBar
from app.units import format_number
from ui.theme import SPACE, TYPE, Tone, current, set_role
from ui.theme.paint import paint_bar, scaled_font
from ui.theme.tokens import tone_colours
from ui.widgets.plain_text import plain_label

_SCALE = 10  # bar values count in tenths of a percent
_GOVERNOR_TONES = {"for": Tone.SUCCESS, "against": Tone.DANGER, "abstain": Tone.NEUTRAL}


def format_amount(value: float) -> str:
    return format_number(value, places=2)  # the core's one amount formatter (app.units)


class Bar(QWidget):
    """A painted bar: ``value()`` in tenths of a percent of its track; optional marker."""

    def __init__(self, tone: Tone, parent: QWidget | None = None, *, height: int = 8) -> None:
        super().__init__(parent)
        self.tone, self._value = tone, 0
        self.marker: float | None = None  # 0..1 along the track
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(200, self.height())

    def setValue(self, value: int) -> None:
        self._value = value
        self.update()

    def value(self) -> int:
        return self._value

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(tone_colours(colours, self.tone)[0])
        track = self.rect()
        paint_bar(painter, track, self._value / (100 * _SCALE), colour)
        if self.marker is not None:
            x = track.x() + round(track.width() * min(max(self.marker, 0.0), 1.0))
            painter.setPen(QPen(QColor(colours.text), 2))
            painter.drawLine(QPointF(x - 1, 0), QPointF(x - 1, track.height()))
        painter.end()


class ResultBars(QWidget):
    """Per choice: name and percentage on one line, the bar and the score below.

    ``rows()`` returns (label, percentage, score) as shown, for tests.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(SPACE.md)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(0, 1)
        self._rows: list[tuple[QLabel, QLabel, Bar, QLabel]] = []

    def set_bars(self, bars: Sequence[ResultBar]) -> None:
        for widgets in self._rows:
            for widget in widgets:
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self._rows = []
        leader = max(range(len(bars)), key=lambda i: bars[i].score) if bars else -1
        for index, bar in enumerate(bars):
            self._add_row(index, bar, leading=index == leader and bar.score > 0)

    def _add_row(self, index: int, bar: ResultBar, *, leading: bool) -> None:
        tone = _GOVERNOR_TONES.get(bar.label.lower(), Tone.ACCENT if leading else Tone.NEUTRAL)
        label = plain_label(bar.label, self)  # a choice from the hub: text, not markup
        label.setWordWrap(True)
        label.setFont(scaled_font(label.font(), TYPE.body, bold=leading))
        percent = QLabel(f"{bar.percent:.1f}%", self)
        percent.setFont(scaled_font(percent.font(), TYPE.body, bold=True))
        percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        drawn = Bar(tone, self)
        drawn.setValue(round(bar.percent * _SCALE))
        score = QLabel(format_amount(bar.score), self)
        score.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        set_role(score, "muted")
        row = 2 * index
        self._grid.addWidget(label, row, 0)
        self._grid.addWidget(percent, row, 1)
        self._grid.addWidget(drawn, row + 1, 0)
        self._grid.addWidget(score, row + 1, 1)
        self._grid.setRowMinimumHeight(row + 1, drawn.height() + SPACE.sm)
        self._rows.append((label, percent, drawn, score))

    def rows(self) -> list[tuple[str, str, str]]:
        return [(label.text(), pct.text(), score.text()) for label, pct, _bar, score in self._rows]


class QuorumBar(QWidget):
    """'Quorum: 120 / 400 (30%)', and a bar of the votes so far with the quorum marked on it.

    The track spans the larger of the quorum and the votes, so the mark stays inside it; hidden
    when there is no quorum.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = Bar(Tone.WARNING, self, height=10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, SPACE.xs, 0, 0)
        layout.setSpacing(SPACE.xs)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.setVisible(False)

    def set_progress(self, progress: QuorumProgress | None) -> None:
        self.setVisible(progress is not None)
        if progress is None:
            return
        reached = "reached" if progress.reached else "not reached"
        self.label.setText(
            f"Quorum {reached}: {format_amount(progress.current)} / "
            f"{format_amount(progress.required)} ({progress.percent:.0f}%)"
        )
        set_role(self.label, "success" if progress.reached else "")
        self.bar.tone = Tone.SUCCESS if progress.reached else Tone.WARNING
        span = max(progress.percent, 100.0)
        self.bar.marker = 100.0 / span
        self.bar.setValue(round(progress.percent * _SCALE * 100 / span))
        self.bar.setToolTip(f"The line marks the quorum: {format_amount(progress.required)}")
