"""The voters pane of the proposal detail: who voted what, per part, and "Verify results".

The table holds tens of thousands of voters smoothly: column widths are set once and rows have a
fixed height (nothing is measured per row). Verifying recounts through ``Services.verify``; while
a recount runs, the same button cancels it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.voting import parse_voting_type
from app.orgs import Organisation
from app.pipeline.detail import ONCHAIN_CHOICES, ProposalDetail, Verification
from app.pipeline.detail_checks import check_title
from app.services import Services
from app.snapshot.vote_sync import VoteProgress
from ui.models.voters_model import VotersModel, VotersSortModel
from ui.tasks import run_task
from ui.views.voters_look import install_voters_look

NO_VOTES_TEXT = "No votes yet: they appear here as they are cast."


class VotersPane(QWidget):
    """The part picker, the voters table with the selected vote's reason, and verification."""

    def __init__(
        self, services: Services, org: Organisation, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.org = services, org
        self.detail: ProposalDetail | None = None
        self._verifying: asyncio.Task[Any] | None = None
        self.voters_model = VotersModel(self)
        self.voters_proxy = VotersSortModel(self)
        self.voters_proxy.setSourceModel(self.voters_model)
        self.voters = _voters_table(self.voters_proxy, self)
        self.voter_reason = install_voters_look(self.voters)
        self.voters_part = QComboBox(self)
        self.voters_part.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.voters_part.setMinimumContentsLength(len("Temperature check"))
        self.voters_part.currentIndexChanged.connect(self.show_voters)
        self.voters_empty = QLabel(NO_VOTES_TEXT, self)
        self.voters_empty.setObjectName("voters-empty")
        self.verify_button = QPushButton("Verify results", self)
        self.verify_button.clicked.connect(self.verify)
        self.verify_label = QLabel(self)
        self.verify_label.setObjectName("verify-result")
        self.verify_label.setWordWrap(True)
        self._lay_out()

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.addWidget(QLabel("Voters:", self))
        row.addWidget(self.voters_part)
        row.addWidget(self.verify_button)
        row.addWidget(self.voters_empty)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.voters, 1)
        layout.addWidget(self.voter_reason)
        layout.addWidget(self.verify_label)

    def set_detail(self, detail: ProposalDetail) -> None:
        """List the parts that have voters (the last one selected) and show its votes."""
        self.detail = detail
        self.voters_part.blockSignals(True)
        self.voters_part.clear()
        for part in detail.offchain:
            self.voters_part.addItem(check_title(part.kind))
        if detail.onchain is not None:
            self.voters_part.addItem("On-chain vote")
        self.voters_part.blockSignals(False)
        self.voters_part.setCurrentIndex(self.voters_part.count() - 1)
        self.show_voters()
        self.verify_button.setEnabled(bool(detail.offchain or detail.onchain))

    def show_voters(self, *_args: object) -> None:
        index = self.voters_part.currentIndex()
        parts = self.detail.offchain if self.detail else ()
        onchain = self.detail.onchain if self.detail else None
        if 0 <= index < len(parts):
            proposal = parts[index].proposal
            voting_type = parse_voting_type(proposal.type)
            ranked = voting_type is not None and voting_type.ranks
            self.voters_model.set_votes(parts[index].votes, proposal.choices, ranked=ranked)
        elif onchain is not None and index == len(parts):
            self.voters_model.set_votes(onchain.votes, ONCHAIN_CHOICES)
        else:
            self.voters_model.set_votes([], [])
        self.voters_empty.setVisible(self.voters_model.rowCount() == 0)

    def verify(self) -> None:
        """Start a recount; while one runs, the same button cancels it."""
        if self._verifying is not None and not self._verifying.done():
            self._verifying.cancel()
            self._verify_finished("Verification cancelled.")
            return
        if self.detail is None:
            return
        self.verify_button.setText("Cancel verification")
        self.verify_label.setText("Recounting…")

        def progress(step: VoteProgress) -> None:
            self.verify_label.setText(f"Fetching votes: {step.message}…")

        work = self.services.verify(self.org, self.detail, progress)
        self._verifying = run_task(work, owner=self, on_done=self._show_verification,
                                   on_error=self._verify_finished)  # fmt: skip

    def _verify_finished(self, text: str) -> None:
        self._verifying = None
        self.verify_button.setText("Verify results")
        self.verify_button.setEnabled(True)
        self.verify_label.setText(text)

    def _show_verification(self, results: tuple[Verification, ...]) -> None:
        self._verify_finished("\n".join(f"{v.subject}: {v.message}" for v in results))


def _voters_table(model: VotersSortModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    # The voter takes the room left; a long address shortens in the middle (0x7099…79C8),
    # never sideways. Widths are set once, not measured per row: 10,000s of voters stay smooth.
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    metrics = table.fontMetrics()
    header.resizeSection(1, metrics.horizontalAdvance("Against > Abstain") + 16)
    header.resizeSection(2, metrics.horizontalAdvance("100,000,000.00") + 16)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Fixed row heights keep tens of thousands of voters smooth (no per-row measuring).
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setVisible(False)
    return table
