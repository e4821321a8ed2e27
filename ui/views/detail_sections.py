"""The side sections of the proposal detail: one group box per check, proposal or next step.

Each builder takes the records to show and the callbacks to wire, and returns the box (with its
vote panel, when the part is open for voting). They hold no state: ``ProposalDetailView`` keeps
the panels, runs the votes and reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.governor.model import ProposalState
from app.orgs import Organisation
from app.pipeline.detail import (
    OffchainDetail,
    OnchainDetail,
    action_warnings,
    onchain_bars,
    onchain_quorum,
    power_explanation,
    quorum_progress,
    result_bars,
)
from app.pipeline.detail_checks import check_title
from app.pipeline.model import OffchainCheck, OnchainProposal
from app.pipeline.phases import NextAction
from app.snapshot.records import Proposal as SnapshotProposal
from app.units import format_amount
from app.usecases import UseCases
from app.usecases.signing import SignerSource
from ui.models.voters_model import choice_text
from ui.theme import Tone
from ui.views.simulation_box import SimulationBox
from ui.views.timelock_box import TIMELOCK_STATES, TimelockBox
from ui.widgets.result_bars import QuorumBar, ResultBars
from ui.widgets.signing_parts import Callout, breakable
from ui.widgets.timeline import format_day
from ui.widgets.vote_chart import VoteChart
from ui.widgets.vote_panels import OnchainPanel, VotePanel, snapshot_panel

STEP_BUTTONS = {
    NextAction.CREATE_TEMPERATURE_CHECK: "Create temperature check…",
    NextAction.CREATE_CONSENSUS_CHECK: "Create consensus check…",
    NextAction.PROPOSE_ONCHAIN: "Propose on-chain…",
}
OFFLINE_TEXT = "Results as saved at the last refresh; voting needs the network again."
DRAFT_TEXT = (
    "This idea is a draft on this device. When it is ready, publish a temperature check so "
    "token holders can say whether to go on."
)

VoteHandler = Callable[[object, str], None]  # choice value, reason
# What the view puts under an open vote panel (None: nothing), e.g. a Safe's approvals (#18).
PanelExtra = Callable[[VotePanel, QGroupBox], QWidget | None]


@dataclass(frozen=True)
class Section:
    """A built section: its box, and the vote panel in it when the part is open for voting."""

    box: QGroupBox
    panel: VotePanel | None = None


def offchain_section(
    part: OffchainDetail,
    account: str | None,
    *,
    on_vote: VoteHandler,
    on_manage: Callable[[SnapshotProposal], object],
    below_panel: PanelExtra | None = None,
    parent: QWidget,
) -> Section:
    """A Snapshot check: dates, results, quorum, votes over time, and its vote panel if open."""
    proposal = part.proposal
    box = QGroupBox(f"{check_title(part.kind)} ({proposal.type}, {proposal.state})", parent)
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
        chart.set_votes(part.votes, proposal.choices, proposal.type, proposal.start, proposal.end)
        layout.addWidget(chart)
    panel: VotePanel | None = None
    if proposal.state == "active":
        note = power_explanation(part.power)
        panel = snapshot_panel(proposal.type, proposal.choices, part.power.power, note, box)
        mine = [v for v in part.votes if account and v.voter.lower() == account.lower()]
        if mine:  # Snapshot counts the latest vote: changing it is allowed while open
            panel.set_voted(choice_text(mine[-1].choice, proposal.choices), can_change=True)
        panel.vote_requested.connect(on_vote)
        layout.addWidget(panel)
        _add_extra(layout, below_panel, panel, box)
    if proposal.state in ("pending", "active"):  # edit before start; cancel while open
        manage = QPushButton("Edit or cancel…", box)
        manage.setObjectName("manage-proposal")
        manage.clicked.connect(lambda: on_manage(proposal))
        layout.addWidget(manage)
    return Section(box, panel)


def saved_check_section(check: OffchainCheck, parent: QWidget) -> QGroupBox:
    """A check as saved at the last refresh, when its hub cannot be reached (no voting)."""
    box = QGroupBox(f"{check_title(check.kind)} (saved earlier)", parent)
    box.setObjectName(f"section-saved-{check.kind.value}")
    layout = QVBoxLayout(box)
    layout.addWidget(QLabel(f"{format_day(check.start)} → {format_day(check.end)}", box))
    bars = ResultBars(box)
    bars.set_bars(result_bars(check.choices, check.scores, check.scores_total))
    layout.addWidget(bars)
    layout.addWidget(_wrapped(OFFLINE_TEXT, box))
    return box


def saved_onchain_section(proposal: OnchainProposal, parent: QWidget) -> QGroupBox:
    """An on-chain proposal as saved earlier, when its chain cannot be reached (no voting)."""
    box = QGroupBox(f"On-chain proposal ({proposal.state.label}, saved earlier)", parent)
    box.setObjectName("section-saved-onchain")
    layout = QVBoxLayout(box)
    dates = f"{format_day(proposal.vote_start)} → {format_day(proposal.vote_end)}"
    layout.addWidget(QLabel(dates, box))
    voted = f"You voted {proposal.account_support}." if proposal.account_support else ""
    layout.addWidget(_wrapped(" ".join(t for t in (voted, OFFLINE_TEXT) if t), box))
    return box


def next_step_section(
    step: NextAction, on_advance: Callable[[], None], parent: QWidget
) -> tuple[QGroupBox, QPushButton]:
    """The check or proposal this initiative is ready for, as one button."""
    box = QGroupBox("Next step", parent)
    box.setObjectName("section-next-step")
    layout = QVBoxLayout(box)
    button = _advance_button(STEP_BUTTONS[step], on_advance, box)
    layout.addWidget(button)
    return box, button


def draft_section(
    *,
    is_draft: bool,
    on_advance: Callable[[], None],
    on_edit: Callable[[], None],
    on_delete: Callable[[], None],
    parent: QWidget,
) -> tuple[QGroupBox, QPushButton]:
    """An idea not yet published: its next step, and Edit / Delete while it is a draft."""
    box = QGroupBox("Next step", parent)
    box.setObjectName("section-draft")
    layout = QVBoxLayout(box)
    layout.addWidget(_wrapped(DRAFT_TEXT, box))
    button = _advance_button("Create temperature check…", on_advance, box)
    layout.addWidget(button)
    if is_draft:
        row = QHBoxLayout()
        for text, name, slot in (("Edit idea…", "detail-edit", on_edit),
                                 ("Delete idea…", "detail-delete", on_delete)):  # fmt: skip
            action = QPushButton(text, box)
            action.setObjectName(name)
            action.clicked.connect(slot)
            row.addWidget(action)
        layout.addLayout(row)
    return box, button


@dataclass(frozen=True)
class OnchainContext:
    """What the on-chain section needs beyond its record: the use cases and who signs."""

    actions: UseCases
    org: Organisation
    sign: SignerSource | None
    on_vote: VoteHandler
    on_sent: Callable[[str], None]  # a Queue / Execute transaction hash
    below_panel: PanelExtra | None = None


def onchain_section(part: OnchainDetail, context: OnchainContext, parent: QWidget) -> Section:
    """A Governor proposal: dates, results, the vote panel, its actions, simulation, timelock."""
    status = part.proposal.status
    box = QGroupBox(f"On-chain proposal ({status.state.label})", parent)
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
    panel = (
        _onchain_panel(part, context.on_vote, box) if status.state is ProposalState.ACTIVE else None
    )
    if panel is not None:
        layout.addWidget(panel)
        _add_extra(layout, context.below_panel, panel, box)
    actions = "<br>".join(escape(breakable(a.summary)) for a in part.proposal.actions)
    layout.addWidget(_rich_label(f"<b>Actions</b><br>{actions or 'No actions'}", box))
    for warning in action_warnings(part.proposal.actions):
        layout.addWidget(Callout(Tone.DANGER, warning.message, box))
    simulation = SimulationBox.for_proposal(
        context.actions.simulation, context.org, status.proposal_id, status.state, box
    )
    layout.addWidget(simulation)
    if context.sign is not None and status.state in TIMELOCK_STATES:
        step = TimelockBox(context.actions.onchain, context.org, status.proposal_id,
                           status.state, status.eta, context.sign, box)  # fmt: skip
        step.sent.connect(context.on_sent)
        layout.addWidget(step)
    return Section(box, panel)


def _onchain_panel(part: OnchainDetail, on_vote: VoteHandler, parent: QWidget) -> OnchainPanel:
    status = part.proposal.status
    power = part.power.power / 10**part.decimals
    panel = OnchainPanel(part.support_options, power, power_explanation(part.power),
                         with_reason=part.rules.accepts_reason, parent=parent)  # fmt: skip
    token_power = format_amount(status.power or 0, part.decimals, part.symbol)
    panel.power_label.setText(f"Your voting power: {token_power}")
    receipt = status.receipt
    if receipt is not None and receipt.has_voted:  # Governor votes cannot be changed
        support = receipt.support.name.capitalize() if receipt.support is not None else ""
        panel.set_voted(support, can_change=False)
    panel.vote_requested.connect(on_vote)
    return panel


def _add_extra(
    layout: QVBoxLayout, below_panel: PanelExtra | None, panel: VotePanel, box: QGroupBox
) -> None:
    extra = below_panel(panel, box) if below_panel is not None else None
    if extra is not None:
        layout.addWidget(extra)


def _advance_button(text: str, on_advance: Callable[[], None], parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName("detail-advance")
    button.clicked.connect(on_advance)
    return button


def _wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def _rich_label(html: str, parent: QWidget) -> QLabel:
    label = QLabel(html, parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(False)
    return label
