"""Vote as a Safe from the proposal detail view, on the seeded devnet (real Safe contracts, real
hub): Dev 1 owns the seeded "Dev 1's Safe" (1 of 1) and "Treasury" (2 of 3).

On chain, the Treasury's vote is previewed as what the Safe does, Dev 1's approval is collected,
and the outbox shows it waiting for one more signer. On Snapshot, Dev 1's own Safe votes at once
and the hub counts it with the Safe's power.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.devnet.network import Devnet
from app.devnet.seed import ONCHAIN, TEMPERATURE
from app.devnet.seed_safes import SAFE_TOKENS
from app.services import Services
from tests.ui.journeys.test_devnet_journeys import _add_dev_account, _cards, _window
from tests.ui.test_signing import PASSWORD, wait_for
from ui.views.main_window import MainWindow
from ui.views.proposal_detail_view import ProposalDetailView
from ui.views.safe_vote_box import SafeVoteBox
from ui.views.signing_dialog import SigningDialog
from ui.views.unlock_dialog import UnlockDialog

pytestmark = [pytest.mark.gui, pytest.mark.integration]


@pytest.fixture(scope="module")
def alpha() -> Iterator[Devnet]:
    with Devnet(stacks=("alpha",)) as devnet:
        yield devnet


@pytest.fixture
def seeded(alpha: Devnet) -> Iterator[Devnet]:
    snapshot = alpha.control.snapshot()
    try:
        yield alpha
    finally:
        alpha.control.revert(snapshot)


def _short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def _detail(qtbot: QtBot, window: MainWindow, title: str) -> ProposalDetailView:
    card = next(c for t, c in _cards(window).items() if title in t)
    view = window.open_detail(card)
    assert isinstance(view, ProposalDetailView)
    qtbot.waitUntil(lambda: view.detail is not None and bool(view.panels), timeout=30_000)
    return view


def _safe_box(view: ProposalDetailView) -> SafeVoteBox:
    boxes = [b for b in view.findChildren(SafeVoteBox) if b.isVisibleTo(view)]
    assert len(boxes) == 1, boxes
    return boxes[0]


def _sign_as_owner(qtbot: QtBot) -> str:
    """Accept the signing preview (unlocking the key if asked); the preview's title."""
    signing = wait_for(qtbot, SigningDialog, timeout=20_000)
    title = signing.preview.title
    assert not signing.preview.dangerous
    signing.accept()
    qtbot.wait(200)
    unlocks = [w for w in QApplication.allWidgets() if isinstance(w, UnlockDialog)
               and w.isVisible()]  # fmt: skip
    if unlocks:
        unlocks[-1].password.setText(PASSWORD)
        unlocks[-1].try_unlock()
    return title


def test_an_owner_votes_as_a_safe_from_the_proposal_detail_view(
    qtbot: QtBot, qloop: object, services: Services, seeded: Devnet
) -> None:
    window = _window(qtbot, services, seeded)
    window.reload_orgs(select="devnet-alpha")
    qtbot.waitUntil(lambda: ONCHAIN[0] in " ".join(_cards(window)), timeout=30_000)
    _add_dev_account(qtbot, window, 1)
    treasury, mine = seeded.safes["Treasury"], seeded.safes["Dev 1's Safe"]

    # On chain: the Treasury (2 of 3) votes For; Dev 1 approves, one more owner is needed.
    view = _detail(qtbot, window, ONCHAIN[0])
    box = _safe_box(view)
    assert [box.picker.itemText(i) for i in range(box.picker.count())] == [
        f"Dev 1's Safe — Safe {_short(mine)} (1 of 1)",
        f"Treasury — Safe {_short(treasury)} (2 of 3)",
    ]
    box.vote_button.click()  # nothing chosen yet
    assert box.status.text() == "Choose an option above first; the Safe votes the same way."
    view.panels[-1].group.button(1).setChecked(True)  # For
    box.picker.setCurrentIndex(1)
    box.vote_button.click()
    title = _sign_as_owner(qtbot)
    proposal_id = view.detail.onchain.proposal.created.proposal_id  # type: ignore[union-attr]
    assert title == f"Safe {_short(treasury)} (2 of 3) votes For on proposal {proposal_id}"
    qtbot.waitUntil(lambda: "waiting for 1 more signer" in box.status.text(), timeout=30_000)
    assert box.status.text().startswith(f"Safe {_short(treasury)} (2 of 3) votes For")

    outbox = window.outbox.show()
    rows = [outbox.tree.topLevelItem(i) for i in range(outbox.tree.topLevelItemCount())]
    waiting = [(r.text(1), r.text(3)) for r in rows if r is not None]
    assert (treasury, "waiting for 1 more signer") in waiting
    outbox.close()
    view.close()

    # On Snapshot: Dev 1's own Safe (1 of 1) votes "No" at once; the hub counts its power.
    view = _detail(qtbot, window, TEMPERATURE[0])
    box = _safe_box(view)
    box.picker.setCurrentIndex(0)
    (panel,) = view.panels
    panel.group.button(2).setChecked(True)  # type: ignore[attr-defined]
    box.vote_button.click()
    title = _sign_as_owner(qtbot)
    assert title.startswith(f"Safe {_short(mine)} (1 of 1) votes No")
    qtbot.waitUntil(lambda: "sent to Snapshot as the Safe" in box.status.text(), timeout=30_000)
    hub = seeded.hub
    assert hub is not None
    rows = hub.store.query("SELECT vp, choice FROM votes WHERE voter = ?", (mine,))
    assert [(r["vp"], r["choice"]) for r in rows] == [(SAFE_TOKENS["Dev 1's Safe"], 2)]
