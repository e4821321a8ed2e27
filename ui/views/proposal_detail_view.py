"""ProposalDetailView: one initiative — its text, results, quorum, timeline, voters and votes.

Everything shown is computed in ``app.pipeline.detail`` (and ``detail_checks``); votes are the
``offchain.vote`` and ``onchain.vote`` use cases, signed through the injected ``SignerSource``
(the signing dialog). The vote panel opens at a width where its Vote button is visible, and the
splitter's position is remembered. A draft shows its next step, Edit and Delete.

The side sections are built in ``detail_sections``, the voters pane (and verification) lives in
``detail_voters``, and editing or deleting an idea in ``detail_ideas``; this module assembles
them and runs the votes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.governor.model import Support
from app.orgs import Organisation
from app.pipeline.detail import (
    OffchainDetail,
    OnchainDetail,
    ProposalDetail,
    detail_body,
    find_initiative,
    timeline,
)
from app.pipeline.phases import NextAction
from app.services import Services
from app.snapshot.records import Proposal as SnapshotProposal
from app.usecases.signing import SignerSource
from ui.tasks import run_task
from ui.theme import TYPE
from ui.theme.paint import scaled_font
from ui.views import detail_ideas
from ui.views.detail_sections import (
    STEP_BUTTONS,
    OnchainContext,
    PanelExtra,
    Section,
    draft_section,
    next_step_section,
    offchain_section,
    onchain_section,
    saved_check_section,
    saved_onchain_section,
)
from ui.views.detail_voters import VotersPane
from ui.views.safe_vote_box import SafeVoteBox
from ui.widgets.markdown_view import MarkdownView
from ui.widgets.plain_text import elide
from ui.widgets.timeline import TimelineWidget
from ui.widgets.vote_panels import VotePanel

T = TypeVar("T")
SIDE_MIN_WIDTH = 340  # the vote panel's choices, power line and Vote button fit at this width
_SPLITTER_KEY = "detail/splitter"


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
        self.voters_pane = VotersPane(self.services, self.org, self)
        self.voters_pane.voters_model.set_names(self.names)
        # The pane's parts, named as before: tests and the window reach them through the view.
        self.voters_model = self.voters_pane.voters_model
        self.voters_proxy = self.voters_pane.voters_proxy
        self.voters = self.voters_pane.voters
        self.voters_part = self.voters_pane.voters_part
        self.verify_button = self.voters_pane.verify_button
        self.verify_label = self.voters_pane.verify_label
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_vote)
        self._vote_task: asyncio.Task[object] | None = None
        self._lay_out()

    def _side(self) -> QScrollArea:
        """The right-hand column: results, the vote panel and the next step, scrolling."""
        self.sections = QWidget(self)
        self.sections_layout = QVBoxLayout(self.sections)
        scroll = QScrollArea(self)
        scroll.setObjectName("detail-side")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.sections)
        scroll.setMinimumWidth(SIDE_MIN_WIDTH)
        return scroll

    def _lay_out(self) -> None:
        # Left: the text above its voters; right, at full height: results and the vote panel.
        self.side = self._side()
        self.left = QSplitter(Qt.Orientation.Vertical, self)
        self.left.setChildrenCollapsible(False)
        self.left.addWidget(self.body)
        self.left.addWidget(self.voters_pane)
        self.left.setStretchFactor(0, 3)
        self.left.setStretchFactor(1, 2)
        self.splitter = self._splitter(self.left, self.side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.timeline)
        layout.addWidget(self.splitter, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.cancel_button)
        layout.addLayout(status_row)

    def _splitter(self, left: QWidget, right: QWidget) -> QSplitter:
        """Text and voters beside the side column, at the split the person last chose."""
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        saved = QSettings("govdesk", "govdesk").value(_SPLITTER_KEY)
        if isinstance(saved, QByteArray):
            split.restoreState(saved)
        else:
            split.setSizes([600, 460])
        split.splitterMoved.connect(self._remember_splitter)
        return split

    def _remember_splitter(self, *_args: object) -> None:
        QSettings("govdesk", "govdesk").setValue(_SPLITTER_KEY, self.splitter.saveState())

    # --- loading ---

    def reload(self) -> None:
        self.status.setText("Loading…")
        run_task(self._load(), owner=self, on_done=self.set_detail, on_error=self.show_error)

    async def _load(self) -> ProposalDetail:
        found = await self.services.initiatives(self.org, self.account)
        initiative = find_initiative(found.initiatives, self.initiative_id)
        return await self.services.detail(self.org, initiative, self.account)

    def set_detail(self, detail: ProposalDetail) -> None:
        self.detail = detail
        self.title.setText(elide(detail.initiative.title))
        drafted = self.services.actions.ideas.is_draft(detail.initiative.initiative_id)
        drafted = drafted or bool(detail.offchain)  # published elsewhere, but it had a phase 1
        self.timeline.set_steps(timeline(detail.initiative, int(self.services.clock()),
                                         drafted=drafted))  # fmt: skip
        self.body.set_markdown(detail_body(detail))
        self._clear_sections()
        self._add_sections(detail)
        self.voters_pane.set_detail(detail)
        self.status.setText("; ".join(detail.problems))
        self._look_up_names(detail)
        self.detail_loaded.emit(detail)

    def _add_sections(self, detail: ProposalDetail) -> None:
        for part in detail.offchain:
            self._add(offchain_section(part, self.account, parent=self,
                                       on_vote=self._offchain_voter(part),
                                       on_manage=self.manage_proposal,
                                       below_panel=self._offchain_extra(part)))  # fmt: skip
        initiative = detail.initiative
        checks = [c for c in (initiative.temperature, initiative.consensus) if c is not None]
        if not detail.offchain:  # the hub could not be read: what was saved earlier
            for check in checks:
                self.sections_layout.addWidget(saved_check_section(check, self))
        if detail.onchain is not None:
            onchain = detail.onchain
            voter, extra = self._onchain_voter(onchain), self._onchain_extra(onchain)
            context = OnchainContext(
                self.services.actions, self.org, self.sign, voter, self._timelock_sent, extra
            )
            self._add(onchain_section(detail.onchain, context, self))
        elif initiative.onchain is not None:
            self.sections_layout.addWidget(saved_onchain_section(initiative.onchain, self))
        if not checks and initiative.onchain is None:
            box, self.advance_button = draft_section(
                is_draft=self.services.actions.ideas.is_draft(self.initiative_id),
                on_advance=self._request_advance, on_edit=self.edit_idea,
                on_delete=self.delete_idea, parent=self)  # fmt: skip
            self.sections_layout.addWidget(box)
        elif (step := self._creatable_step(detail)) is not None:
            box, self.advance_button = next_step_section(step, self._request_advance, self)
            self.sections_layout.addWidget(box)
        self.sections_layout.addStretch(1)

    def _offchain_extra(self, part: OffchainDetail) -> PanelExtra:
        """What goes under ``part``'s open Snapshot vote panel: voting as a Safe you own."""

        def extra(panel: VotePanel, box: QGroupBox) -> QWidget | None:
            return SafeVoteBox.for_snapshot(self, part.proposal, panel, box)

        return extra

    def _onchain_extra(self, part: OnchainDetail) -> PanelExtra:
        """What goes under the open on-chain vote panel: voting as a Safe you own."""
        proposal_id = part.proposal.status.proposal_id

        def extra(panel: VotePanel, box: QGroupBox) -> QWidget | None:
            return SafeVoteBox.for_onchain(self, proposal_id, panel, box)

        return extra

    def _add(self, section: Section) -> None:
        self.sections_layout.addWidget(section.box)
        if section.panel is not None:
            self.panels.append(section.panel)

    def _request_advance(self) -> None:
        self.advance_requested.emit(self.initiative_id)

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

    def _creatable_step(self, detail: ProposalDetail) -> NextAction | None:
        """The check or proposal this initiative is ready for (what "Next step…" would open)."""
        from ui.views.advance_dialog import advance_step

        step = advance_step(detail.initiative, self.account, int(self.services.clock()), self.org)
        return step if step in STEP_BUTTONS else None

    def edit_idea(self) -> None:
        detail_ideas.open_editor(self, self.services.actions.ideas, self.initiative_id,
                                 on_saved=self._idea_changed, on_error=self.show_error)  # fmt: skip

    def _idea_changed(self) -> None:
        self.changed.emit()
        self.reload()

    def _idea_deleted(self) -> None:
        self.changed.emit()
        self.close()

    def delete_idea(self) -> None:
        self.delete_box = detail_ideas.confirm_delete(
            self, self.services.actions.ideas, self.initiative_id,
            on_deleted=self._idea_deleted, on_error=self.show_error)  # fmt: skip

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

    def verify(self) -> None:
        """Start a recount; while one runs, the same button cancels it."""
        self.voters_pane.verify()

    def _signing(self) -> SignerSource | None:
        if self.sign is None or not self.account:
            self.show_error("Choose and unlock an account to vote.")
            return None
        return self.sign

    def _offchain_voter(self, part: OffchainDetail) -> Callable[[object, str], None]:
        def vote(choice: object, reason: str) -> None:
            sign = self._signing()
            if sign is None:
                return
            offchain = self.services.actions.offchain
            coro = offchain.vote(self.org, sign, part.proposal, choice, reason)
            self._start_vote("Sending your vote…", coro, lambda r: r.id)

        return vote

    def _onchain_voter(self, part: OnchainDetail) -> Callable[[object, str], None]:
        def vote(choice: object, reason: str) -> None:
            sign = self._signing()
            if sign is None or not isinstance(choice, Support):
                return
            created = part.proposal.created
            coro = self.services.actions.onchain.vote(
                self.org, sign, created.proposal_id, choice, reason, title=created.title
            )
            self._start_vote("Sending your vote transaction…", coro, lambda r: r.tx_hash)

        return vote

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
    screen: QScreen | None = widget.screen()  # None without a screen, whatever the stubs say
    if screen is None:
        return 1100, 760
    room = screen.availableGeometry()
    return min(1100, room.width() - 40), min(760, room.height() - 40)
