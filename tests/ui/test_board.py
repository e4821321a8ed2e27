"""The pipeline board: model roles, per-phase columns, filters, search, and the main window."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.orgs import Network, Organisation
from app.pipeline.board import Card, build_board
from app.pipeline.model import AccountContext, Phase
from app.pipeline.phases import NextAction, Status
from app.services import Services
from ui.format import format_countdown
from ui.models.board_model import BoardModel, CardRole, FilterMode, PhaseFilterModel
from ui.views.main_window import MainWindow

pytestmark = pytest.mark.gui


def card(
    i: int, phase: Phase, *, mine: bool = False, vote: bool = False, deadline: int | None = None
) -> Card:
    return Card(f"id{i}", f"Initiative {i}", phase, Status.VOTING, deadline,
                NextAction.VOTE_OFFCHAIN if vote else NextAction.NONE, mine, vote,
                f"initiative {i} {'fee' if i % 2 else 'category'}")  # fmt: skip


def test_model_exposes_cards_by_role() -> None:
    model = BoardModel()
    model.set_cards([card(1, Phase.IDEATE)])
    index = model.index(0)
    assert model.rowCount() == 1
    assert index.data(Qt.ItemDataRole.DisplayRole) == "Initiative 1"
    assert index.data(CardRole.CARD).initiative_id == "id1"


def test_phase_column_filters_mode_and_search_and_sorts_by_deadline() -> None:
    model = BoardModel()
    cards = [
        card(1, Phase.OFFCHAIN, vote=True, mine=True, deadline=300),
        card(2, Phase.OFFCHAIN, deadline=100),
        card(3, Phase.ONCHAIN, mine=True),
        card(4, Phase.OFFCHAIN, mine=True, deadline=200),
    ]
    model.set_cards(cards)
    column = PhaseFilterModel(Phase.OFFCHAIN)
    column.setSourceModel(model)
    column.sort(0)

    def ids() -> list[str]:
        return [
            column.index(r, 0).data(CardRole.CARD).initiative_id for r in range(column.rowCount())
        ]

    assert ids() == ["id2", "id4", "id1"]
    column.set_mode(FilterMode.MINE)
    assert ids() == ["id4", "id1"]
    column.set_mode(FilterMode.NEEDS_MY_VOTE)
    assert ids() == ["id1"]
    column.set_mode(FilterMode.ALL)
    column.set_search("  FEE ")
    assert ids() == ["id1"]


def test_ten_thousand_cards_load_into_the_columns(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    cards = [card(i, list(Phase)[i % 4], vote=i % 3 == 0) for i in range(10_000)]
    window.board.set_cards(cards)
    counts = {p: c.proxy.rowCount() for p, c in window.board.columns.items()}
    assert counts == dict.fromkeys(Phase, 2500)
    window.board.set_mode(FilterMode.NEEDS_MY_VOTE)
    assert sum(c.proxy.rowCount() for c in window.board.columns.values()) == 3334
    assert window.board.columns[Phase.IDEATE].count.text() == "834"


def test_main_window_shows_drafts_and_says_what_it_could_not_read(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    # An organisation whose hub and RPC refuse connections at once: drafts still show.
    closed = "http://127.0.0.1:9"
    services.orgs.save(
        Organisation(
            "local",
            "Local DAO",
            Network(31337, "local", (closed,)),
            "local.eth",
            closed,
            governor="0x5FbDB2315678afecb367f032d93F642f64180aa3",
        )
    )
    services.drafts.create("local", "Lower the marketplace fee")
    window = MainWindow(services)
    qtbot.addWidget(window)
    ideate = window.board.columns[Phase.IDEATE].proxy
    assert ideate.rowCount() == 1  # from the store at once, before any source answers
    window.show()
    qtbot.waitExposed(window)
    assert window.org_box.currentData() == "local"
    qtbot.waitUntil(lambda: window.status.text().startswith("1 initiative"), timeout=10_000)
    assert ideate.rowCount() == 1
    shown = ideate.index(0, 0).data(CardRole.CARD)
    assert shown.title == "Lower the marketplace fee"
    assert shown.action is NextAction.CREATE_TEMPERATURE_CHECK
    status = window.status.text()
    assert status.startswith("1 initiative — Snapshot: ")
    assert "Governor: " in status


def test_build_board_puts_soonest_deadline_first() -> None:
    from tests.app.pipeline.test_phases import IDEA, T0, VOTER, temp

    soon = dataclasses.replace(IDEA, initiative_id="soon", temperature=temp())
    draft = dataclasses.replace(IDEA, initiative_id="draft")
    board = build_board([draft, soon], VOTER, T0 + 5)
    assert [c.initiative_id for c in board] == ["soon", "draft"]
    assert board[0].needs_my_vote
    assert not build_board([soon], AccountContext(None), T0 + 5)[0].mine


@pytest.mark.parametrize(
    ("deadline", "now", "text"),
    [(None, 0, ""), (90_000, 0, "in 1 d 1 h"), (3600, 0, "in 1 h"), (0, 7200, "2 h ago"), (30, 0, "in under a minute"),
     (2700, 0, "in 45 min")],
)  # fmt: skip
def test_format_countdown(deadline: int | None, now: int, text: str) -> None:
    assert format_countdown(deadline, now) == text


def test_launcher_without_qt_for_cli_commands(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import sys; from ui.launcher import main; main(['--version'])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("govdesk ")
