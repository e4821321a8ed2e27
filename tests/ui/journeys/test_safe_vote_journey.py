"""Vote as a Safe from the proposal detail view, and the delegates page, on the seeded devnet (real Safe contracts, real
hub): Dev 1 owns the seeded "Dev 1's Safe" (1 of 1) and "Treasury" (2 of 3).

On chain, the Treasury's vote is previewed as what the Safe does, Dev 1's approval is collected,
and the outbox shows it waiting for one more signer. On Snapshot, Dev 1's own Safe votes at once
and the hub counts it with the Safe's power.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from web3 import Web3

from app.devnet.deploy import ALPHA_PARAMS, TOKEN, token_shares
from app.devnet.network import Devnet
from app.devnet.seed import ONCHAIN, TEMPERATURE
from app.devnet.seed_safes import SAFE_TOKENS, STATEMENTS
from app.keys.preview.calls import format_units
from app.orgs import devnet_organisations
from app.services import Services
from tests.ui.journeys.test_devnet_journeys import _add_dev_account, _cards, _window
from tests.ui.test_signing import PASSWORD, wait_for
from ui.views.delegates_view import DelegatesView
from ui.views.main_window import MainWindow
from ui.views.proposal_detail_view import ProposalDetailView
from ui.views.safe_vote_box import SafeVoteBox
from ui.views.signing_dialog import SigningDialog
from ui.views.statement_dialog import StatementDialog
from ui.views.unlock_dialog import UnlockDialog

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def _short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def _detail(qtbot: QtBot, window: MainWindow, title: str) -> ProposalDetailView:
    card = next(c for t, c in _cards(window).items() if title in t)
    view = window.open_detail(card)
    assert isinstance(view, ProposalDetailView)
    qtbot.waitUntil(lambda: view.detail is not None and bool(view.panels), timeout=30_000)
    return view


def _safe_box(qtbot: QtBot, view: ProposalDetailView) -> SafeVoteBox:
    """The one Safe box shown (the view may render again once the account's context arrives)."""

    def shown() -> list[SafeVoteBox]:
        return [b for b in view.findChildren(SafeVoteBox) if b.isVisibleTo(view)]

    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=30_000)
    return shown()[0]


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
    box = _safe_box(qtbot, view)
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
    box = _safe_box(qtbot, view)
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


def test_the_delegates_page_ranks_the_seeded_devnet_with_numbers_and_statements(
    qtbot: QtBot, qloop: object, services: Services, seeded: Devnet
) -> None:
    window = _window(qtbot, services, seeded)
    window.reload_orgs(select="devnet-alpha")
    qtbot.waitUntil(lambda: ONCHAIN[0] in " ".join(_cards(window)), timeout=30_000)
    me = _add_dev_account(qtbot, window, 9)  # holds tokens, never delegated
    accounts = seeded.accounts
    shares = token_shares(ALPHA_PARAMS.supply, len(accounts))
    safes = seeded.safes
    # Dev 0 handed the Safes their tokens; Dev 8 and Dev 9 never delegated.
    expected = sorted(
        [(accounts[0].address, shares[0] - sum(SAFE_TOKENS.values()) * TOKEN)]
        + [(accounts[i].address, shares[i]) for i in range(1, 8)]
        + [(safes[name], amount * TOKEN) for name, amount in SAFE_TOKENS.items()],
        key=lambda pair: -pair[1],
    )
    view = window.show_delegates()
    assert isinstance(view, DelegatesView)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.table.rowCount() == len(expected), timeout=30_000)
    rows = [[view.table.item(r, c).text() for c in range(5)] for r in range(len(expected))]
    names = {address: f"{name} {address}" for name, address in safes.items()}  # followed Safes
    assert rows == [
        [str(rank), names.get(address, address), format_units(votes, 18, "BTRST"), "1",
         "0 of the last 1"]
        for rank, (address, votes) in enumerate(expected, start=1)
    ]  # fmt: skip
    assert view.to_me.text() == "Nobody else delegates their votes to this account."
    assert view.status.text() == f"{len(expected)} delegates hold votes in Devnet (alpha)."

    # Statements: a link where Snapshot has one, opening the whole text.
    by_address = {address: rank for rank, (address, _votes) in enumerate(expected)}
    dev1 = by_address[accounts[1].address]
    link = view.table.cellWidget(dev1, 5)
    assert isinstance(link, QLabel)
    assert STATEMENTS[0][1] in link.text()  # the summary, as a link
    assert view.table.cellWidget(by_address[accounts[3].address], 5) is None
    assert view.table.item(by_address[accounts[3].address], 5).text() == "—"
    link.linkActivated.emit("statement")
    dialog = wait_for(qtbot, StatementDialog)
    assert dialog.about.text() == STATEMENTS[0][1]
    assert "I vote on every proposal" in dialog.body.toPlainText()
    assert dialog.web.text() == "On Snapshot space alpha.govdesk.eth."  # no web app locally
    dialog.close()

    # Delegate in two clicks, through the signing preview: the Treasury gets Dev 9's votes.
    treasury = by_address[safes["Treasury"]]
    view.table.selectRow(treasury)
    view.delegate_button.click()
    signing = wait_for(qtbot, SigningDialog, timeout=20_000)
    assert signing.preview.title == "Delegate voting power"
    assert not signing.preview.dangerous
    _accept_and_unlock(qtbot, signing)
    target = safes["Treasury"]
    qtbot.waitUntil(lambda: view.status.text() == f"Your votes now go to Treasury {target}.",
                    timeout=30_000)  # fmt: skip
    moved = [r for r in range(view.table.rowCount())
             if view.table.item(r, 1).text() == f"Treasury {target}"]  # fmt: skip
    assert len(moved) == 1
    assert view.table.item(moved[0], 2).text() == format_units(
        SAFE_TOKENS["Treasury"] * TOKEN + shares[9], 18, "BTRST")  # fmt: skip
    assert view.table.item(moved[0], 3).text() == "2"
    assert me


def _accept_and_unlock(qtbot: QtBot, signing: SigningDialog) -> None:
    signing.accept()
    unlock = wait_for(qtbot, UnlockDialog)
    unlock.password.setText(PASSWORD)
    unlock.try_unlock()


def test_the_accounts_page_says_who_delegates_to_the_account(
    qtbot: QtBot, qloop: object, services: Services, seeded: Devnet
) -> None:
    from tests.integration.helpers import contract, send
    from tests.ui.test_signing import run
    from ui.signing import Keys
    from ui.views.accounts_page import AccountsPage

    org = next(o for o in devnet_organisations(seeded.describe()) if o.slug == "devnet-alpha")
    accounts = seeded.accounts
    w3 = Web3(Web3.HTTPProvider(seeded.rpc_url))
    token = contract(w3, "CompToken", seeded.stack("alpha")["token"])
    keys = Keys.over(services.account_manager())
    page = AccountsPage(keys, lambda: org, actions=services.actions)
    qtbot.addWidget(page)
    page.show()
    info = run(qtbot, keys.manager.import_private_key(accounts[1].dev_key, PASSWORD,
                                                      label="Ops key"), page)  # fmt: skip
    page.refresh(select=info.address)
    box = page.delegation
    assert box is not None
    qtbot.waitUntil(lambda: box.to_me.text() == "Nobody else delegates their BTRST votes to "
                    "Ops key.", timeout=20_000)  # fmt: skip
    for index in (8, 9):
        send(w3, token.functions.delegate(info.address), accounts[index].address)
    page.refresh(select=info.address)
    qtbot.waitUntil(lambda: box.to_me.text().startswith("2 accounts delegate"), timeout=20_000)
    assert box.to_me.text() == (
        f"2 accounts delegate their BTRST votes to Ops key: {accounts[8].address}, "
        f"{accounts[9].address}."
    )
