"""ProposalDetailView: one initiative — its text, results, quorum, timeline, voters and votes.

Everything shown is computed in ``app.pipeline.detail`` (and ``detail_checks``); votes are the
``offchain.vote`` and ``onchain.vote`` use cases, signed through the injected ``SignerSource``
(the signing dialog). The vote panel opens at a width where its Vote button is visible, and the
splitter's position is remembered. A draft shows its next step, Edit and Delete.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from html import escape
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
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

from app.governor.model import ProposalState, Support
from app.orgs import Organisation
from app.pipeline.detail import (
    ONCHAIN_CHOICES,
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
)
from app.pipeline.detail_checks import check_title
from app.pipeline.model import OffchainCheck, OnchainProposal
from app.pipeline.phases import NextAction
from app.services import Services
from app.snapshot.records import Proposal as SnapshotProposal
from app.snapshot.vote_sync import VoteProgress
from app.units import format_amount
from app.usecases.signing import SignerSource
from ui.models.voters_model import VotersModel, VotersSortModel, choice_text
from ui.tasks import run_task
from ui.theme import TYPE, Tone
from ui.theme.paint import scaled_font
from ui.views.safe_vote_box import SafeVoteBox
from ui.views.simulation_box import SimulationBox
from ui.views.timelock_box import TIMELOCK_STATES, TimelockBox
from ui.views.voters_look import install_voters_look
from ui.widgets.markdown_view import MarkdownView
from ui.widgets.plain_text import elide
from ui.widgets.result_bars import QuorumBar, ResultBars
from ui.widgets.signing_parts import Callout, breakable
from ui.widgets.timeline import TimelineWidget, format_day
from ui.widgets.vote_chart import VoteChart
from ui.widgets.vote_panels import OnchainPanel, VotePanel, snapshot_panel

T = TypeVar("T")
SIDE_MIN_WIDTH = 340  # the vote panel's choices, power line and Vote button fit at this width
_SPLITTER_KEY = "detail/splitter"
STEP_BUTTONS = {
    NextAction.CREATE_TEMPERATURE_CHECK: "Create temperature check…",
    NextAction.CREATE_CONSENSUS_CHECK: "Create consensus check…",
    NextAction.PROPOSE_ONCHAIN: "Propose on-chain…",
}
NO_VOTES_TEXT = "No votes yet: they appear here as they are cast."
OFFLINE_TEXT = "Results as saved at the last refresh; voting needs the network again."
DRAFT_TEXT = (
    "This idea is a draft on this device. When it is ready, publish a temperature check so "
    "token holders can say whether to go on."
)


class ProposalDetailView(QDialog):
    detail_loaded = Signal(object)  # ProposalDetail
    vote_sent = Signal(str)  # a receipt id or transaction hash
    advance_requested = Signal(str)  # initiative id: open its next-step dialog
    changed = Signal()  # the idea was edited or deleted

    def __init__(
        self,
        services: Services,
        org: Organisation,
        initiative_id: str,
        *,
        account: str | None = None,
        sign: SignerSource | None = None,
        names: dict[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.org, self.initiative_id = services, org, initiative_id
        self.account, self.sign = account, sign  # sign: votes, Queue / Execute
        self.names = names or {}  # your accounts' labels, shown instead of their addresses
        self.detail: ProposalDetail | None = None
        self.panels: list[VotePanel] = []
        self.setWindowTitle("Proposal")
        self.resize(*_default_size(self))
        self._build()
        self.reload()

    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("detail-title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a title comes from the network
        self.title.setFont(scaled_font(self.title.font(), TYPE.heading, bold=True))
        self.timeline = TimelineWidget(self)
        self.body = MarkdownView(self)
        self.sections = QWidget(self)
        self.sections_layout = QVBoxLayout(self.sections)
        scroll = QScrollArea(self)
        scroll.setObjectName("detail-side")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.sections)
        scroll.setMinimumWidth(SIDE_MIN_WIDTH)
        self.side = scroll
        # Left: the text above its voters; right, at full height: results and the vote panel.
        self.left = QSplitter(Qt.Orientation.Vertical, self)
        self.left.setChildrenCollapsible(False)
        self.left.addWidget(self.body)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.left)
        split.addWidget(scroll)
        self._verifying: asyncio.Task[Any] | None = None
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.splitter = split
        saved = QSettings("govdesk", "govdesk").value(_SPLITTER_KEY)
        if isinstance(saved, QByteArray):
            split.restoreState(saved)
        else:
            split.setSizes([600, 460])
        split.splitterMoved.connect(self._remember_splitter)
        self.voters_model = VotersModel(self)
        self.voters_model.set_names(self.names)
        self.voters_proxy = VotersSortModel(self)
        self.voters_proxy.setSourceModel(self.voters_model)
        self.voters = QTableView(self)
        self.voters.setModel(self.voters_proxy)
        self.voters.setSortingEnabled(True)
        self.voters.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        # The voter takes the room left; a long address shortens in the middle (0x7099…79C8),
        # never sideways. Widths are set once, not measured per row: 10,000s of voters stay smooth.
        header = self.voters.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.voters.fontMetrics()
        header.resizeSection(1, metrics.horizontalAdvance("Against > Abstain") + 16)
        header.resizeSection(2, metrics.horizontalAdvance("100,000,000.00") + 16)
        self.voters.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.voters.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Fixed row heights keep tens of thousands of voters smooth (no per-row measuring).
        self.voters.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.voters.verticalHeader().setVisible(False)
        self.voter_reason = install_voters_look(self.voters)
        self.voters_part = QComboBox(self)
        self.voters_part.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.voters_part.setMinimumContentsLength(len("Temperature check"))
        self.voters_empty = QLabel(NO_VOTES_TEXT, self)
        self.voters_empty.setObjectName("voters-empty")
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
        row.addWidget(self.voters_empty)
        row.addStretch(1)
        voters_box = QWidget(self)
        voters_layout = QVBoxLayout(voters_box)
        voters_layout.setContentsMargins(0, 0, 0, 0)
        voters_layout.addLayout(row)
        voters_layout.addWidget(self.voters, 1)
        voters_layout.addWidget(self.voter_reason)
        voters_layout.addWidget(self.verify_label)
        self.left.addWidget(voters_box)
        self.left.setStretchFactor(0, 3)
        self.left.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.timeline)
        layout.addWidget(split, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.cancel_button)
        layout.addLayout(status_row)

    def _remember_splitter(self, *_args: object) -> None:
        QSettings("govdesk", "govdesk").setValue(_SPLITTER_KEY, self.splitter.saveState())

    # --- loading ---

    def reload(self) -> None:
        self.status.setText("Loading…")
        run_task(self._load(), owner=self, on_done=self.set_detail, on_error=self.show_error)

    async def _load(self) -> ProposalDetail:
        found = await self.services.initiatives(self.org, self.account)
        initiative = find_initiative(found.initiatives, self.initiative_id)
        return await load_detail(self.org, initiative, self.account, self.services.factories)

    def set_detail(self, detail: ProposalDetail) -> None:
        self.detail = detail
        self.title.setText(elide(detail.initiative.title))
        drafted = self.services.actions.ideas.is_draft(detail.initiative.initiative_id)
        drafted = drafted or bool(detail.offchain)  # published elsewhere, but it had a phase 1
        self.timeline.set_steps(timeline(detail.initiative, int(self.services.clock()),
                                         drafted=drafted))  # fmt: skip
        self.body.set_markdown(detail_body(detail))
        self._clear_sections()
        for part in detail.offchain:
            self.sections_layout.addWidget(self._offchain_section(part))
        initiative = detail.initiative
        checks = [c for c in (initiative.temperature, initiative.consensus) if c is not None]
        if not detail.offchain:  # the hub could not be read: what was saved earlier
            for check in checks:
                self.sections_layout.addWidget(self._saved_check_section(check))
        if detail.onchain is not None:
            self.sections_layout.addWidget(self._onchain_section(detail.onchain))
        elif initiative.onchain is not None:
            self.sections_layout.addWidget(self._saved_onchain_section(initiative.onchain))
        if not checks and initiative.onchain is None:
            self.sections_layout.addWidget(self._draft_section(detail))
        elif (step := self._creatable_step(detail)) is not None:
            self.sections_layout.addWidget(self._next_step_section(step))
        self.sections_layout.addStretch(1)
        self.voters_part.blockSignals(True)
        self.voters_part.clear()
        for part in detail.offchain:
            self.voters_part.addItem(check_title(part.kind))
        if detail.onchain is not None:
            self.voters_part.addItem("On-chain vote")
        self.voters_part.blockSignals(False)
        self.voters_part.setCurrentIndex(self.voters_part.count() - 1)
        self._show_voters()
        self.verify_button.setEnabled(bool(detail.offchain or detail.onchain))
        self.status.setText("; ".join(detail.problems))
        self._look_up_names(detail)
        self.detail_loaded.emit(detail)

    def _look_up_names(self, detail: ProposalDetail) -> None:
        """ENS names for the voters (largest first), in the background; yours win over them."""
        votes = [v for part in detail.offchain for v in part.votes]
        votes += list(detail.onchain.votes) if detail.onchain else []
        voters = [v.voter for v in sorted(votes, key=lambda v: -v.vp)]
        if voters:
            run_task(self.services.voter_names(self.org, voters), owner=self,
                     on_done=self._show_names)  # fmt: skip

    def _show_names(self, ens: dict[str, str]) -> None:
        self.voters_model.set_names({**ens, **self.names})

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
        if part.votes:  # votes over time: cumulative power per choice
            chart = VoteChart(box)
            chart.set_votes(
                part.votes, proposal.choices, proposal.type, proposal.start, proposal.end
            )
            layout.addWidget(chart)
        if proposal.state == "active":
            note = power_explanation(part.power)
            panel = snapshot_panel(proposal.type, proposal.choices, part.power.power, note, box)
            mine = [v for v in part.votes if self.account and v.voter.lower() ==
                    self.account.lower()]  # fmt: skip
            if mine:  # Snapshot counts the latest vote: changing it is allowed while open
                panel.set_voted(choice_text(mine[-1].choice, proposal.choices), can_change=True)
            panel.vote_requested.connect(lambda c, r, p=part: self._cast_offchain(p, c, r))
            self.panels.append(panel)
            layout.addWidget(panel)
            layout.addWidget(SafeVoteBox.for_snapshot(self, proposal, panel, box))
        if proposal.state in ("pending", "active"):  # edit before start; cancel while open
            manage = QPushButton("Edit or cancel…", box)
            manage.setObjectName("manage-proposal")
            manage.clicked.connect(lambda _=False, p=proposal: self.manage_proposal(p))
            layout.addWidget(manage)
        return box

    def _saved_check_section(self, check: OffchainCheck) -> QGroupBox:
        """A check as saved at the last refresh, when its hub cannot be reached (no voting)."""
        box = QGroupBox(f"{check_title(check.kind)} (saved earlier)", self)
        box.setObjectName(f"section-saved-{check.kind.value}")
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel(f"{format_day(check.start)} → {format_day(check.end)}", box))
        bars = ResultBars(box)
        bars.set_bars(result_bars(check.choices, check.scores, check.scores_total))
        layout.addWidget(bars)
        note = QLabel(OFFLINE_TEXT, box)
        note.setWordWrap(True)
        layout.addWidget(note)
        return box

    def _saved_onchain_section(self, proposal: OnchainProposal) -> QGroupBox:
        box = QGroupBox(f"On-chain proposal ({proposal.state.label}, saved earlier)", self)
        box.setObjectName("section-saved-onchain")
        layout = QVBoxLayout(box)
        dates = f"{format_day(proposal.vote_start)} → {format_day(proposal.vote_end)}"
        layout.addWidget(QLabel(dates, box))
        voted = f"You voted {proposal.account_support}." if proposal.account_support else ""
        note = QLabel(" ".join(t for t in (voted, OFFLINE_TEXT) if t), box)
        note.setWordWrap(True)
        layout.addWidget(note)
        return box

    def _creatable_step(self, detail: ProposalDetail) -> NextAction | None:
        """The check or proposal this initiative is ready for (what "Next step…" would open)."""
        from ui.views.advance_dialog import advance_step

        step = advance_step(detail.initiative, self.account, int(self.services.clock()), self.org)
        return step if step in STEP_BUTTONS else None

    def _next_step_section(self, step: NextAction) -> QGroupBox:
        box = QGroupBox("Next step", self)
        box.setObjectName("section-next-step")
        layout = QVBoxLayout(box)
        self.advance_button = QPushButton(STEP_BUTTONS[step], box)
        self.advance_button.setObjectName("detail-advance")
        self.advance_button.clicked.connect(lambda: self.advance_requested.emit(self.initiative_id))
        layout.addWidget(self.advance_button)
        return box

    def _draft_section(self, detail: ProposalDetail) -> QGroupBox:
        """An idea not yet published: its next step, and Edit / Delete while it is a draft."""
        box = QGroupBox("Next step", self)
        box.setObjectName("section-draft")
        layout = QVBoxLayout(box)
        text = QLabel(DRAFT_TEXT, box)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.advance_button = QPushButton("Create temperature check…", box)
        self.advance_button.setObjectName("detail-advance")
        self.advance_button.clicked.connect(lambda: self.advance_requested.emit(self.initiative_id))
        layout.addWidget(self.advance_button)
        if self.services.actions.ideas.is_draft(self.initiative_id):
            row = QHBoxLayout()
            edit = QPushButton("Edit idea…", box)
            edit.setObjectName("detail-edit")
            edit.clicked.connect(self.edit_idea)
            delete = QPushButton("Delete idea…", box)
            delete.setObjectName("detail-delete")
            delete.clicked.connect(self.delete_idea)
            row.addWidget(edit)
            row.addWidget(delete)
            layout.addLayout(row)
        return box

    def edit_idea(self) -> None:
        from ui.views.idea_dialog import IdeaDialog

        draft = self.services.actions.ideas.get(self.initiative_id)
        dialog = IdeaDialog(self, editing=draft)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            run_task(self.services.actions.ideas.update(
                self.initiative_id, dialog.title.text(), dialog.body.toPlainText(),
                dialog.discussion.text()), owner=self,
                on_done=lambda _d: self._idea_changed(),
                on_error=self.show_error)  # fmt: skip

        dialog.accepted.connect(save)
        dialog.open()

    def _idea_changed(self) -> None:
        self.changed.emit()
        self.reload()

    def _idea_deleted(self) -> None:
        self.changed.emit()
        self.close()

    def delete_idea(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "Delete idea",
                          "Delete this idea from this device? This cannot be undone.",
                          QMessageBox.StandardButton.Cancel, self)  # fmt: skip
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.delete_box = box

        def done(_result: int) -> None:
            if box.clickedButton() is delete:
                run_task(self.services.actions.ideas.delete(self.initiative_id), owner=self,
                         on_done=lambda _r: self._idea_deleted(),
                         on_error=self.show_error)  # fmt: skip

        box.finished.connect(done)
        box.open()

    def manage_proposal(self, proposal: SnapshotProposal) -> QDialog:
        """Open the edit/cancel dialog for one of this initiative's Snapshot proposals."""
        from ui.views.proposal_manage_dialog import ProposalManageDialog

        dialog = ProposalManageDialog(
            self.services,
            self.org,
            proposal,
            account=self.account,
            sign=self.sign,
            parent=self,
        )
        dialog.changed.connect(lambda _id: self.reload())
        dialog.load_space()
        dialog.open()
        return dialog

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
        # The vote first (visible as the window opens), then what it approves and its effects.
        if status.state is ProposalState.ACTIVE:
            power = part.power.power / 10**part.decimals
            panel = OnchainPanel(part.support_options, power, power_explanation(part.power),
                                 with_reason=part.rules.accepts_reason, parent=box)  # fmt: skip
            token_power = format_amount(status.power or 0, part.decimals, part.symbol)
            panel.power_label.setText(f"Your voting power: {token_power}")
            receipt = status.receipt
            if receipt is not None and receipt.has_voted:  # Governor votes cannot be changed
                support = receipt.support.name.capitalize() if receipt.support is not None else ""
                panel.set_voted(support, can_change=False)
            panel.vote_requested.connect(lambda c, r, p=part: self._cast_onchain(p, c, r))
            self.panels.append(panel)
            layout.addWidget(panel)
            layout.addWidget(SafeVoteBox.for_onchain(self, status.proposal_id, panel, box))
        actions = (
            "<br>".join(escape(breakable(a.summary)) for a in part.proposal.actions) or "No actions"
        )
        layout.addWidget(_rich_label(f"<b>Actions</b><br>{actions}", box))
        for warning in action_warnings(part.proposal.actions):
            layout.addWidget(Callout(Tone.DANGER, warning.message, box))
        layout.addWidget(
            SimulationBox.for_proposal(
                self.services.actions.simulation, self.org, status.proposal_id, status.state, box
            )
        )
        if self.sign is not None and status.state in TIMELOCK_STATES:
            step = TimelockBox(self.services.actions.onchain, self.org, status.proposal_id,
                               status.state, status.eta, self.sign, box)  # fmt: skip
            step.sent.connect(self._timelock_sent)
            layout.addWidget(step)
        return box

    def _show_voters(self, *_args: object) -> None:
        index = self.voters_part.currentIndex()
        parts = self.detail.offchain if self.detail else ()
        onchain = self.detail.onchain if self.detail else None
        if 0 <= index < len(parts):
            proposal = parts[index].proposal
            ranked = proposal.type in {"ranked-choice", "copeland"}
            self.voters_model.set_votes(parts[index].votes, proposal.choices, ranked=ranked)
        elif onchain is not None and index == len(parts):
            self.voters_model.set_votes(onchain.votes, ONCHAIN_CHOICES)
        else:
            self.voters_model.set_votes([], [])
        self.voters_empty.setVisible(self.voters_model.rowCount() == 0)

    # --- actions ---

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
                                   on_error=self._verify_failed)  # fmt: skip

    def _verify_finished(self, text: str) -> None:
        self._verifying = None
        self.verify_button.setText("Verify results")
        self.verify_button.setEnabled(True)
        self.verify_label.setText(text)

    def _show_verification(self, results: tuple[Verification, ...]) -> None:
        self._verify_finished("\n".join(f"{v.subject}: {v.message}" for v in results))

    def _verify_failed(self, message: str) -> None:
        self._verify_finished(message)

    def _signing(self) -> SignerSource | None:
        if self.sign is None or not self.account:
            self.show_error("Choose and unlock an account to vote.")
            return None
        return self.sign

    def _cast_offchain(self, part: OffchainDetail, choice: object, reason: str) -> None:
        sign = self._signing()
        if sign is None:
            return
        coro = self.services.actions.offchain.vote(self.org, sign, part.proposal, choice, reason)
        self._start_vote("Sending your vote…", coro, lambda r: r.id)

    def _cast_onchain(self, part: OnchainDetail, choice: object, reason: str) -> None:
        sign = self._signing()
        if sign is None or not isinstance(choice, Support):
            return
        pid = part.proposal.created.proposal_id
        coro = self.services.actions.onchain.vote(self.org, sign, pid, choice, reason,
                                                  title=part.proposal.created.title)  # fmt: skip
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


def _default_size(widget: QWidget) -> tuple[int, int]:
    """1100 x 760, or less on a smaller screen (it must never open larger than the screen)."""
    screen = widget.screen()
    if screen is None:
        return 1100, 760
    room = screen.availableGeometry()
    return min(1100, room.width() - 40), min(760, room.height() - 40)


def _rich_label(html: str, parent: QWidget) -> QLabel:
    label = QLabel(html, parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(False)
    return label
