"""Journeys on the built-in devnet and its hub, seeded with the README's board: what a new user
sees after adding a ready-made dev account, and an on-chain vote from the detail view."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.devnet.network import Devnet
from app.devnet.seed import IDEAS, ONCHAIN, TEMPERATURE, seed_board
from app.orgs import Organisation, devnet_organisations
from app.pipeline.board import Card
from app.pipeline.phases import NextAction
from app.services import Services
from tests.ui.test_accounts import fill_and_accept
from tests.ui.test_signing import PASSWORD, run, wait_for
from ui.models.board_model import FilterMode
from ui.signing import Keys
from ui.views.accounts_page import AccountsPage
from ui.views.main_window import MainWindow
from ui.views.proposal_detail_view import ProposalDetailView
from ui.views.signing_dialog import SigningDialog
from ui.views.unlock_dialog import UnlockDialog

pytestmark = pytest.mark.gui


def _org(devnet: Devnet) -> Organisation:
    return next(o for o in devnet_organisations(devnet.describe()) if o.slug == "devnet-alpha")


def _window(qtbot: QtBot, services: Services, devnet: Devnet) -> MainWindow:
    services.orgs.add_presets(devnet_organisations(devnet.describe()))
    window = MainWindow(services)
    qtbot.addWidget(window)
    run(qtbot, seed_board(devnet, services, _org(devnet), interval_s=None), window)
    window.resize(1200, 760)
    window.show()
    return window


def _cards(window: MainWindow) -> dict[str, Card]:
    model = window.board.model
    return {model.card(r).title: model.card(r) for r in range(model.rowCount())}


def _add_dev_account(qtbot: QtBot, window: MainWindow, index: int) -> str:
    page = window.show_accounts().page
    page.on_dev_account()
    fill_and_accept(page, index=str(index), password=PASSWORD, repeat=PASSWORD)
    qtbot.waitUntil(lambda: window.account.address is not None, timeout=20_000)
    address = window.account.address
    assert address is not None
    assert f"Dev {index}" in window.account_selector.currentText()  # not "No account"
    return address


def test_new_user_adds_a_dev_account_and_sees_its_next_steps(
    qtbot: QtBot, qloop: object, services: Services, seeded: Devnet
) -> None:
    window = _window(qtbot, services, seeded)
    window.reload_orgs(select="devnet-alpha")
    qtbot.waitUntil(lambda: TEMPERATURE[0] in " ".join(_cards(window)), timeout=30_000)
    address = _add_dev_account(qtbot, window, 0)
    qtbot.waitUntil(lambda: window.account.address == address and window.account.delegated,
                    timeout=30_000)  # fmt: skip
    cards = _cards(window)
    # Dev 0 is self-delegated with most of the votes: no "Delegate" anywhere.
    assert all(c.action is not NextAction.DELEGATE for c in cards.values()), cards
    for title, _body in IDEAS:
        assert cards[title].action is NextAction.CREATE_TEMPERATURE_CHECK
    temperature = next(c for t, c in cards.items() if TEMPERATURE[0] in t)
    assert temperature.action is NextAction.VOTE_OFFCHAIN  # open, and Dev 0 has not voted
    onchain = next(c for t, c in cards.items() if ONCHAIN[0] in t)
    assert onchain.action is NextAction.VOTE_ONCHAIN
    window.board.set_mode(FilterMode.NEEDS_MY_VOTE)
    shown = {
        column.proxy.index(r, 0).data() for column in window.board.columns.values()
        for r in range(column.proxy.rowCount())
    }  # fmt: skip
    assert len(shown) == 2, shown


def test_a_holder_who_never_delegated_is_told_to_delegate(
    qtbot: QtBot, qloop: object, services: Services, seeded: Devnet
) -> None:
    window = _window(qtbot, services, seeded)
    window.reload_orgs(select="devnet-alpha")
    address = _add_dev_account(qtbot, window, 9)  # holds tokens, never delegated
    qtbot.waitUntil(
        lambda: (
            window.account.address == address
            and IDEAS[0][0] in _cards(window)  # the board may still be loading
            and _cards(window)[IDEAS[0][0]].action is NextAction.DELEGATE
        ),
        timeout=30_000,
    )
    assert not window.account.delegated


def test_vote_on_chain_then_you_voted_for_and_vote_is_disabled(
    qtbot: QtBot, qloop: object, services: Services, seeded: Devnet
) -> None:
    window = _window(qtbot, services, seeded)
    window.reload_orgs(select="devnet-alpha")
    address = _add_dev_account(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.account.address == address and window.account.delegated,
                    timeout=30_000)  # fmt: skip
    card = next(c for t, c in _cards(window).items() if ONCHAIN[0] in t)
    view = window.open_detail(card)
    assert isinstance(view, ProposalDetailView)
    qtbot.waitUntil(lambda: view.detail is not None and bool(view.panels), timeout=30_000)
    panel = view.panels[-1]
    panel.group.button(1).setChecked(True)  # For
    assert panel.vote_button.isEnabled()
    panel.vote_button.click()
    signing = wait_for(qtbot, SigningDialog, timeout=20_000)
    assert signing.preview.title == "Vote on proposal"
    assert signing.preview.field("support") == "For"
    assert not signing.preview.dangerous
    signing.accept()
    unlock = wait_for(qtbot, UnlockDialog)
    unlock.password.setText(PASSWORD)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: view.status.text().startswith("Vote recorded"), timeout=30_000)
    qtbot.waitUntil(
        lambda: bool(view.panels) and view.panels[-1].voted_label.text().startswith(
            "You voted For"), timeout=30_000)  # fmt: skip
    assert not view.panels[-1].vote_button.isEnabled()
    # The on-chain voters table lists the vote the recount counts, under your own label.
    assert view.voters_part.currentText() == "On-chain vote"
    rows = {
        view.voters_proxy.index(r, 0).data(): view.voters_proxy.index(r, 1).data()
        for r in range(view.voters_proxy.rowCount())
    }
    assert rows.get("Dev 1 (you)") == "For"


def test_a_new_key_without_eth_sees_its_balances_and_is_refused_before_signing(
    qtbot: QtBot, qloop: object, services: Services, seeded: Devnet
) -> None:
    org = _org(seeded)
    keys = Keys.over(services.account_manager())
    page = AccountsPage(keys, lambda: org, actions=services.actions)
    qtbot.addWidget(page)
    page.show()
    info = run(qtbot, keys.manager.create(PASSWORD, label="Empty"), page)
    page.refresh(select=info.address)
    qtbot.waitUntil(lambda: "0 ETH" in page.balances.text(), timeout=20_000)
    assert "0 BTRST" in page.balances.text()
    assert "no ETH to pay transaction fees" in page.balances.text()
    box = page.delegation
    assert box is not None
    qtbot.waitUntil(lambda: "has not delegated" in box.current.text(), timeout=20_000)
    box.to_self.click()
    qtbot.waitUntil(lambda: "Nothing was signed" in box.current.text(), timeout=20_000)
    assert "may cost up to" in box.current.text()
    assert not page.window().findChildren(SigningDialog)  # refused before any preview
    funded = run(qtbot, keys.manager.import_private_key(seeded.accounts[3].dev_key, PASSWORD),
                 page)  # fmt: skip
    page.refresh(select=funded.address)
    qtbot.waitUntil(lambda: "Dev" not in page.balances.text() and " ETH, " in
                    page.balances.text() and "no ETH" not in page.balances.text(),
                    timeout=20_000)  # fmt: skip


def test_snapshot_voter_sees_you_voted_with_change_vote_and_own_label(
    qtbot: QtBot, qloop: object, services: Services, seeded: Devnet
) -> None:
    window = _window(qtbot, services, seeded)
    window.reload_orgs(select="devnet-alpha")
    address = _add_dev_account(qtbot, window, 1)  # voted "Yes" in the seeded check
    qtbot.waitUntil(lambda: window.account.address == address and window.account.delegated,
                    timeout=30_000)  # fmt: skip

    def temperature_card() -> Card:
        return next(c for t, c in _cards(window).items() if TEMPERATURE[0] in t)

    # The board reloads for the new account in the background; then it knows Dev 1 voted.
    qtbot.waitUntil(lambda: temperature_card().action is not NextAction.VOTE_OFFCHAIN,
                    timeout=30_000)  # fmt: skip
    card = temperature_card()
    view = window.open_detail(card)
    assert isinstance(view, ProposalDetailView)
    qtbot.waitUntil(lambda: view.detail is not None and bool(view.panels), timeout=30_000)
    (panel,) = view.panels
    assert panel.voted_label.text().startswith("You voted Yes")  # the check's first option
    assert panel.vote_button.text() == "Change vote"  # Snapshot counts the latest vote
    voters = [view.voters_proxy.index(r, 0).data() for r in range(view.voters_proxy.rowCount())]
    assert "Dev 1 (you)" in voters
