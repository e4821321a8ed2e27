"""ProposalDetailView: one initiative — its text, results, quorum, timeline, voters and votes.

Everything shown is computed in ``app.pipeline.detail`` (and ``detail_checks``); votes are cast
with ``app.pipeline.voting`` through the injected ``request_signature`` (the signing dialog).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from html import escape
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.governor.model import GovernorFamily, ProposalState, Support
from app.orgs import Organisation
from app.pipeline.detail import (
    OffchainDetail,
    OnchainDetail,
    ProposalDetail,
    Verification,
    action_warnings,
    detail_body,
    find_initiative,
    load_detail,
    onchain_bars,
    onchain_quorum,
    power_explanation,
    quorum_progress,
    result_bars,
    timeline,
    verify_results,
)
from app.pipeline.detail_checks import check_title
from app.pipeline.voting import RequestSignature, cast_offchain, cast_onchain
from app.services import Services
from app.snapshot.outbox import Outbox
from ui.models.voters_model import VotersModel, VotersSortModel
from ui.tasks import run_task
from ui.views.actions_builder_view import SignerFactory
from ui.views.timelock_box import TIMELOCK_STATES, TimelockBox
from ui.widgets.markdown_view import MarkdownView
from ui.widgets.plain_text import elide
from ui.widgets.result_bars import QuorumBar, ResultBars
from ui.widgets.timeline import TimelineWidget, format_day
from ui.widgets.vote_panels import OnchainPanel, VotePanel, snapshot_panel

T = TypeVar("T")


class ProposalDetailView(QDialog):
    detail_loaded = Signal(object)  # ProposalDetail
    vote_sent = Signal(str)  # a receipt id or transaction hash

    def __init__(
        self,
        services: Services,
        org: Organisation,
        initiative_id: str,
        *,
        account: str | None = None,
        request_signature: RequestSignature | None = None,
        make_signer: SignerFactory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.org, self.initiative_id = services, org, initiative_id
        self.account, self.request_signature = account, request_signature
        self.make_signer = make_signer  # signs Queue / Execute (TimelockBox)
        self.detail: ProposalDetail | None = None
        self.panels: list[VotePanel] = []
        self.setWindowTitle("Proposal")
        self.resize(1100, 760)
        self._build()
        self.reload()

    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("detail-title")
        self.title.setWordWrap(True)
        self.timeline = TimelineWidget(self)
        self.body = MarkdownView(self)
        self.sections = QWidget(self)
        self.sections_layout = QVBoxLayout(self.sections)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.sections)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.body)
        split.addWidget(scroll)
        self.voters_model = VotersModel(self)
        self.voters_proxy = VotersSortModel(self)
        self.voters_proxy.setSourceModel(self.voters_model)
        self.voters = QTableView(self)
        self.voters.setModel(self.voters_proxy)
        self.voters.setSortingEnabled(True)
        self.voters.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.voters.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Fixed row heights keep tens of thousands of voters smooth (no per-row measuring).
        self.voters.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.voters.verticalHeader().setVisible(False)
        self.voters_part = QComboBox(self)
        self.voters_part.currentIndexChanged.connect(self._show_voters)
        self.verify_button = QPushButton("Verify results", self)
        self.verify_button.clicked.connect(self.verify)
        self.verify_label = QLabel(self)
        self.verify_label.setObjectName("verify-result")
        self.verify_label.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_vote)
        self._vote_task: asyncio.Task[object] | None = None
        row = QHBoxLayout()
        row.addWidget(QLabel("Voters:", self))
        row.addWidget(self.voters_part)
        row.addWidget(self.verify_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.timeline)
        layout.addWidget(split, 3)
        layout.addLayout(row)
        layout.addWidget(self.voters, 2)
        layout.addWidget(self.verify_label)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.cancel_button)
        layout.addLayout(status_row)

    # --- loading ---

    def reload(self) -> None:
        self.status.setText("Loading…")
        run_task(self._load(), owner=self, on_done=self.set_detail, on_error=self.show_error)

    async def _load(self) -> ProposalDetail:
        found = await self.services.initiatives(self.org, self.account)
        initiative = find_initiative(found.initiatives, self.initiative_id)
        return await load_detail(self.org, initiative, self.account)

    def set_detail(self, detail: ProposalDetail) -> None:
        self.detail = detail
        self.title.setText(f"<h2>{escape(elide(detail.initiative.title))}</h2>")
        self.timeline.set_steps(timeline(detail.initiative, int(self.services.clock())))
        self.body.set_markdown(detail_body(detail))
        self._clear_sections()
        for part in detail.offchain:
            self.sections_layout.addWidget(self._offchain_section(part))
        if detail.onchain is not None:
            self.sections_layout.addWidget(self._onchain_section(detail.onchain))
        self.sections_layout.addStretch(1)
        self.voters_part.blockSignals(True)
        self.voters_part.clear()
        for part in detail.offchain:
            self.voters_part.addItem(check_title(part.kind))
        self.voters_part.blockSignals(False)
        self.voters_part.setCurrentIndex(len(detail.offchain) - 1)
        self._show_voters()
        self.verify_button.setEnabled(bool(detail.offchain or detail.onchain))
        self.status.setText("; ".join(detail.problems))
        self.detail_loaded.emit(detail)

    def _clear_sections(self) -> None:
        self.panels = []
        while self.sections_layout.count():
            item = self.sections_layout.takeAt(0)
            if item is not None and (widget := item.widget()):
                widget.deleteLater()

    def _offchain_section(self, part: OffchainDetail) -> QGroupBox:
        proposal = part.proposal
        box = QGroupBox(f"{check_title(part.kind)} ({proposal.type}, {proposal.state})", self)
        box.setObjectName(f"section-{part.kind.value}")
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel(f"{format_day(proposal.start)} → {format_day(proposal.end)}", box))
        bars = ResultBars(box)
        bars.set_bars(result_bars(proposal.choices, proposal.scores, proposal.scores_total))
        quorum = QuorumBar(box)
        quorum.set_progress(quorum_progress(proposal.scores_total, part.quorum))
        layout.addWidget(bars)
        layout.addWidget(quorum)
        if proposal.state == "active":
            note = power_explanation(part.power)
            panel = snapshot_panel(proposal.type, proposal.choices, part.power.power, note, box)
            panel.vote_requested.connect(lambda c, r, p=part: self._cast_offchain(p, c, r))
            self.panels.append(panel)
            layout.addWidget(panel)
        return box

    def _onchain_section(self, part: OnchainDetail) -> QGroupBox:
        status = part.proposal.status
        box = QGroupBox(f"On-chain proposal ({status.state.label})", self)
        box.setObjectName("section-onchain")
        layout = QVBoxLayout(box)
        dates = f"{format_day(part.vote_start)} → {format_day(part.vote_end)}"
        eta = f"; executable after {format_day(status.eta)}" if status.eta else ""
        layout.addWidget(QLabel(dates + eta, box))
        bars = ResultBars(box)
        bars.set_bars(onchain_bars(part))
        quorum = QuorumBar(box)
        quorum.set_progress(onchain_quorum(part))
        layout.addWidget(bars)
        layout.addWidget(quorum)
        actions = "<br>".join(escape(a.summary) for a in part.proposal.actions) or "No actions"
        layout.addWidget(_rich_label(f"<b>Actions</b><br>{actions}", box))
        warnings = action_warnings(part.proposal.actions)
        if warnings:
            text = "<br>".join(f"⚠ {escape(w.message)}" for w in warnings)
            layout.addWidget(_rich_label(f'<span style="color:#b00020">{text}</span>', box))
        if self.make_signer is not None and status.state in TIMELOCK_STATES:
            step = TimelockBox(self.org, status.proposal_id, status.state, status.eta,
                               self.make_signer, box)  # fmt: skip
            step.sent.connect(self._timelock_sent)
            layout.addWidget(step)
        if status.state is ProposalState.ACTIVE:
            power = part.power.power / 10**part.decimals
            alpha = part.family is GovernorFamily.ALPHA
            panel = OnchainPanel(part.support_options, power, power_explanation(part.power),
                                 with_reason=not alpha, parent=box)  # fmt: skip
            panel.vote_requested.connect(lambda c, r, p=part: self._cast_onchain(p, c, r))
            self.panels.append(panel)
            layout.addWidget(panel)
        return box

    def _show_voters(self, *_args: object) -> None:
        index = self.voters_part.currentIndex()
        parts = self.detail.offchain if self.detail else ()
        if 0 <= index < len(parts):
            proposal = parts[index].proposal
            ranked = proposal.type in {"ranked-choice", "copeland"}
            self.voters_model.set_votes(parts[index].votes, proposal.choices, ranked=ranked)
        else:
            self.voters_model.set_votes([], [])

    # --- actions ---

    def verify(self) -> None:
        if self.detail is None:
            return
        self.verify_button.setEnabled(False)
        self.verify_label.setText("Recounting…")
        run_task(verify_results(self.org, self.detail), owner=self,
                 on_done=self._show_verification, on_error=self._verify_failed)  # fmt: skip

    def _show_verification(self, results: tuple[Verification, ...]) -> None:
        self.verify_button.setEnabled(True)
        self.verify_label.setText("\n".join(f"{v.subject}: {v.message}" for v in results))

    def _verify_failed(self, message: str) -> None:
        self.verify_button.setEnabled(True)
        self.verify_label.setText(message)

    def _signing(self) -> RequestSignature | None:
        if self.request_signature is None or not self.account:
            self.show_error("Choose and unlock an account to vote.")
            return None
        return self.request_signature

    def _cast_offchain(self, part: OffchainDetail, choice: object, reason: str) -> None:
        request = self._signing()
        if request is None or self.account is None:
            return
        outbox = Outbox(self.services.store.conn, clock=self.services.clock)
        coro = cast_offchain(self.org, part.proposal, self.account, choice, request, outbox,
                             reason=reason)  # fmt: skip
        self._start_vote("Sending your vote…", coro, lambda r: r.id)

    def _cast_onchain(self, part: OnchainDetail, choice: object, reason: str) -> None:
        request = self._signing()
        if request is None or self.account is None or not isinstance(choice, Support):
            return
        pid = part.proposal.created.proposal_id
        coro = cast_onchain(self.org, pid, choice, self.account, request, reason=reason)
        self._start_vote("Sending your vote transaction…", coro, lambda r: r.tx_hash)

    def _start_vote(
        self, text: str, coro: Coroutine[Any, Any, T], receipt_id: Callable[[T], str]
    ) -> None:
        """Run a vote with a busy line and a Cancel button (cancelling stops waiting for it)."""
        self.status.setText(text)
        self.cancel_button.setVisible(True)
        for panel in self.panels:
            panel.setEnabled(False)
        self._vote_task = run_task(
            coro,
            owner=self,
            on_done=lambda result: self._voted(receipt_id(result)),
            on_error=self._vote_failed,
        )

    def cancel_vote(self) -> None:
        if self._vote_task is not None:
            self._vote_task.cancel()
        self._vote_finished()
        self.status.setText("Vote cancelled.")

    def _vote_finished(self) -> None:
        self._vote_task = None
        self.cancel_button.setVisible(False)
        for panel in self.panels:
            panel.setEnabled(True)

    def _vote_failed(self, message: str) -> None:
        self._vote_finished()
        self.show_error(message)

    def _voted(self, receipt_id: str) -> None:
        self._vote_finished()
        self.vote_sent.emit(receipt_id)
        self.reload()
        self.status.setText(f"Vote recorded ({receipt_id[:12]}…)")

    def _timelock_sent(self, tx_hash: str) -> None:
        self._voted(tx_hash)
        self.status.setText(f"Transaction confirmed ({tx_hash[:12]}…)")

    def show_error(self, message: str) -> None:
        self.status.setText(message)


def _rich_label(html: str, parent: QWidget) -> QLabel:
    label = QLabel(html, parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(False)
    return label
