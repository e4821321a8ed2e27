"""Result bars (one per choice, with score and percent) and a quorum progress bar."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.pipeline.detail import QuorumProgress, ResultBar
from ui.widgets.plain_text import plain_label

_SCALE = 10  # progress bars count in tenths of a percent


def format_amount(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


class ResultBars(QWidget):
    """A grid of label / bar / score rows; ``rows()`` returns what is shown, for tests."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._bars: list[tuple[QLabel, QProgressBar, QLabel]] = []

    def set_bars(self, bars: Sequence[ResultBar]) -> None:
        for widgets in self._bars:
            for widget in widgets:
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self._bars = []
        for row, bar in enumerate(bars):
            label = plain_label(bar.label, self)  # a choice from the hub: text, not markup
            progress = QProgressBar(self)
            progress.setRange(0, 100 * _SCALE)
            progress.setValue(round(bar.percent * _SCALE))
            progress.setFormat(f"{bar.percent:.1f}%")
            score = QLabel(format_amount(bar.score), self)
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(progress, row, 1)
            self._grid.addWidget(score, row, 2)
            self._bars.append((label, progress, score))

    def rows(self) -> list[tuple[str, str, str]]:
        return [(label.text(), bar.format(), score.text()) for label, bar, score in self._bars]


class QuorumBar(QWidget):
    """'Quorum: 120 / 400 (30%)', with a bar; hidden when there is no quorum."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100 * _SCALE)
        self.bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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
        self.bar.setValue(round(progress.percent * _SCALE))
