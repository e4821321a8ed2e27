"""Safes and delegates in the desktop app, against a real anvil devnet and real Safe contracts.

A 2-of-3 Safe is followed from its address; one owner on this device approves the Safe's
on-chain vote through the signing dialog (unlocked like any key), another owner signs the request
file on "their machine", the approval comes back as a file, and any account executes it. The
delegates page ranks the devnet's delegates and delegates in two clicks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_abi.abi import encode
from pytestqt.qtbot import QtBot
from web3 import Web3

from app.devnet.deploy import ALPHA_PARAMS, DELEGATED_ACCOUNTS, token_shares
from app.devnet.network import Devnet
from app.devnet.safes import SafeDeployer
from app.keys.preview.calls import format_units
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Organisation
from app.safe.files import REQUEST_FORMAT, approval_document, parse_document
from app.services import Services
from app.usecases.signing import PreviewHints, SignerSource
from tests.integration.helpers import contract, first_event, send
from tests.ui.test_accounts_devnet import alpha_org
from tests.ui.test_signing import PASSWORD, run, wait_for
from ui.signing import Keys, dialog_signer_source
from ui.views.delegates_view import DelegatesView
from ui.views.safes_view import SafesView
from ui.views.signing_dialog import SigningDialog
from ui.views.unlock_dialog import UnlockDialog

pytestmark = [pytest.mark.gui, pytest.mark.integration]


@pytest.fixture(scope="module")
def alpha_devnet() -> Iterator[Devnet]:
    with Devnet(stacks=("alpha",), hub=False) as net:
        yield net


def _local(devnet: Devnet, index: int) -> SignerSource:
    key = devnet.accounts[index].dev_key

    def make(_org: Organisation, _hints: PreviewHints) -> LocalKeySigner:
        return LocalKeySigner(key, chain_id=devnet.chain_id)

    return make


def test_a_safe_votes_on_chain_from_the_safes_window(
    qtbot: QtBot, qloop: object, alpha_devnet: Devnet, services: Services, tmp_path: Path
) -> None:
    snapshot = alpha_devnet.control.snapshot()
    try:
        _safe_vote(qtbot, alpha_devnet, services, tmp_path)
    finally:
        alpha_devnet.control.revert(snapshot)


def _safe_vote(qtbot: QtBot, devnet: Devnet, services: Services, tmp_path: Path) -> None:
    w3 = Web3(Web3.HTTPProvider(devnet.rpc_url))
    org = alpha_org(devnet)
    stack = devnet.stack("alpha")
    here, away, cold = devnet.accounts[1], devnet.accounts[2], devnet.accounts[3]
    deployer = SafeDeployer(w3, devnet.accounts[0].address)
    safe = deployer.create_safe(deployer.deploy_infra(), [here.address, away.address,
                                                          cold.address], 2)  # fmt: skip
    keys = Keys.over(services.account_manager())
    probe = SafesView(None, services.actions, org, lambda a: dialog_signer_source(None, keys,
                      lambda: a), _local(devnet, 4), keys.manager.list_accounts)  # fmt: skip
    qtbot.addWidget(probe)
    run(qtbot, keys.manager.import_private_key(here.dev_key, PASSWORD, label="Ops key"), probe)
    run(qtbot, keys.manager.watch(cold.address, label="Cold owner"), probe)
    view = probe
    view.show()
    assert "No Safe is followed yet" in view.owners.text()

    view.address.setText(safe)
    view.label.setText("Treasury")
    view.add_button.click()
    qtbot.waitUntil(lambda: view.safe_list.count() == 1, timeout=20_000)
    assert view.safe_list.item(0).text() == f"Treasury — Safe {safe[:6]}…{safe[-4:]} (2 of 3)"
    owners = view.owners.text()
    assert owners.startswith("2 of 3 owners must approve:")
    assert f"Ops key {here.address} (local on this device)" in owners
    assert f"Cold owner {cold.address} (watch on this device)" in owners
    assert f"{away.address} (signs elsewhere" in owners

    # Votes lent to the Safe, a proposal, and the Safe's vote on it waiting for its owners.
    token = contract(w3, "CompToken", stack["token"])
    governor = contract(w3, "GovernorAlpha", stack["governor"])
    send(w3, token.functions.delegate(safe), devnet.accounts[9].address)
    receipt = send(w3, governor.functions.propose(
        [stack["target"]], [0], ["addFoundationMember(string)"],
        [encode(["string"], ["safe.eth"])], "# Let the treasury vote"), devnet.accounts[0].address)  # fmt: skip
    proposal_id = first_event(receipt, governor, "ProposalCreated")["id"]
    devnet.control.mine(2)
    from app.governor.model import Support

    run(qtbot, services.actions.safes.open_onchain_vote(org, safe, proposal_id, Support.FOR,
                                                        "Let the treasury vote"), view)  # fmt: skip
    view.reload()
    qtbot.waitUntil(lambda: view.requests.rowCount() == 1, timeout=10_000)
    summary = view.requests.item(0, 0).text()
    assert summary.endswith("(2 of 3) votes For on Let the treasury vote")
    assert view.requests.item(0, 2).text() == "waiting for 2 more signers"
    assert [view.approver.itemText(i) for i in range(view.approver.count())] == [
        "as Ops key", "as Cold owner"]  # fmt: skip
    assert not view.execute_button.isEnabled()

    view.approve_button.click()  # as Ops key, through the signing dialog
    signing = wait_for(qtbot, SigningDialog, timeout=20_000)
    assert signing.preview.title == summary
    assert signing.preview.field("call") == (
        f"Vote on proposal (proposal id {proposal_id}, support For)")  # fmt: skip
    assert not signing.preview.dangerous
    signing.accept()
    unlock = wait_for(qtbot, UnlockDialog)
    unlock.password.setText(PASSWORD)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: view.requests.item(0, 2).text() == "waiting for 1 more signer",
                    timeout=20_000)  # fmt: skip

    # The owner who is away gets a file, signs on their machine, and sends the answer back.
    asked, answered = tmp_path / "request.json", tmp_path / "approval.json"
    view.export_to(asked)
    assert f"Saved the request to {asked}" in view.status.text()
    document = parse_document(asked.read_text(), REQUEST_FORMAT, "request.json")
    signed = run(qtbot, LocalKeySigner(away.dev_key).sign_typed_data(document["typed_data"]), view)
    answered.write_text(approval_document(document, away.address, bytes.fromhex(signed[2:])))
    view.import_from(answered)
    assert view.requests.item(0, 2).text() == "ready to send"
    assert view.execute_button.isEnabled()
    assert not view.send_button.isEnabled()  # a transaction is executed, not sent to Snapshot
    view.execute_button.click()
    qtbot.waitUntil(lambda: view.status.text().startswith("Executed in block"), timeout=30_000)
    assert view.requests.item(0, 2).text() == "sent"
    has_voted, support, _votes = governor.functions.getReceipt(proposal_id, safe).call()
    assert (has_voted, support) == (True, True)


def test_the_delegates_page_ranks_and_delegates_in_two_clicks(
    qtbot: QtBot, qloop: object, alpha_devnet: Devnet, services: Services
) -> None:
    snapshot = alpha_devnet.control.snapshot()
    try:
        _delegates(qtbot, alpha_devnet, services)
    finally:
        alpha_devnet.control.revert(snapshot)


def _delegates(qtbot: QtBot, devnet: Devnet, services: Services) -> None:
    org = alpha_org(devnet)
    me = devnet.accounts[9]  # holds tokens, never delegated
    shares = token_shares(ALPHA_PARAMS.supply, len(devnet.accounts))
    names: dict[str, Any] = {devnet.accounts[0].address: "Dev 0"}
    view = DelegatesView(None, services.actions, org, _local(devnet, 9), lambda: me.address,
                         lambda: names)  # fmt: skip
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() == DELEGATED_ACCOUNTS, timeout=20_000)
    assert view.table.item(0, 1).text() == f"Dev 0 {devnet.accounts[0].address}"
    assert view.table.item(0, 2).text() == format_units(shares[0], 18, "BTRST")
    assert view.table.item(1, 1).text() == devnet.accounts[1].address
    assert view.table.item(0, 3).text() == "1"
    assert view.to_me.text() == "Nobody else delegates their votes to this account."
    assert not view.delegate_button.isEnabled()

    view.table.selectRow(2)  # click 1: the delegate; click 2: the button
    assert view.delegate_button.isEnabled()
    view.delegate_button.click()
    target = devnet.accounts[2].address
    qtbot.waitUntil(lambda: view.status.text() == f"Your votes now go to {target}.", timeout=30_000)
    assert view.table.item(2, 3).text() == "2"  # the table was read again after the delegation
    assert view.table.item(2, 2).text() == format_units(shares[2] + shares[9], 18, "BTRST")


def test_snapshot_delegation_is_shown_and_set_next_to_the_tokens(
    qtbot: QtBot, qloop: object, alpha_devnet: Devnet, services: Services
) -> None:
    snapshot = alpha_devnet.control.snapshot()
    try:
        _snapshot_delegation(qtbot, alpha_devnet, services)
    finally:
        alpha_devnet.control.revert(snapshot)


def _snapshot_delegation(qtbot: QtBot, devnet: Devnet, services: Services) -> None:
    from dataclasses import replace

    from app.devnet.delegate_registry import install_delegate_registry
    from ui.views.accounts_page import AccountsPage

    install_delegate_registry(devnet.rpc_url, devnet.accounts[0].address)
    org = replace(alpha_org(devnet), snapshot_space="alpha.govdesk.eth")
    holder, delegate = devnet.accounts[8], devnet.accounts[5].address
    keys = Keys.over(services.account_manager())
    page = AccountsPage(keys, lambda: org, actions=services.actions)
    qtbot.addWidget(page)
    page.show()
    run(qtbot, keys.manager.import_private_key(holder.dev_key, PASSWORD), page)
    page.refresh(select=holder.address)
    box = page.delegation
    assert box is not None
    qtbot.waitUntil(lambda: box.snapshot_current.text() == (
        "On Snapshot: Not delegated on alpha.govdesk.eth"), timeout=20_000)  # fmt: skip
    box.target.setText(delegate)
    box.snapshot_to.click()
    signing = wait_for(qtbot, SigningDialog, timeout=20_000)
    assert signing.preview.title == "Delegate your Snapshot votes"
    assert not signing.preview.dangerous
    signing.accept()
    unlock = wait_for(qtbot, UnlockDialog)
    unlock.password.setText(PASSWORD)
    unlock.try_unlock()
    qtbot.waitUntil(
        lambda: box.snapshot_current.text().startswith(
            f"On Snapshot: Delegated on alpha.govdesk.eth to {delegate}"),
        timeout=30_000,
    )  # fmt: skip
