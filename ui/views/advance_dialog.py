"""AdvanceDialog: create an initiative's next Snapshot check (temperature or consensus check).

The fields are prefilled from ``app.pipeline.advance`` (tagged title, body with the govdesk
reference footer, discussion, choices). ``load_rules`` reads the space's settings through
``Services.snapshot()`` and offers only what the space allows (its voting type, its fixed
period), and says before anything is signed when the account may not propose, and why. The
Proposal message is signed through the window's ``SignerSource`` (the signing dialog shows
the readable preview) by the ``offchain.publish_check`` use case, delivered to the sequencer.
``open_next_step`` decides, from the phase rules, which dialog a board card's "Next step…" opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.domain.voting import VotingType
from app.errors import AppError, InputError
from app.orgs import Organisation
from app.pipeline import advance
from app.pipeline.linking import parse_footer
from app.pipeline.model import AccountContext, Initiative, TemperatureRule
from app.pipeline.phases import NextAction, consensus_winner, next_action
from app.services import Assembled, Services
from ui.models.board_model import CardRole
from ui.tasks import run_task
from ui.theme import set_role

if TYPE_CHECKING:  # web3 and httpx load when something is published, not at start-up
    from app.snapshot.send import ProposalRules
    from app.snapshot.sequencer import Receipt
    from app.usecases.signing import SignerSource
    from ui.views.main_window import MainWindow
    from ui.views.window_parts import WindowParts

VOTING_TYPES = (  # ranked choice first: the usual consensus check
    VotingType.RANKED_CHOICE, VotingType.SINGLE_CHOICE, VotingType.APPROVAL, VotingType.BASIC,
    VotingType.WEIGHTED, VotingType.QUADRATIC, VotingType.COPELAND,
)  # fmt: skip
DEFAULT_DAYS = 3
STARTING_OPTIONS = ("Option 1", "Option 2")  # replaced by the author
CREATE_ACTIONS = {NextAction.CREATE_TEMPERATURE_CHECK, NextAction.CREATE_CONSENSUS_CHECK}


def advance_step(
    initiative: Initiative, address: str | None, now: int, org: Organisation
) -> NextAction:
    """The step due for ``initiative``, whatever the account's own power (the hub and the
    governor check that when the step is sent)."""
    rules = org.conventions
    rule = TemperatureRule(rules.temperature_yes_choice, rules.temperature_quorum)
    able = AccountContext(address, delegated=True, can_propose_onchain=True)
    return next_action(initiative, able, now, rule)


class AdvanceDialog(QDialog):
    published = Signal(str)  # the new Snapshot proposal's id

    def __init__(
        self,
        services: Services,
        org: Organisation,
        initiative: Initiative,
        action: NextAction,
        *,
        account: str | None,
        sign: SignerSource | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if action not in CREATE_ACTIONS:
            raise InputError("This initiative has no Snapshot check to create now.")
        self.services, self.org, self.initiative, self.action = services, org, initiative, action
        self.account, self.sign = account, sign
        self.proposal_id = ""
        self.rules: ProposalRules | None = None
        consensus = action is NextAction.CREATE_CONSENSUS_CHECK
        self.setWindowTitle("New consensus check" if consensus else "New temperature check")
        self._build(consensus)
        self._prefill(consensus)

    def _build(self, consensus: bool) -> None:
        self.title = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.discussion = QLineEdit(self)
        self.options = QPlainTextEdit(self)
        self.options.setObjectName("options")
        self.options.setPlaceholderText("One option per line")
        self.options.setReadOnly(not consensus)
        self.options.setMaximumHeight(110)
        self.voting_type = QComboBox(self)
        self.voting_type.addItems([t.value for t in VOTING_TYPES])
        self.voting_type.setEnabled(consensus)
        self.days = QSpinBox(self)
        self.days.setRange(1, 60)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setSuffix(" days")
        self.rules_note = QLabel(self)
        self.rules_note.setObjectName("space-rules")
        self.rules_note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        set_role(self.error, "error")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.publish_button = QPushButton("Sign and publish…", self)
        buttons.addButton(self.publish_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.publish_button.clicked.connect(self.publish)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        rows = (("Title", self.title), ("Text", self.body), ("Discussion", self.discussion),
                ("Choices", self.options), ("Voting type", self.voting_type),
                ("Duration", self.days))  # fmt: skip
        for label, widget in rows:
            form.addRow(label, widget)
        form.addRow(self.rules_note)
        form.addRow(self.error)
        form.addRow(buttons)
        self.resize(640, 560)

    def _prefill(self, consensus: bool) -> None:
        i, conventions = self.initiative, self.org.conventions
        if consensus:
            draft = advance.consensus_check(
                initiative_id=i.initiative_id, title=i.title, body=i.body,
                discussion=i.discussion_url, temperature_id=self._temperature_id(),
                options=STARTING_OPTIONS, conventions=conventions,
            )  # fmt: skip
        else:
            draft = advance.temperature_check(
                initiative_id=i.initiative_id, title=i.title, body=i.body,
                discussion=i.discussion_url, conventions=conventions,
            )  # fmt: skip
        self.title.setText(draft.title)
        self.body.setPlainText(draft.body)
        self.discussion.setText(draft.discussion)
        self.options.setPlainText("\n".join(draft.choices))
        self.voting_type.setCurrentText(draft.voting_type)

    def load_rules(self) -> None:
        """Read the space's rules (on the running loop) and offer only what they allow."""
        self.rules_note.setText("Reading the space's rules…")
        run_task(
            self.services.snapshot().proposal_rules(self.org, self.account),
            owner=self,
            on_done=self.apply_rules,
            on_error=lambda message: self.rules_note.setText(
                f"The space's rules could not be read: {message}"
            ),
        )

    def apply_rules(self, rules: ProposalRules) -> None:
        """Restrict the fields to what the space allows; say why this account may not propose."""
        self.rules = rules
        current = self.voting_type.currentText()
        self.voting_type.clear()
        self.voting_type.addItems(list(rules.allowed_types))
        self.voting_type.setCurrentText(current if current in rules.allowed_types
                                        else rules.allowed_types[0])  # fmt: skip
        consensus = self.action is NextAction.CREATE_CONSENSUS_CHECK
        self.voting_type.setEnabled(consensus and len(rules.allowed_types) > 1)
        if rules.period_s:
            self.days.setEnabled(False)
            self.days.setSuffix(" days (set by the space)")
            self.days.setValue(max(1, round(rules.period_s / 86400)))
        self.rules_note.setText(rules.describe())
        if rules.refusal:
            self.error.setText(rules.refusal)
            self.publish_button.setEnabled(False)

    def _temperature_id(self) -> str:
        check = self.initiative.temperature
        return check.proposal_id if check is not None else ""

    def draft(self) -> advance.SnapshotDraft:
        """The reviewed draft from the fields; ``InputError`` names what is wrong."""
        title, body = self.title.text().strip(), self.body.toPlainText()
        if not title:
            raise InputError("Give the proposal a title.")
        reference = parse_footer(body)
        if reference is None or reference.initiative_id != self.initiative.initiative_id:
            raise InputError("Keep the govdesk reference line at the end of the text: it links "
                             "this vote to its idea.")  # fmt: skip
        choices = tuple(line for line in self.options.toPlainText().splitlines() if line.strip())
        if self.action is NextAction.CREATE_CONSENSUS_CHECK:
            checked = advance.consensus_check(
                initiative_id=self.initiative.initiative_id, title=title, body=body,
                discussion=self.discussion.text(), temperature_id=self._temperature_id(),
                options=choices, voting_type=self.voting_type.currentText(),
                conventions=self.org.conventions,
            )  # fmt: skip
            choices = checked.choices
        return advance.SnapshotDraft(title, body, self.discussion.text().strip(), choices,
                                     self.voting_type.currentText())  # fmt: skip

    def publish(self) -> None:
        try:
            draft = self.draft()
        except InputError as exc:
            self.error.setText(exc.user_message)
            return
        if self.sign is None or not self.account:
            self.error.setText("Choose and unlock an account (toolbar) to publish.")
            return
        if self.rules is not None and self.rules.refusal:
            self.error.setText(self.rules.refusal)
            return
        self.error.setText("Checking the space's rules, then waiting for your signature…")
        self.publish_button.setEnabled(False)
        coro = self.services.actions.offchain.publish_check(
            self.org, self.sign, draft, duration_s=self.days.value() * 24 * 3600,
        )  # fmt: skip
        run_task(coro, owner=self, on_done=self._published, on_error=self._failed)

    def _published(self, receipt: Receipt) -> None:
        self.proposal_id = receipt.id
        self.published.emit(receipt.id)
        self.accept()

    def _failed(self, message: str) -> None:
        self.publish_button.setEnabled(True)
        self.error.setText(message)


# --- from the board: "Next step…" on a card ---


def install_next_step_menu(window: MainWindow) -> None:
    """A context menu on every board card: open its details, or create its next step."""
    for column in window.board.columns.values():
        view = column.list
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos, v=view: _show_card_menu(window, v, pos))


def _show_card_menu(window: MainWindow, view: QListView, pos: QPoint) -> None:
    card = view.indexAt(pos).data(CardRole.CARD)
    if card is None:
        return
    menu = QMenu(view)
    menu.addAction("Next step…", lambda: open_next_step(window, card.initiative_id))
    menu.addAction("Details", lambda: window.open_detail(card))
    menu.exec(view.viewport().mapToGlobal(pos))


def open_next_step(window: WindowParts, initiative_id: str) -> None:
    """Load the initiative afresh and open the dialog for the step its phase allows."""
    from app.pipeline.detail import find_initiative

    org = window.current_org()
    if org is None:
        return
    address = window.account.address

    def loaded(found: Assembled) -> None:
        try:
            _open_step(window, org, find_initiative(found.initiatives, initiative_id))
        except AppError as exc:
            window.show_error(exc.user_message)

    run_task(
        window.services.initiatives(org, address),
        owner=window,
        on_done=loaded,
        on_error=window.show_error,
    )


def _open_step(window: WindowParts, org: Organisation, initiative: Initiative) -> QDialog | None:
    services, address = window.services, window.account.address
    step = advance_step(initiative, address, int(services.clock()), org)
    dialog: QDialog
    if step in CREATE_ACTIONS:
        created = AdvanceDialog(services, org, initiative, step, account=address,
                                sign=window.sign, parent=window)  # fmt: skip
        created.published.connect(lambda _pid: window.refresh())
        created.load_rules()
        dialog = created
    elif step is NextAction.PROPOSE_ONCHAIN:
        from ui.views.actions_builder_view import ActionsBuilderView

        description = onchain_description(initiative)
        builder = ActionsBuilderView(services.actions.onchain, org, description, window.sign,
                                     parent=window)  # fmt: skip
        builder.proposed.connect(lambda _pid: window.refresh())
        dialog = builder
    else:
        window.show_error(f"“{initiative.title}” has nothing to create now; open it for details.")
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def onchain_description(initiative: Initiative) -> str:
    """The governor description for an initiative whose consensus check has a winner."""
    consensus = initiative.consensus
    winner = consensus_winner(consensus) if consensus is not None else None
    if consensus is None or winner is None:
        raise InputError("The consensus check has no winning option to propose on-chain.")
    return advance.onchain_proposal(
        initiative_id=initiative.initiative_id, title=initiative.title, body=initiative.body,
        consensus_id=consensus.proposal_id, resolution=consensus.choices[winner - 1],
    ).description  # fmt: skip
