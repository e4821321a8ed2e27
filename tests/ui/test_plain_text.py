"""Choices and titles from the network are shown as plain text, elided (issue #22, finding 5)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.pipeline.detail_checks import ResultBar
from ui.widgets.plain_text import MAX_CHARS, plain_label
from ui.widgets.result_bars import ResultBars
from ui.widgets.vote_panels import snapshot_panel

pytestmark = pytest.mark.gui
HOSTILE = ('<img src="http://127.0.0.1:9/x.png">', "<b>bold</b>", '<a href="x">a</a>', "<h1>H</h1>")


def _labels_showing(widget: object, text: str) -> list[QLabel]:
    return [lab for lab in widget.findChildren(QLabel) if lab.text() == text]  # type: ignore[attr-defined]


def test_result_bars_show_choice_markup_literally(qtbot: QtBot) -> None:
    bars = ResultBars()
    qtbot.addWidget(bars)
    bars.set_bars([ResultBar(text, 1.0, 25.0) for text in HOSTILE])
    for text in HOSTILE:
        (label,) = _labels_showing(bars, text)
        assert label.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize("voting_type", ["weighted", "quadratic"])
def test_vote_panel_labels_show_choice_markup_literally(qtbot: QtBot, voting_type: str) -> None:
    panel = snapshot_panel(voting_type, HOSTILE, 1.0)
    qtbot.addWidget(panel)
    for text in HOSTILE:
        (label,) = _labels_showing(panel, text)
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_radio_buttons_and_bars_agree_on_the_label(qtbot: QtBot) -> None:
    panel = snapshot_panel("single-choice", HOSTILE, 1.0)
    qtbot.addWidget(panel)
    assert [b.text() for b in panel.group.buttons()] == list(HOSTILE)


def test_a_100_kb_title_is_elided_and_lays_out_fast(qtbot: QtBot) -> None:
    title = "<b>x</b> " * 12_500  # 100 kB
    started = time.perf_counter()
    label = plain_label(title)
    label.setWordWrap(True)
    qtbot.addWidget(label)
    label.show()
    label.sizeHint()
    assert time.perf_counter() - started < 1.0
    assert len(label.text()) == MAX_CHARS
    assert label.text().endswith("…")
    assert "&lt;b&gt;" in label.toolTip()
