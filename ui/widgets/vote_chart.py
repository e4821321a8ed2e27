"""VoteChart: votes over time — cumulative voting power per choice, drawn with QPainter.

``cumulative_series`` (pure) turns Snapshot votes into one step series per choice: single choice
and basic votes count the voter's power for their choice; approval for each approved choice;
ranked choice and Copeland for the first preference; weighted and quadratic split the power by
the weights given. The widget draws the steps on a time axis from the proposal's start to its
end (or the last vote), the leading choice in the accent colour, with a legend. Choice names are
drawn with drawText: never markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain.voting import VotingType
from app.snapshot.records import Vote
from ui.theme import SPACE, TYPE, current
from ui.theme.paint import scaled_font
from ui.theme.tokens import Colours

HEIGHT = 190
_SERIES_ROLES = ("onchain", "offchain", "ideate", "success", "warning", "danger", "muted")


@dataclass(frozen=True)
class Series:
    times: tuple[int, ...]  # vote timestamps, ascending
    totals: tuple[tuple[float, ...], ...]  # per choice: cumulative power after each vote

    @property
    def final(self) -> tuple[float, ...]:
        return tuple(t[-1] if t else 0.0 for t in self.totals)


def shares(choice: Any, voting_type: str, count: int) -> dict[int, float]:
    """How one vote's power splits over choices (0-based) for a voting type."""

    def valid(value: Any) -> int | None:
        try:
            index = int(str(value)) - 1
        except ValueError:
            return None
        return index if 0 <= index < count else None

    if isinstance(choice, Mapping):
        weights = {valid(k): float(v) for k, v in choice.items() if valid(k) is not None}
        total = sum(w for w in weights.values() if w > 0)
        return (
            {k: w / total for k, w in weights.items() if k is not None and w > 0} if total else {}
        )
    if isinstance(choice, list | tuple):
        picked = [i for i in (valid(c) for c in choice) if i is not None]
        if voting_type == VotingType.APPROVAL:
            return dict.fromkeys(picked, 1.0)
        return {picked[0]: 1.0} if picked else {}  # ranked: the first preference
    index = valid(choice)
    return {} if index is None else {index: 1.0}


def cumulative_series(votes: Sequence[Vote], voting_type: str, count: int) -> Series:
    ordered = sorted(votes, key=lambda v: (v.created, v.id))
    running = [0.0] * count
    totals: list[list[float]] = [[] for _ in range(count)]
    for vote in ordered:
        for index, share in shares(vote.choice, voting_type, count).items():
            running[index] += max(vote.vp, 0.0) * share
        for index in range(count):
            totals[index].append(running[index])
    return Series(tuple(v.created for v in ordered), tuple(tuple(t) for t in totals))


def series_colour(colours: Colours, index: int, leader: int) -> QColor:
    if index == leader:
        return QColor(colours.accent)
    roles = [r for r in _SERIES_ROLES if r != "onchain"] if leader >= 0 else list(_SERIES_ROLES)
    return QColor(getattr(colours, roles[index % len(roles)]))


def _compact(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}".replace(".0", "")
    return f"{value:.0f}"


class VoteChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vote-chart")
        self.series = Series((), ())
        self.choices: tuple[str, ...] = ()
        self.span = (0, 1)
        self.setMinimumHeight(HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Cumulative voting power per choice, over the voting period")

    def sizeHint(self) -> QSize:
        return QSize(420, HEIGHT)

    def set_votes(self, votes: Sequence[Vote], choices: Sequence[str], voting_type: str,
                  start: int, end: int) -> None:  # fmt: skip
        self.choices = tuple(choices)
        self.series = cumulative_series(votes, voting_type, len(self.choices))
        times = self.series.times
        self.span = (
            min(start, times[0]) if times else start,
            max(end, times[-1] if times else end, start + 1),
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = scaled_font(self.font(), TYPE.caption)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        legend_h = metrics.height() + SPACE.sm
        left = metrics.horizontalAdvance("000.0M") + SPACE.sm
        plot = QRectF(left, SPACE.sm, self.width() - left - SPACE.md,
                      self.height() - legend_h - metrics.height() - 2 * SPACE.sm)  # fmt: skip
        top = max(max(self.series.final, default=0.0), 1.0)
        self._axes(painter, plot, top, metrics)
        final = self.series.final
        leader = max(range(len(final)), key=lambda i: final[i]) if final else -1
        for index, totals in enumerate(self.series.totals):
            self._line(painter, plot, totals, top, series_colour(colours, index, leader))
        self._legend(painter, metrics, plot.bottom() + metrics.height() + SPACE.sm, leader)
        painter.end()

    def _x(self, plot: QRectF, when: int) -> float:
        start, end = self.span
        return plot.left() + plot.width() * (when - start) / max(end - start, 1)

    def _axes(self, painter: QPainter, plot: QRectF, top: float, metrics: QFontMetrics) -> None:
        colours = current()
        painter.setPen(QPen(QColor(colours.border), 1))
        for step in range(5):  # grid lines at 0, 25, 50, 75 and 100% of the top value
            y = plot.bottom() - plot.height() * step / 4
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(colours.muted))
            painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - SPACE.xs,
                                    metrics.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             _compact(top * step / 4))  # fmt: skip
            painter.setPen(QPen(QColor(colours.border), 1))
        painter.setPen(QColor(colours.muted))
        below = QRectF(plot.left(), plot.bottom() + 2, plot.width(), metrics.height())
        for when, align in ((self.span[0], Qt.AlignmentFlag.AlignLeft),
                            (self.span[1], Qt.AlignmentFlag.AlignRight)):  # fmt: skip
            text = datetime.fromtimestamp(when, tz=UTC).strftime("%d %b %H:%M")
            painter.drawText(below, int(align | Qt.AlignmentFlag.AlignTop), text)

    def _line(self, painter: QPainter, plot: QRectF, totals: Sequence[float], top: float,
              colour: QColor) -> None:  # fmt: skip
        path = QPainterPath(QPointF(plot.left(), plot.bottom()))
        level = plot.bottom()
        for when, total in zip(self.series.times, totals, strict=True):
            x = self._x(plot, when)
            path.lineTo(x, level)
            level = plot.bottom() - plot.height() * total / top
            path.lineTo(x, level)
        path.lineTo(plot.right(), level)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _legend(self, painter: QPainter, metrics: QFontMetrics, y: float, leader: int) -> None:
        colours = current()
        x = float(self.width() and SPACE.sm)
        for index, choice in enumerate(self.choices):
            name = metrics.elidedText(choice, Qt.TextElideMode.ElideRight, 160)
            width = metrics.horizontalAdvance(name) + 14 + SPACE.md
            if x + width > self.width():
                break
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(series_colour(colours, index, leader))
            painter.drawRoundedRect(QRectF(x, y + metrics.height() / 2 - 4, 10, 8), 2, 2)
            painter.setPen(QColor(colours.text))
            painter.drawText(QPointF(x + 14, y + metrics.ascent()), name)
            x += width
