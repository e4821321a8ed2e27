"""The Simulate section of the detail view and the actions builder, against the real devnet."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.devnet.network import Devnet
from app.governor.model import ProposalState
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import devnet_organisations
from app.services import Services
from app.simulate.cache import SimulationCache
from app.usecases.signing import PreviewHints
from app.usecases.simulation import Simulations
from tests.integration.simulate.test_simulate_devnet import fee_call, propose
from ui.views.actions_builder_view import ActionsBuilderView
from ui.views.proposal_detail_view import ProposalDetailView
from ui.views.simulation_box import SimulationBox

pytestmark = [pytest.mark.integration, pytest.mark.gui, pytest.mark.usefixtures("qloop")]
T = TypeVar("T")


def no_signer(_org: object, _hints: PreviewHints) -> LocalKeySigner:
    raise AssertionError("a simulation signs nothing")


@pytest.fixture
def services(tmp_path: Path, isolated_devnet: Devnet) -> Iterator[Services]:
    orgs = devnet_organisations(isolated_devnet.describe())
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=orgs) as svc:
        yield svc


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 60_000) -> T:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def test_detail_view_simulates_the_proposal_and_shows_the_fee_change(
    qtbot: QtBot, isolated_devnet: Devnet, services: Services
) -> None:
    org = services.orgs.get("devnet-alpha")
    call = fee_call(isolated_devnet, "alpha", 8)
    pid = run(qtbot, propose(isolated_devnet, "alpha", [call], "# Set the marketplace fee to 8%"))
    found = run(qtbot, services.initiatives(org))
    initiative = next(i for i in found.initiatives if i.onchain and i.onchain.proposal_id == pid)

    view = ProposalDetailView(services, org, initiative.initiative_id)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.sections.findChild(SimulationBox) is not None, timeout=30_000)
    box = view.sections.findChild(SimulationBox)
    assert isinstance(box, SimulationBox)
    assert box.running  # started by itself
    qtbot.waitUntil(lambda: not box.running, timeout=30_000)

    shown = box.plain_text()
    assert "The action succeeds at block" in shown
    assert "GovernanceDecisions: marketplace fee 10% → 8%" in shown
    assert "MarketplaceFeeChanged(oldFee=10, newFee=8)" in shown
    assert box.run_button.text() == "Simulate again"
    assert not box.cancel_button.isVisible()


def test_actions_builder_says_where_the_actions_would_revert_and_cancel_stops(
    qtbot: QtBot, isolated_devnet: Devnet, services: Services
) -> None:
    org = services.orgs.get("devnet-alpha")
    builder = ActionsBuilderView(services.actions.onchain, org, "# Fees", no_signer)
    qtbot.addWidget(builder)
    builder.contract.setCurrentText("GovernanceDecisions")
    builder.target.setText(isolated_devnet.stack("alpha")["target"])
    builder.function.setCurrentText("setMarketplaceFee(uint8)")
    for fee in ("7", "150"):
        builder.arg_inputs[0][0].setText(fee)
        assert builder.add_action() is not None

    box = builder.simulation
    qtbot.mouseClick(box.run_button, Qt.MouseButton.LeftButton)
    box.cancel()  # before the worker even started
    assert box.status.text() == "Simulation cancelled."
    assert box.simulation is None

    with qtbot.waitSignal(box.finished, timeout=30_000):
        qtbot.mouseClick(box.run_button, Qt.MouseButton.LeftButton)
    shown = box.plain_text()
    assert "This would revert at action 2: GovernanceDecisions: fee must be below 100" in shown
    assert "Nothing would take effect" in shown


def test_a_cached_result_is_shown_at_once_for_the_same_proposal(
    qtbot: QtBot, isolated_devnet: Devnet, services: Services
) -> None:
    org = services.orgs.get("devnet-alpha")
    pid = run(
        qtbot, propose(isolated_devnet, "alpha", [fee_call(isolated_devnet, "alpha", 5)], "# 5%")
    )
    cache = SimulationCache()
    first = SimulationBox.for_proposal(
        Simulations(services.factories, cache), org, pid, ProposalState.ACTIVE
    )
    qtbot.addWidget(first)
    qtbot.waitUntil(lambda: first.simulation is not None, timeout=30_000)
    again = SimulationBox.for_proposal(
        Simulations(services.factories, cache), org, pid, ProposalState.ACTIVE
    )
    qtbot.addWidget(again)
    assert again.simulation is first.simulation  # shown before anything runs
    qtbot.waitUntil(lambda: again.run_button.isEnabled(), timeout=30_000)
    assert again.simulation is first.simulation  # same block: the cache answered
