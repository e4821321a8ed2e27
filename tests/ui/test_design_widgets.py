"""The design widgets: vote chart series, board reflow, card title wrapping, signing facts."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from app.keys.preview import PreviewField, SigningPreview
from app.snapshot.records import Vote
from ui.views.board_view import cards_per_row
from ui.views.card_delegate import title_lines
from ui.views.signing_dialog import facts_rows, max_fee_text
from ui.widgets.signing_parts import breakable
from ui.widgets.vote_chart import VoteChart, cumulative_series, shares


def vote(voter: str, created: int, choice: object, vp: float) -> Vote:
    return Vote(f"id-{voter}", voter, created, "p", choice, "", "", vp, (vp,), "final")


def test_cumulative_power_per_choice_follows_the_voting_type() -> None:
    votes = [vote("b", 20, 2, 5.0), vote("a", 10, 1, 3.0), vote("c", 30, 1, 2.0)]
    series = cumulative_series(votes, "single-choice", 2)
    assert series.times == (10, 20, 30)
    assert series.totals == ((3.0, 3.0, 5.0), (0.0, 5.0, 5.0))
    assert shares([2, 1], "approval", 3) == {1: 1.0, 0: 1.0}
    assert shares([2, 1], "ranked-choice", 3) == {1: 1.0}
    assert shares({"1": 3, "3": 1}, "weighted", 3) == {0: 0.75, 2: 0.25}
    assert shares(9, "single-choice", 3) == {}  # out of range counts nowhere


def test_vote_chart_paints_without_votes_and_with_them(qtbot: QtBot) -> None:
    chart = VoteChart()
    qtbot.addWidget(chart)
    chart.resize(500, 200)
    chart.set_votes([], ("Yes", "No"), "basic", 0, 100)
    assert not chart.grab().isNull()
    chart.set_votes([vote("a", 10, 1, 3.0)], ("Yes <b>bold</b>", "No"), "basic", 0, 100)
    assert chart.series.final == (3.0, 0.0)
    assert not chart.grab().isNull()


def test_cards_reflow_from_one_per_row_to_a_grid() -> None:
    assert cards_per_row(240) == 1
    assert cards_per_row(420) == 1
    assert cards_per_row(900) == 3  # a 4K window: columns hold several cards a row


def test_titles_wrap_on_two_lines_and_elide(qapp: object) -> None:
    metrics = QFontMetrics(QFont())
    width = metrics.horizontalAdvance("Lower the marketplace")
    lines = title_lines("Lower the marketplace fee to 8% for everyone in 2027", metrics, width, 2)
    assert lines[0] == "Lower the marketplace"
    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert title_lines("Short", metrics, width, 2) == ["Short"]


def test_signing_facts_come_first_and_show_the_fee_in_eth() -> None:
    preview = SigningPreview(
        "transaction",
        "Vote For on proposal 12",
        (
            PreviewField("nonce", "1"),
            PreviewField("gas", "100000"),
            PreviewField("maxFeePerGas", "2000000000"),
            PreviewField("contract", "0xabc"),
        ),
        (),
        "{}",
    )
    rows = facts_rows(preview, account="0x1234", network="Devnet (chain 31337)")
    assert [label for label, _ in rows][:4] == ["From", "Network", "Contract", "Max fee"]
    assert max_fee_text({"gas": "100000", "maxfeepergas": "2000000000"}) == (
        "at most 0.000200 ETH (100,000 gas at 2.00 gwei)"
    )
    hex_data = "0x" + "ab" * 40
    assert breakable(hex_data).replace("\u200b", "") == hex_data
    assert "\u200b" in breakable(hex_data)
