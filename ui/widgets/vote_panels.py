"""Voting panels, one per voting type; each yields the choice in Snapshot's encoding.

Single choice and basic: a radio per option -> 1-based int. Approval: checks -> list of ints.
Ranked choice (and Copeland): drag to reorder -> the full ranking as a list. Weighted and
quadratic: spin boxes with live percentages -> {"1": n, ...}. On-chain: For / Against /
(Abstain when the governor counts it) -> ``Support``, with a reason unless the governor is Alpha.
"Vote" is enabled only when ``app.tally.is_valid_choice`` accepts the choice and the account has
voting power; when it has none, the panel says why.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.voting import VotingType
from app.errors import InputError
from app.governor.model import Support
from app.tally import is_valid_choice
from ui.widgets.plain_text import elide, plain_label
from ui.widgets.result_bars import format_amount

_SUPPORT_LABELS = {Support.FOR: "For", Support.AGAINST: "Against", Support.ABSTAIN: "Abstain"}


class VotePanel(QWidget):
    """Base: a body of inputs, the power line, an optional reason, and the Vote button."""

    vote_requested = Signal(object, str)  # choice value, reason

    def __init__(
        self,
        choices: Sequence[str],
        power: float,
        power_note: str = "",
        *,
        with_reason: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choices = tuple(choices)
        self.power = power
        self.body = QWidget(self)
        self.power_label = QLabel(f"Your voting power: {format_amount(power)}", self)
        self.power_label.setObjectName("power")
        self.power_note = QLabel(power_note, self)
        self.power_note.setObjectName("power-note")
        self.power_note.setWordWrap(True)
        self.power_note.setVisible(bool(power_note))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Reason (optional, public)")
        self.reason.setVisible(with_reason)
        self.vote_button = QPushButton("Vote", self)
        self.vote_button.setObjectName("vote-button")
        self.vote_button.clicked.connect(self._on_vote_clicked)
        self.voted_label = QLabel("", self)
        self.voted_label.setObjectName("you-voted")
        self.voted_label.setWordWrap(True)
        self.voted_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes choices from the hub
        self.voted_label.setVisible(False)
        self.locked = False  # voted where the protocol allows no change
        layout = QVBoxLayout(self)
        for widget in (self.voted_label, self.body, self.power_label, self.power_note,
                       self.reason, self.vote_button):  # fmt: skip
            layout.addWidget(widget)

    def set_voted(self, choice: str, *, can_change: bool) -> None:
        """Show "You voted …"; where votes are final, the panel no longer offers Vote."""
        if can_change:
            note = " You can change your vote until voting ends."
        else:
            note = " Votes on this governor are final."
        self.voted_label.setText(f"You voted {elide(choice)}." + note if choice else
                                 "You have voted." + note)  # fmt: skip
        self.voted_label.setVisible(True)
        self.locked = not can_change
        self.body.setEnabled(can_change)
        self.reason.setEnabled(can_change)
        self.vote_button.setText("Change vote" if can_change else "Voted")
        self.refresh()

    def choice(self) -> object | None:
        """The current choice in the signed encoding, or None when nothing is chosen.

        Each panel type overrides this; the bare base panel has nothing to choose from.
        """
        return None

    def is_valid(self, choice: object) -> bool:
        """Whether ``choice`` may be signed; panel types narrow this (the base accepts none)."""
        return False

    def refresh(self, *_args: object) -> None:
        choice = self.choice()
        allowed = not self.locked and self.power > 0
        self.vote_button.setEnabled(allowed and choice is not None and self.is_valid(choice))

    def _on_vote_clicked(self) -> None:
        choice = self.choice()
        if not self.locked and choice is not None and self.is_valid(choice):
            self.vote_requested.emit(choice, self.reason.text().strip())


class SnapshotPanel(VotePanel):
    """A panel for a Snapshot voting type; validity is snapshot.js's ``isValidChoice``."""

    def __init__(
        self, voting_type: str, choices: Sequence[str], power: float, power_note: str = "",
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(choices, power, power_note, parent=parent)
        self.voting_type = voting_type

    def is_valid(self, choice: object) -> bool:
        return is_valid_choice(self.voting_type, choice, len(self.choices))


class SingleChoicePanel(SnapshotPanel):
    def __init__(self, voting_type: str, choices: Sequence[str], power: float, power_note: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(voting_type, choices, power, power_note, parent)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self.body)
        for number, text in enumerate(self.choices, start=1):
            button = QRadioButton(elide(text), self.body)
            self.group.addButton(button, number)
            layout.addWidget(button)
        self.group.idToggled.connect(self.refresh)
        self.refresh()

    def choice(self) -> object | None:
        checked = self.group.checkedId()
        return checked if checked > 0 else None


class ApprovalPanel(SnapshotPanel):
    def __init__(self, voting_type: str, choices: Sequence[str], power: float, power_note: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(voting_type, choices, power, power_note, parent)
        layout = QVBoxLayout(self.body)
        self.boxes = [QCheckBox(elide(text), self.body) for text in self.choices]
        for box in self.boxes:
            box.toggled.connect(self.refresh)
            layout.addWidget(box)
        self.refresh()

    def choice(self) -> object | None:
        return [n for n, box in enumerate(self.boxes, start=1) if box.isChecked()]


class RankedPanel(SnapshotPanel):
    """Drag the options into your order of preference (first = favourite)."""

    def __init__(self, voting_type: str, choices: Sequence[str], power: float, power_note: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(voting_type, choices, power, power_note, parent)
        layout = QVBoxLayout(self.body)
        layout.addWidget(QLabel("Drag to order, favourite first:", self.body))
        self.list = QListWidget(self.body)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        for number, text in enumerate(self.choices, start=1):
            item = QListWidgetItem(elide(text))
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.list.addItem(item)
        self.list.model().rowsMoved.connect(self.refresh)
        layout.addWidget(self.list)
        self.refresh()

    def choice(self) -> object | None:
        return [
            int(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
        ]

    def move_option(self, from_row: int, to_row: int) -> None:
        """Move an option, as a drag would (also for keyboard users)."""
        item = self.list.takeItem(from_row)
        self.list.insertItem(to_row, item)
        self.refresh()


class WeightedPanel(SnapshotPanel):
    """Spread your power: a weight per option, shown live as a percentage."""

    def __init__(self, voting_type: str, choices: Sequence[str], power: float, power_note: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(voting_type, choices, power, power_note, parent)
        grid = QGridLayout(self.body)
        self.spins: list[QSpinBox] = []
        self.percents: list[QLabel] = []
        for row, text in enumerate(self.choices):
            spin = QSpinBox(self.body)
            spin.setRange(0, 1000)
            spin.valueChanged.connect(self.refresh)
            percent = QLabel("0%", self.body)
            name = plain_label(text, self.body)  # a choice from the hub: text, not markup
            for column, widget in enumerate((name, spin, percent)):
                grid.addWidget(widget, row, column)
            self.spins.append(spin)
            self.percents.append(percent)
        self.refresh()

    def choice(self) -> object | None:
        weights = {str(n): spin.value() for n, spin in enumerate(self.spins, start=1)}
        return {k: v for k, v in weights.items() if v > 0}

    def refresh(self, *_args: object) -> None:
        total = sum(spin.value() for spin in self.spins)
        for spin, label in zip(self.spins, self.percents, strict=True):
            label.setText(f"{100 * spin.value() / total:.0f}%" if total else "0%")
        super().refresh()


class OnchainPanel(VotePanel):
    """For / Against / (Abstain); the reason field only where the governor takes one."""

    def __init__(self, options: Sequence[Support], power: float, power_note: str = "", *,
                 with_reason: bool, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__([_SUPPORT_LABELS[s] for s in options], power, power_note,
                         with_reason=with_reason, parent=parent)  # fmt: skip
        self.options = tuple(options)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self.body)
        for support in (Support.FOR, Support.AGAINST, Support.ABSTAIN):
            if support in self.options:
                button = QRadioButton(_SUPPORT_LABELS[support], self.body)
                self.group.addButton(button, int(support))
                layout.addWidget(button)
        self.group.idToggled.connect(self.refresh)
        self.refresh()

    def choice(self) -> object | None:
        checked = self.group.checkedId()
        return Support(checked) if checked >= 0 else None

    def is_valid(self, choice: object) -> bool:
        return isinstance(choice, Support) and choice in self.options


_PANELS: dict[str, type[SnapshotPanel]] = {
    VotingType.SINGLE_CHOICE: SingleChoicePanel,
    VotingType.BASIC: SingleChoicePanel,
    VotingType.APPROVAL: ApprovalPanel,
    VotingType.RANKED_CHOICE: RankedPanel,
    VotingType.COPELAND: RankedPanel,
    VotingType.WEIGHTED: WeightedPanel,
    VotingType.QUADRATIC: WeightedPanel,
}


def snapshot_panel(
    voting_type: str, choices: Sequence[str], power: float, power_note: str = "",
    parent: QWidget | None = None,
) -> SnapshotPanel:  # fmt: skip
    """The panel for ``voting_type``; InputError for a type govdesk cannot vote on."""
    if voting_type not in _PANELS:
        raise InputError(f"govdesk cannot vote on {voting_type!r} proposals yet.")
    return _PANELS[voting_type](voting_type, choices, power, power_note, parent)
