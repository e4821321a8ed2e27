"""The desktop app on the Braintrust profile devnet: board, detail view and an on-chain vote.

The organisation is the devnet's Braintrust-shaped one ("BTRST Governor Alpha", `BTRST()` getter,
quorum 100,000 BTRST, threshold 500, a 17,280-block voting period, 7-day timelock), with its token
address known, as the Braintrust preset has. Real anvil, real local hub, real Qt widgets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.chain.rpc import RpcClient
from app.devnet.deploy import STACK_PARAMS
from app.devnet.network import Devnet
from app.governor.client import GovernorClient
from app.governor.writer import ProposedCall
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Organisation, devnet_organisations
from app.pipeline.model import AccountContext, Phase
from app.services import Services
from app.usecases.signing import PreviewHints, SignerSource
from ui.models.board_model import CardRole
from ui.views.board_view import BoardView
from ui.views.proposal_detail_view import ProposalDetailView
from ui.widgets.result_bars import ResultBars
from ui.widgets.vote_panels import OnchainPanel

pytestmark = [pytest.mark.integration, pytest.mark.gui]
T = TypeVar("T")
PARAMS = STACK_PARAMS["braintrust"]


@pytest.fixture(scope="module")
def braintrust_devnet() -> Iterator[Devnet]:
    with Devnet(stacks=("braintrust",)) as net:
        yield net


@pytest.fixture
def services(tmp_path: Path, braintrust_devnet: Devnet) -> Iterator[Services]:
    orgs = devnet_organisations(braintrust_devnet.describe())
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=orgs) as svc:
        yield svc


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 60_000) -> T:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def source_for(signer: LocalKeySigner) -> SignerSource:
    """The use cases' SignerSource for a local key (the app hands in the signing dialog)."""

    def make(_org: Organisation, _hints: PreviewHints) -> LocalKeySigner:
        return signer

    return make


async def propose(devnet: Devnet, org: Organisation, signer: LocalKeySigner) -> int:
    async with RpcClient(org.network.rpc_urls, chain_id=org.network.chain_id) as rpc:
        gov = await GovernorClient.open(
            rpc, org.governor, multicall_address=org.network.multicall, token=org.token
        )
        call = ProposedCall(devnet.stack("braintrust")["target"], "setMarketplaceFee(uint8)", (8,))
        created = await gov.propose(signer, [call], "# Lower the marketplace fee to 8%")
    return created.proposal_id


def onchain_bars(view: ProposalDetailView) -> list[tuple[str, str, str]]:
    box = view.sections.findChild(object, "section-onchain")
    return box.findChildren(ResultBars)[0].rows()  # type: ignore[union-attr,no-any-return]


@pytest.mark.usefixtures("qloop")
def test_board_detail_and_vote_on_the_braintrust_profile(
    qtbot: QtBot, braintrust_devnet: Devnet, services: Services
) -> None:
    devnet = braintrust_devnet
    org = services.orgs.get("devnet-braintrust")
    assert org.token == devnet.stack("braintrust")["token"]  # known, so passed everywhere
    proposer = LocalKeySigner(devnet.accounts[0].dev_key, chain_id=devnet.chain_id)
    voter = LocalKeySigner(devnet.accounts[1].dev_key, chain_id=devnet.chain_id)
    run(qtbot, propose(devnet, org, proposer))
    devnet.control.mine(PARAMS.voting_delay + 1)

    board = BoardView()
    qtbot.addWidget(board)
    result = run(qtbot, services.board(org, AccountContext(voter.address, delegated=True)))
    assert result.problems == []
    board.set_cards(result.cards)
    column = board.columns[Phase.ONCHAIN]
    assert column.proxy.rowCount() == 1
    card = column.proxy.index(0, 0).data(CardRole.CARD)
    assert card.title == "Lower the marketplace fee to 8%"
    with qtbot.waitSignal(board.card_activated, timeout=2000) as activated:
        column.list.activated.emit(column.proxy.index(0, 0))
    assert activated.args[0].initiative_id == card.initiative_id

    view = ProposalDetailView(services, org, card.initiative_id, account=voter.address,
                              sign=source_for(voter))  # fmt: skip
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=30_000)
    assert view.detail is not None
    assert view.detail.problems == ()
    onchain = view.detail.onchain
    assert onchain is not None
    assert onchain.symbol == "BTRST"
    assert onchain.proposal.status.quorum == PARAMS.quorum
    (panel,) = view.panels
    assert isinstance(panel, OnchainPanel)
    assert panel.reason.isHidden()  # Braintrust's Alpha takes no reason
    assert [b.text() for b in panel.group.buttons()] == ["For", "Against"]
    assert panel.power_label.text() == "Your voting power: 62,500,000 BTRST"  # 25% of 250M

    panel.group.button(1).setChecked(True)  # Support.FOR
    with qtbot.waitSignal(view.vote_sent, timeout=30_000):
        qtbot.mouseClick(panel.vote_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: onchain_bars(view)[0][1] == "100.0%", timeout=30_000)
    assert onchain_bars(view)[0][0] == "For"
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Results" in view.verify_label.text(), timeout=30_000)
    assert view.verify_label.text() == (
        "On-chain vote: Results verified: 1 votes recounted, totals match"
    )
