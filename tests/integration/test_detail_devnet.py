"""The proposal detail view and the voting panels against the real devnet: anvil + local hub.

Votes of every Snapshot type are made with the panels and counted by the hub; the detail view
shows a real proposal's bars, casts votes (Snapshot and on-chain) through an injected signing
callable, and its "Verify results" button recounts them to a match.
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
from app.devnet.network import Devnet
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Organisation, devnet_organisations
from app.pipeline import advance
from app.pipeline.detail import load_detail
from app.pipeline.detail_checks import verify_snapshot
from app.services import Services
from ui.views.proposal_detail_view import ProposalDetailView
from ui.widgets.result_bars import ResultBars
from ui.widgets.vote_panels import (
    ApprovalPanel,
    OnchainPanel,
    RankedPanel,
    SingleChoicePanel,
    VotePanel,
    WeightedPanel,
    snapshot_panel,
)

pytestmark = [pytest.mark.integration, pytest.mark.gui]
T = TypeVar("T")
OPTIONS = ("5%", "8%", "10%")


@pytest.fixture
def services(tmp_path: Path, isolated_devnet: Devnet) -> Iterator[Services]:
    orgs = devnet_organisations(isolated_devnet.describe())
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=orgs) as svc:
        yield svc


def click_vote(qtbot: QtBot, panel: VotePanel) -> object:
    with qtbot.waitSignal(panel.vote_requested, timeout=2000) as blocker:
        qtbot.mouseClick(panel.vote_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]  # type: ignore[index]


def choose(panel: VotePanel) -> None:
    """Make a choice the way a person would, for each panel type."""
    if isinstance(panel, SingleChoicePanel):
        panel.group.button(2).setChecked(True)
    elif isinstance(panel, ApprovalPanel):
        panel.boxes[0].setChecked(True)
        panel.boxes[2].setChecked(True)
    elif isinstance(panel, RankedPanel):
        panel.move_option(2, 0)
    elif isinstance(panel, WeightedPanel):
        panel.spins[0].setValue(1)
        panel.spins[1].setValue(3)


EXPECTED = {
    "single-choice": 2, "basic": 2, "approval": [1, 3], "ranked-choice": [3, 1, 2],
    "copeland": [3, 1, 2], "weighted": {"1": 1, "2": 3}, "quadratic": {"1": 1, "2": 3},
}  # fmt: skip


async def test_a_vote_of_each_type_from_the_panels_is_counted_by_the_hub(
    qtbot: QtBot, isolated_devnet: Devnet, services: Services
) -> None:
    org = services.orgs.get("devnet-alpha")
    demo = Demo(isolated_devnet, "alpha", services, lambda _line: None, SharedClock())
    voter = demo.signers[2]
    try:
        for voting_type, expected in EXPECTED.items():
            choices = ("For", "Against", "Abstain") if voting_type == "basic" else OPTIONS
            pid = await demo.publish(f"Fee ({voting_type})", "Which fee?", choices, voting_type)
            proposal = await demo.hub.proposal(pid)
            assert proposal is not None
            panel = snapshot_panel(voting_type, proposal.choices, 1.0)
            qtbot.addWidget(panel)
            choose(panel)
            choice = click_vote(qtbot, panel)
            assert choice == expected, voting_type
            await services.actions.offchain.vote(org, lambda _o, _h, v=voter: v, proposal, choice)
            votes = await demo.hub.votes(pid)
            counted = await demo.hub.proposal(pid)
            assert counted is not None
            assert [(v.voter, v.choice) for v in votes] == [(voter.address, expected)]
            assert counted.scores_total == votes[0].vp > 0, voting_type
            assert verify_snapshot(voting_type, counted, votes).matches, voting_type
    finally:
        await demo.close()


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 60_000) -> T:
    """Run ``coro`` on the (already running) qasync loop while Qt processes events."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def open_view(qtbot: QtBot, services: Services, org: Organisation, initiative_id: str,
              signer: LocalKeySigner) -> ProposalDetailView:  # fmt: skip
    view = ProposalDetailView(services, org, initiative_id, account=signer.address,
                              sign=lambda _org, _hints: signer)  # fmt: skip
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=30_000)
    return view


def bars_of(view: ProposalDetailView, section: str) -> list[tuple[str, str, str]]:
    box = view.sections.findChild(object, f"section-{section}")
    bars = box.findChildren(ResultBars)  # type: ignore[union-attr]
    return bars[0].rows()  # type: ignore[no-any-return]


@pytest.mark.usefixtures("qloop")
def test_detail_view_shows_votes_casts_and_verifies(
    qtbot: QtBot, isolated_devnet: Devnet, services: Services
) -> None:
    org = services.orgs.get("devnet-alpha")
    demo = Demo(isolated_devnet, "alpha", services, lambda _line: None, SharedClock())
    idea = services.drafts.create(org.slug, "Lower the marketplace fee", "The fee is **10%**.")
    tc = advance.temperature_check(initiative_id=idea.initiative_id, title=idea.title,
                                   body=idea.body, discussion="", conventions=org.conventions)  # fmt: skip
    try:
        tc_id = run(qtbot, demo.publish(tc.title, tc.body, tc.choices, tc.voting_type))
        run(qtbot, demo.vote(tc_id, tc.voting_type, 0, 1, len(tc.choices)))
        run(qtbot, demo.vote(tc_id, tc.voting_type, 1, 2, len(tc.choices)))
        pid = run(qtbot, demo.propose_member("# Add Alice to the foundation", "Alice"))
        hub_votes = run(qtbot, demo.hub.votes(tc_id))
    finally:
        run(qtbot, demo.close())
    yes = next(v.vp for v in hub_votes if v.choice == 1)
    no = next(v.vp for v in hub_votes if v.choice == 2)

    view = open_view(qtbot, services, org, idea.initiative_id, demo.signers[3])
    assert view.detail is not None
    assert view.detail.problems == ()
    rows = bars_of(view, "temperature")
    assert [r[0] for r in rows] == list(tc.choices)
    assert rows[0][1] == f"{100 * yes / (yes + no):.1f}%"
    assert "10%" in view.body.toPlainText()
    assert view.voters_model.rowCount() == 2

    panel = view.panels[0]
    assert isinstance(panel, SingleChoicePanel)
    panel.group.button(1).setChecked(True)
    with qtbot.waitSignal(view.vote_sent, timeout=30_000):
        qtbot.mouseClick(panel.vote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.voters_model.rowCount() == 3, timeout=30_000)
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Results" in view.verify_label.text(), timeout=30_000)
    assert view.verify_label.text() == (
        "Temperature check: Results verified: 3 votes recounted, totals match"
    )

    found = run(qtbot, services.initiatives(org))
    onchain_id = next(i.initiative_id for i in found.initiatives
                      if i.onchain and i.onchain.proposal_id == pid)  # fmt: skip
    chain_view = open_view(qtbot, services, org, onchain_id, demo.signers[1])
    panel = chain_view.panels[0]
    assert isinstance(panel, OnchainPanel)
    assert panel.reason.isHidden()  # GovernorAlpha takes no reason
    assert [b.text() for b in panel.group.buttons()] == ["For", "Against"]
    panel.group.button(1).setChecked(True)  # Support.FOR
    with qtbot.waitSignal(chain_view.vote_sent, timeout=30_000):
        qtbot.mouseClick(panel.vote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bars_of(chain_view, "onchain")[0][1] == "100.0%", timeout=30_000)
    qtbot.mouseClick(chain_view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Results" in chain_view.verify_label.text(), timeout=30_000)
    assert chain_view.verify_label.text() == (
        "On-chain vote: Results verified: 1 votes recounted, totals match"
    )


async def test_load_detail_explains_zero_power(isolated_devnet: Devnet, services: Services) -> None:
    org = services.orgs.get("devnet-alpha")
    demo = Demo(isolated_devnet, "alpha", services, lambda _line: None, SharedClock())
    try:
        pid = await demo.propose_member("# Add Bob", "Bob")
    finally:
        await demo.close()
    found = await services.initiatives(org)
    initiative = next(i for i in found.initiatives if i.onchain and i.onchain.proposal_id == pid)
    stranger = "0x" + "42" * 20
    detail = await load_detail(org, initiative, stranger)
    assert detail.onchain is not None
    assert detail.onchain.power.power == 0
    assert detail.onchain.power.balance == 0
    assert detail.onchain.power.delegate is not None
    assert int(detail.onchain.power.delegate, 16) == 0
