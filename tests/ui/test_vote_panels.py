"""Voting panels: each type yields Snapshot's encoding, and Vote stays off for invalid choices."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.errors import InputError
from app.governor.model import Support
from ui.widgets.vote_panels import (
    ApprovalPanel,
    OnchainPanel,
    RankedPanel,
    SingleChoicePanel,
    VotePanel,
    WeightedPanel,
    snapshot_panel,
)

pytestmark = pytest.mark.gui
CHOICES = ("5%", "8%", "10%")


def emitted(qtbot: QtBot, panel: VotePanel) -> tuple[object, str]:
    with qtbot.waitSignal(panel.vote_requested, timeout=1000) as blocker:
        qtbot.mouseClick(panel.vote_button, Qt.MouseButton.LeftButton)
    choice, reason = blocker.args  # type: ignore[misc]
    return choice, reason


@pytest.mark.parametrize("voting_type", ["single-choice", "basic"])
def test_single_choice_gives_a_one_based_int(qtbot: QtBot, voting_type: str) -> None:
    panel = snapshot_panel(voting_type, ("For", "Against", "Abstain"), 10.0)
    qtbot.addWidget(panel)
    assert isinstance(panel, SingleChoicePanel)
    assert panel.choice() is None
    assert not panel.vote_button.isEnabled()
    panel.group.button(2).setChecked(True)
    assert panel.vote_button.isEnabled()
    panel.reason.setText("  too high ")
    assert emitted(qtbot, panel) == (2, "too high")
    assert not panel.is_valid(4)
    assert not panel.is_valid(0)


def test_approval_gives_the_checked_indexes(qtbot: QtBot) -> None:
    panel = snapshot_panel("approval", CHOICES, 3.0)
    qtbot.addWidget(panel)
    assert isinstance(panel, ApprovalPanel)
    panel.boxes[2].setChecked(True)
    panel.boxes[0].setChecked(True)
    assert panel.choice() == [1, 3]
    assert emitted(qtbot, panel)[0] == [1, 3]
    assert not panel.is_valid([1, 1])
    assert not panel.is_valid([4])


@pytest.mark.parametrize("voting_type", ["ranked-choice", "copeland"])
def test_ranked_choice_gives_the_full_ranking_after_reordering(
    qtbot: QtBot, voting_type: str
) -> None:
    panel = snapshot_panel(voting_type, CHOICES, 3.0)
    qtbot.addWidget(panel)
    assert isinstance(panel, RankedPanel)
    assert panel.choice() == [1, 2, 3]
    panel.move_option(2, 0)
    assert panel.choice() == [3, 1, 2]
    assert [panel.list.item(r).text() for r in range(3)] == ["10%", "5%", "8%"]
    assert emitted(qtbot, panel)[0] == [3, 1, 2]
    assert not panel.is_valid([3, 1])  # a ranking must be complete
    assert not panel.is_valid([3, 3, 1])


@pytest.mark.parametrize("voting_type", ["weighted", "quadratic"])
def test_weighted_gives_a_mapping_with_live_percentages(qtbot: QtBot, voting_type: str) -> None:
    panel = snapshot_panel(voting_type, CHOICES, 3.0)
    qtbot.addWidget(panel)
    assert isinstance(panel, WeightedPanel)
    assert panel.choice() == {}
    assert not panel.vote_button.isEnabled()  # all zero: nothing to count
    panel.spins[0].setValue(3)
    panel.spins[2].setValue(1)
    assert [label.text() for label in panel.percents] == ["75%", "0%", "25%"]
    assert emitted(qtbot, panel)[0] == {"1": 3, "3": 1}
    assert not panel.is_valid({"4": 1})
    assert not panel.is_valid({"1": -1, "2": 2})


def test_zero_power_disables_voting_and_says_why(qtbot: QtBot) -> None:
    panel = snapshot_panel("single-choice", ("Yes", "No"), 0.0, "Your tokens are not delegated")
    qtbot.addWidget(panel)
    panel.group.button(1).setChecked(True)
    assert not panel.vote_button.isEnabled()
    assert panel.power_note.text() == "Your tokens are not delegated"
    assert not panel.power_note.isHidden()
    assert panel.power_label.text() == "Your voting power: 0"


def test_unknown_voting_type_is_refused_plainly() -> None:
    with pytest.raises(InputError, match="cannot vote on 'custom'"):
        snapshot_panel("custom", CHOICES, 1.0)


def test_onchain_panel_offers_abstain_and_reason_only_where_counted(qtbot: QtBot) -> None:
    bravo = OnchainPanel((Support.AGAINST, Support.FOR, Support.ABSTAIN), 5.0, with_reason=True)
    qtbot.addWidget(bravo)
    assert [b.text() for b in bravo.group.buttons()] == ["For", "Against", "Abstain"]
    bravo.group.button(int(Support.ABSTAIN)).setChecked(True)
    bravo.reason.setText("conflict of interest")
    assert emitted(qtbot, bravo) == (Support.ABSTAIN, "conflict of interest")
    alpha = OnchainPanel((Support.AGAINST, Support.FOR), 5.0, with_reason=False)
    qtbot.addWidget(alpha)
    assert [b.text() for b in alpha.group.buttons()] == ["For", "Against"]
    assert alpha.reason.isHidden()
    assert not alpha.vote_button.isEnabled()
    assert not alpha.is_valid(Support.ABSTAIN)
    alpha.group.button(int(Support.AGAINST)).setChecked(True)
    assert emitted(qtbot, alpha)[0] is Support.AGAINST
