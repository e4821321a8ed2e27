"""The delegates of the devnet's Alpha organisation, ranked from the token's and governor's events."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_abi.abi import encode
from web3 import Web3

from app.chain.rpc import RpcClient
from app.devnet.deploy import ALPHA_PARAMS, DELEGATED_ACCOUNTS, token_shares
from app.devnet.network import Devnet
from app.governor.delegates import DelegateBook
from app.orgs import devnet_organisations
from app.services import Services
from app.snapshot.settings import set_api_key
from tests.integration.helpers import contract, first_event, send

pytestmark = pytest.mark.integration


async def test_delegates_are_ranked_with_delegators_and_participation(
    isolated_devnet: Devnet, w3: Web3
) -> None:
    stack = isolated_devnet.stack("alpha")
    addresses = [a.address for a in isolated_devnet.accounts]
    shares = token_shares(ALPHA_PARAMS.supply, len(addresses))
    token = contract(w3, "CompToken", stack["token"])
    governor = contract(w3, "GovernorAlpha", stack["governor"])
    async with RpcClient([isolated_devnet.rpc_url], chain_id=isolated_devnet.chain_id) as rpc:
        book = DelegateBook(stack["token"], stack["governor"])
        await book.sync(rpc)
        ranked = book.ranked()
        assert [d.address for d in ranked] == addresses[:DELEGATED_ACCOUNTS]
        assert [d.votes for d in ranked] == shares[:DELEGATED_ACCOUNTS]
        assert all(d.delegators == 1 for d in ranked)  # each delegates to itself
        assert book.delegate_of(addresses[9]) is None

        # Account 9 (who never delegated) delegates to account 2.
        send(w3, token.functions.delegate(addresses[2]), addresses[9])
        receipt = send(
            w3,
            governor.functions.propose([stack["target"]], [0], ["addFoundationMember(string)"],
                                       [encode(["string"], ["d.eth"])], "# Delegates"),
            addresses[0],
        )  # fmt: skip
        proposal_id = first_event(receipt, governor, "ProposalCreated")["id"]
        isolated_devnet.control.mine(2)
        send(w3, governor.functions.castVote(proposal_id, True), addresses[1])
        await book.sync(rpc)  # incremental: only the new blocks are scanned
        two = next(d for d in book.ranked() if d.address == addresses[2])
        assert (two.votes, two.delegators) == (shares[2] + shares[9], 2)
        assert book.delegators_of(addresses[2]) == sorted([addresses[2], addresses[9]])
        latest = {d.address: d for d in book.ranked(recent=1)}
        assert (latest[addresses[1]].voted, latest[addresses[1]].considered) == (1, 1)
        assert latest[addresses[1]].participation == 1.0
        assert latest[addresses[3]].participation == 0.0
        assert book.ranked(limit=3)[0].address == addresses[0]


async def test_the_delegates_page_reads_statements_with_the_stored_key(
    isolated_devnet: Devnet, tmp_path: Path
) -> None:
    hub = isolated_devnet.hub
    assert hub is not None
    orgs = devnet_organisations(isolated_devnet.describe())
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=orgs) as svc:
        set_api_key(svc.store.conn, "k-delegates-1")
        org = svc.orgs.get("devnet-alpha")
        assert org.snapshot_space
        start = len(hub.api_keys)
        page = await svc.actions.delegation.page(org)
    assert page.statements_problem == ""
    assert len(page.delegates) == DELEGATED_ACCOUNTS
    sent = hub.api_keys[start:]
    assert sent  # the statements were asked of the hub
    assert set(sent) == {"k-delegates-1"}
