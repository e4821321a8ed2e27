"""AdvanceDialog, ActionsBuilderView and the timelock rules offline: prefill, inline validation,
which step a card opens, and what happens when the network cannot be reached."""

from __future__ import annotations

from typing import Any

import pytest
from eth_utils.address import to_checksum_address
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.errors import InputError, SigningError
from app.governor.model import ProposalState
from app.orgs import Network, Organisation
from app.pipeline.model import AccountContext, CheckKind, Initiative, OffchainCheck
from app.pipeline.phases import NextAction
from app.services import Services
from app.usecases.signing import PreviewHints
from ui.signing import DialogSigner, Keys, dialog_signer_source
from ui.views.actions_builder_view import ActionsBuilderView, parse_eth
from ui.views.advance_dialog import AdvanceDialog, advance_step, onchain_description
from ui.views.main_window import MainWindow
from ui.views.timelock_box import countdown_text, timelock_step

CLOSED = "http://127.0.0.1:9"  # refuses connections at once
ORG = Organisation("local", "Local DAO", Network(31337, "local", (CLOSED,)), "local.eth", CLOSED,
                   governor="0x5FbDB2315678afecb367f032d93F642f64180aa3")  # fmt: skip
NOW = 1_800_000_000


def check(kind: CheckKind, scores: tuple[float, ...], choices: tuple[str, ...]) -> OffchainCheck:
    return OffchainCheck(f"0x{kind.value}", kind, "single-choice", choices, NOW - 900, NOW - 100,
                         scores, sum(scores))  # fmt: skip


IDEA = Initiative("idea-1", "Lower the fee", "The fee is 10%.")
PASSED = Initiative("idea-1", "Lower the fee", "The fee is 10%.",
                    temperature=check(CheckKind.TEMPERATURE, (30.0, 10.0), ("Yes", "No")))  # fmt: skip
AGREED = Initiative("idea-1", "Lower the fee", "The fee is 10%.", temperature=PASSED.temperature,
                    consensus=check(CheckKind.CONSENSUS, (1.0, 5.0, 2.0), ("5%", "8%", "10%")))  # fmt: skip


@pytest.mark.parametrize(
    ("initiative", "step"),
    [(IDEA, NextAction.CREATE_TEMPERATURE_CHECK), (PASSED, NextAction.CREATE_CONSENSUS_CHECK),
     (AGREED, NextAction.PROPOSE_ONCHAIN)],
)  # fmt: skip
def test_the_step_a_card_opens_follows_the_phase(initiative: Initiative, step: NextAction) -> None:
    # Even for an account without delegation or power: the hub and the governor judge that.
    assert advance_step(initiative, "0x" + "11" * 20, NOW, ORG) is step


def test_onchain_description_names_the_winning_option_and_the_consensus_check() -> None:
    text = onchain_description(AGREED)
    assert text.startswith("# Lower the fee\n")
    assert "Resolution agreed off-chain: 8%" in text
    assert text.endswith("<!-- govdesk:initiative=idea-1 previous=consensus:0xconsensus -->")
    with pytest.raises(InputError, match="no winning option"):
        onchain_description(PASSED)


def consensus_dialog(qtbot: QtBot, services: Services, account: str | None) -> AdvanceDialog:
    def never(_org: Any, _hints: Any) -> Any:
        raise AssertionError("nothing may be signed")

    dialog = AdvanceDialog(services, ORG, PASSED, NextAction.CREATE_CONSENSUS_CHECK,
                           account=account, sign=never)  # fmt: skip
    qtbot.addWidget(dialog)
    return dialog


def test_consensus_dialog_is_prefilled_and_checks_options_inline(
    qtbot: QtBot, services: Services
) -> None:
    dialog = consensus_dialog(qtbot, services, "0x" + "11" * 20)
    assert dialog.title.text() == "[Consensus Check] Lower the fee"
    assert dialog.body.toPlainText().endswith(
        "<!-- govdesk:initiative=idea-1 previous=temperature:0xtemperature -->\n"
    )
    assert not dialog.options.isReadOnly()
    assert dialog.voting_type.isEnabled()
    assert dialog.voting_type.currentText() == "ranked-choice"
    cases = [("5%", "ranked-choice", "at least two"), ("5%\n5%", "ranked-choice", "the same"),
             ("a\nb\nc\nd", "basic", "exactly 2 or 3")]  # fmt: skip
    for options, voting_type, message in cases:
        dialog.options.setPlainText(options)
        dialog.voting_type.setCurrentText(voting_type)
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
        assert message in dialog.error.text()
    dialog.options.setPlainText("5%\n8%\n\n10%")
    dialog.voting_type.setCurrentText("approval")
    draft = dialog.draft()
    assert draft.choices == ("5%", "8%", "10%")
    assert draft.voting_type == "approval"
    dialog.title.clear()
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Give the proposal a title."


def test_publishing_needs_an_account(qtbot: QtBot, services: Services) -> None:
    dialog = consensus_dialog(qtbot, services, None)
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    assert "Choose and unlock an account" in dialog.error.text()


def test_dialog_refuses_steps_it_cannot_create(services: Services) -> None:
    with pytest.raises(InputError, match="no Snapshot check"):
        AdvanceDialog(services, ORG, IDEA, NextAction.QUEUE, account=None, sign=None)


def test_next_step_from_the_board_opens_the_dialog_and_reports_an_unreachable_chain(
    qtbot: QtBot, qloop: object, services: Services
) -> None:
    from ui.views.advance_dialog import open_next_step

    services.orgs.save(ORG)
    idea = services.drafts.create("local", "Lower the marketplace fee", "Because.")
    window = MainWindow(services)
    qtbot.addWidget(window)
    column = next(iter(window.board.columns.values()))
    assert column.list.contextMenuPolicy() is Qt.ContextMenuPolicy.CustomContextMenu
    window.account = AccountContext("0x" + "11" * 20)
    open_next_step(window, idea.initiative_id)
    qtbot.waitUntil(lambda: bool(window.findChildren(AdvanceDialog)), timeout=10_000)
    dialog = window.findChildren(AdvanceDialog)[0]
    assert dialog.title.text() == "[Temperature Check] Lower the marketplace fee"
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.publish_button.isEnabled, timeout=10_000)
    # The space's rules are read before anything is signed: nothing reached the signer.
    assert "hub cannot be reached" in dialog.error.text()
    assert dialog.proposal_id == ""


def test_actions_builder_validates_inline(qtbot: QtBot, services: Services) -> None:
    builder = ActionsBuilderView(
        services.actions.onchain, ORG, "# Title", lambda _org, _hints: None
    )  # type: ignore[arg-type,return-value]
    qtbot.addWidget(builder)
    builder.contract.setCurrentText("ERC20")
    builder.function.setCurrentText("transfer(address,uint256)")
    assert [e.placeholderText() for e, _ in builder.arg_inputs] == ["address", "uint256"]
    assert not builder.value.isEnabled()  # transfer is not payable
    (to, to_error), (amount, amount_error) = builder.arg_inputs
    to.setText("0x123")
    amount.setText("-1")
    assert "not a valid Ethereum address" in to_error.text()
    assert "out of range" in amount_error.text()
    builder.target.setText("nope")
    assert builder.add_action() is None
    assert "target “nope”" in builder.action_error.text()
    builder.target.setText("0x" + "22" * 20)
    to.setText("0x" + "33" * 20)
    amount.setText("1_000")
    assert to_error.text() == ""
    assert amount_error.text() == ""
    call = builder.add_action()
    assert call is not None
    assert call.args == ("0x" + "33" * 20, 1000)
    assert builder.propose_button.isEnabled()
    builder.action_list.setCurrentRow(0)
    builder.remove_selected()
    assert builder.calls == []
    assert not builder.propose_button.isEnabled()


def test_parse_eth() -> None:
    assert parse_eth("") == 0
    assert parse_eth("1.5") == 1_500_000_000_000_000_000
    for bad in ("x", "-1", "0.0000000000000000001"):
        with pytest.raises(InputError):
            parse_eth(bad)


@pytest.mark.parametrize(
    ("state", "eta", "now", "queue", "execute", "left"),
    [(ProposalState.SUCCEEDED, 0, 100, True, False, 0),
     (ProposalState.QUEUED, 200, 100, False, False, 100),
     (ProposalState.QUEUED, 200, 200, False, True, 0),
     (ProposalState.QUEUED, 200, 300, False, True, 0),
     (ProposalState.ACTIVE, 0, 100, False, False, 0),
     (ProposalState.EXECUTED, 200, 300, False, False, 0)],
)  # fmt: skip
def test_timelock_step(
    state: ProposalState, eta: int, now: int, queue: bool, execute: bool, left: int
) -> None:
    step = timelock_step(state, eta, now)
    assert (step.queue, step.execute, step.seconds_left) == (queue, execute, left)


def test_countdown_text() -> None:
    assert countdown_text(59) == "0 min 59 s"
    assert countdown_text(2 * 3600 + 61) == "2 h 1 min 1 s"
    assert countdown_text(2 * 86400 + 3 * 3600 + 120) == "2 d 3 h 2 min"


def test_a_governor_without_timelock_executes_straight_from_succeeded() -> None:
    step = timelock_step(ProposalState.SUCCEEDED, 0, 100, needs_queue=False)
    assert (step.queue, step.execute) == (False, True)


def test_dialog_signer_source_signs_through_the_signing_dialog(services: Services) -> None:
    keys = Keys.over(services.account_manager())
    account: list[str | None] = [None]
    make = dialog_signer_source(None, keys, lambda: account[0])
    with pytest.raises(SigningError, match="Choose an account"):
        make(ORG, PreviewHints())
    account[0] = "0x" + "ab" * 20
    signer = make(ORG, PreviewHints())
    assert isinstance(signer, DialogSigner)
    assert signer.address == to_checksum_address("0x" + "ab" * 20)
