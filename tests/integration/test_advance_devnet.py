"""Create-and-advance and queue/execute in the window, against the real devnet (anvil + local hub).

A temperature check is created from an idea through AdvanceDialog and signed by a test
``request_signature``; the hub stores it and the board links it to the idea by its footer. An
on-chain action (setMarketplaceFee on the GovernanceDecisions target) is built and proposed in
ActionsBuilderView; once it has passed, the detail view's Queue and Execute buttons follow the
proposal's state and the chain's clock, and executing changes the fee.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.devnet.demo import Demo, SharedClock
from app.devnet.deploy import STACK_PARAMS
from app.devnet.network import Devnet
from app.governor.model import ProposalState, Support
from app.keys.signer_protocol import Signer
from app.orgs import Organisation, devnet_organisations
from app.pipeline import advance
from app.pipeline.model import AccountContext, CheckKind, Initiative, OffchainCheck, Phase
from app.pipeline.phases import NextAction
from app.ports import Factories
from app.services import Services
from ui.views.actions_builder_view import ActionsBuilderView
from ui.views.advance_dialog import AdvanceDialog, advance_step, onchain_description
from ui.views.proposal_detail_view import ProposalDetailView
from ui.views.timelock_box import TimelockBox

pytestmark = [pytest.mark.integration, pytest.mark.gui, pytest.mark.usefixtures("qloop")]
T = TypeVar("T")


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 60_000) -> T:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@pytest.fixture
def services(tmp_path: Path, isolated_devnet: Devnet) -> Iterator[Services]:
    orgs = devnet_organisations(isolated_devnet.describe())
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=orgs) as svc:
        yield svc


@pytest.fixture
def demo(qtbot: QtBot, isolated_devnet: Devnet, services: Services) -> Iterator[Demo]:
    demo = Demo(isolated_devnet, "alpha", services, lambda _line: None, SharedClock())
    yield demo
    run(qtbot, demo.close())


def test_temperature_check_from_an_idea_reaches_the_hub_and_the_board(
    qtbot: QtBot, isolated_devnet: Devnet, services: Services, demo: Demo
) -> None:
    org = services.orgs.get("devnet-alpha")
    idea = services.drafts.create(org.slug, "Lower the marketplace fee", "The fee is 10%.")
    found = run(qtbot, services.initiatives(org))
    initiative = next(i for i in found.initiatives if i.initiative_id == idea.initiative_id)
    author = demo.signers[0]
    step = advance_step(initiative, author.address, int(services.clock()), org)
    assert step is NextAction.CREATE_TEMPERATURE_CHECK
    dialog = AdvanceDialog(services, org, initiative, step, account=author.address,
                           sign=fixed_signer(author))  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.title.text() == "[Temperature Check] Lower the marketplace fee"
    assert dialog.options.toPlainText() == "Yes\nNo"
    assert dialog.options.isReadOnly()
    assert not dialog.voting_type.isEnabled()

    dialog.body.setPlainText("The fee is 10%.")  # the reference footer removed: refused inline
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    assert "reference line" in dialog.error.text()
    assert dialog.proposal_id == ""
    dialog._prefill(consensus=False)

    head = isolated_devnet.control.block_number()
    with qtbot.waitSignal(dialog.published, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    pid = blocker.args[0]  # type: ignore[index]
    stored = run(qtbot, demo.hub.proposal(pid))
    assert stored is not None
    assert stored.title == "[Temperature Check] Lower the marketplace fee"
    assert stored.choices == ("Yes", "No")
    assert stored.snapshot == head - 4
    assert f"initiative={idea.initiative_id}" in stored.body

    board = run(qtbot, services.board(org, AccountContext(None)))
    card = next(c for c in board.cards if c.initiative_id == idea.initiative_id)
    assert card.phase is Phase.OFFCHAIN
    assert len(board.cards) == len(found.initiatives)  # linked to the idea, not a new card
    linked = run(qtbot, services.initiatives(org))
    temperature = next(i for i in linked.initiatives if i.initiative_id == idea.initiative_id)
    assert temperature.temperature is not None
    assert temperature.temperature.proposal_id == pid


def fixed_signer(signer: Signer) -> Any:
    """A SignerSource (app.usecases.signing) that always signs with ``signer``."""

    def make(_org: Organisation, _hints: object) -> Signer:
        return signer

    return make


async def vote_through(org: Organisation, demo: Demo, pid: int) -> ProposalState:
    params = STACK_PARAMS["alpha"]
    demo.devnet.control.mine(params.voting_delay + 1)
    async with Factories().governor(org) as governor:
        for signer in demo.signers[:4]:
            await governor.cast_vote(signer, pid, Support.FOR)
        demo.devnet.control.mine(params.voting_period + 1)
        return (await governor.proposal(pid)).status.state


def timelock_box(view: ProposalDetailView, state: ProposalState) -> TimelockBox | None:
    boxes = [b for b in view.findChildren(TimelockBox) if b.state is state]
    return boxes[-1] if boxes and boxes[-1].chain_offset is not None else None


def test_build_propose_queue_and_execute_a_fee_change(
    qtbot: QtBot, isolated_devnet: Devnet, services: Services, demo: Demo
) -> None:
    org = services.orgs.get("devnet-alpha")
    idea = services.drafts.create(org.slug, "Set the marketplace fee to 7%", "Lower it.")
    found = run(qtbot, services.initiatives(org))
    initiative = next(i for i in found.initiatives if i.initiative_id == idea.initiative_id)
    with pytest.raises(Exception, match="no winning option"):
        onchain_description(initiative)
    description = f"# {idea.title}\n\nLower it.\n\nResolution agreed off-chain: 7%"
    proposer = demo.signers[0]
    builder = ActionsBuilderView(services.actions.onchain, org, description, fixed_signer(proposer))
    qtbot.addWidget(builder)
    assert builder.contract.currentText() == "GovernanceDecisions"
    builder.function.setCurrentText("setMarketplaceFee(uint8)")
    builder.target.setText(demo.addrs["target"])
    edit, error = builder.arg_inputs[0]
    edit.setText("300")
    assert "out of range (0 to 255)" in error.text()
    assert builder.add_action() is None
    assert not builder.propose_button.isEnabled()
    edit.setText("7")
    assert error.text() == ""
    assert builder.add_action() is not None
    with qtbot.waitSignal(builder.proposed, timeout=30_000) as blocker:
        qtbot.mouseClick(builder.propose_button, Qt.MouseButton.LeftButton)
    pid = int(blocker.args[0])  # type: ignore[index]
    assert run(qtbot, vote_through(org, demo, pid)) is ProposalState.SUCCEEDED

    found = run(qtbot, services.initiatives(org))
    onchain_id = next(i.initiative_id for i in found.initiatives
                      if i.onchain and i.onchain.proposal_id == pid)  # fmt: skip
    view = ProposalDetailView(services, org, onchain_id, account=proposer.address,
                              sign=fixed_signer(proposer))  # fmt: skip
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: timelock_box(view, ProposalState.SUCCEEDED) is not None, timeout=30_000)
    box = timelock_box(view, ProposalState.SUCCEEDED)
    assert box is not None
    assert box.queue_button.isEnabled()
    assert not box.execute_button.isEnabled()
    with qtbot.waitSignal(box.sent, timeout=30_000):
        qtbot.mouseClick(box.queue_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: timelock_box(view, ProposalState.QUEUED) is not None, timeout=30_000)
    queued = timelock_box(view, ProposalState.QUEUED)
    assert queued is not None
    assert not queued.queue_button.isEnabled()
    assert not queued.execute_button.isEnabled()
    assert queued.countdown.text().startswith("Executable in ")
    head = isolated_devnet.control.timestamp()
    isolated_devnet.control.increase_time(queued.eta - head + 1)
    view.reload()
    qtbot.waitUntil(
        lambda: (
            (b := timelock_box(view, ProposalState.QUEUED)) is not None
            and b is not queued
            and b.execute_button.isEnabled()
        ),
        timeout=30_000,
    )
    ready = timelock_box(view, ProposalState.QUEUED)
    assert ready is not None
    assert ready.countdown.text() == "Ready to execute"
    assert run(qtbot, demo.read_fee()) == 10
    with qtbot.waitSignal(ready.sent, timeout=30_000):
        qtbot.mouseClick(ready.execute_button, Qt.MouseButton.LeftButton)
    assert run(qtbot, demo.read_fee()) == 7


def test_consensus_check_with_edited_options_links_to_its_temperature_check(
    qtbot: QtBot, isolated_devnet: Devnet, services: Services, demo: Demo
) -> None:
    org = services.orgs.get("devnet-alpha")
    idea = services.drafts.create(org.slug, "Marketplace fee level", "Which fee?")
    tc = advance.temperature_check(initiative_id=idea.initiative_id, title=idea.title,
                                   body=idea.body, discussion="", conventions=org.conventions)  # fmt: skip
    tc_id = run(qtbot, demo.publish(tc.title, tc.body, tc.choices, tc.voting_type))
    # The hub's clock is the wall clock here, so the passed check is given, not waited for.
    passed = OffchainCheck(tc_id, CheckKind.TEMPERATURE, "single-choice", ("Yes", "No"), 0, 1,
                           (3.0, 1.0), 4.0)  # fmt: skip
    initiative = Initiative(idea.initiative_id, idea.title, idea.body, temperature=passed)
    author = demo.signers[0]
    dialog = AdvanceDialog(services, org, initiative, NextAction.CREATE_CONSENSUS_CHECK,
                           account=author.address, sign=fixed_signer(author))  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.options.setPlainText("5%\n8%\n10%")
    dialog.voting_type.setCurrentText("ranked-choice")
    with qtbot.waitSignal(dialog.published, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    cc_id = blocker.args[0]  # type: ignore[index]
    stored = run(qtbot, demo.hub.proposal(cc_id))
    assert stored is not None
    assert (stored.title, stored.type) == (
        "[Consensus Check] Marketplace fee level",
        "ranked-choice",
    )
    assert stored.choices == ("5%", "8%", "10%")
    found = run(qtbot, services.initiatives(org))
    linked = next(i for i in found.initiatives if i.initiative_id == idea.initiative_id)
    assert linked.temperature is not None
    assert linked.temperature.proposal_id == tc_id
    assert linked.consensus is not None
    assert linked.consensus.proposal_id == cc_id
