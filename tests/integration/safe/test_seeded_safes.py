"""The seeded devnet has a 1-of-1 and a 2-of-3 Safe, followed in the app and holding votes: on
chain (their own tokens, delegated to themselves by a Safe transaction) and on Snapshot (dev
accounts delegating to them in the Delegate Registry)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from app.devnet.deploy import ALPHA_PARAMS, TOKEN, token_shares
from app.devnet.network import DELEGATION_SPACE, Devnet
from app.devnet.seed import seed_board
from app.devnet.seed_safes import SAFE_TOKENS
from app.orgs import devnet_organisations
from app.services import Services
from app.snapshot.hub_client import HubClient
from tests.integration.helpers import contract

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def alpha() -> Iterator[Devnet]:
    with Devnet(stacks=("alpha",)) as devnet:
        yield devnet


async def test_the_seeded_devnet_has_safes_with_votes_that_the_app_follows(
    alpha: Devnet, tmp_path: Path
) -> None:
    orgs = devnet_organisations(alpha.describe())
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=orgs) as svc:
        org = svc.orgs.get("devnet-alpha")
        await seed_board(alpha, svc, org, interval_s=None)
        followed = {s.label: s.info for s in svc.actions.safes.followed(alpha.chain_id)}
    assert {name: (i.threshold, len(i.owners)) for name, i in followed.items()} == {
        "Dev 1's Safe": (1, 1), "Treasury": (2, 3)}  # fmt: skip
    accounts = alpha.accounts
    assert followed["Treasury"].owners == tuple(a.address for a in accounts[1:4])

    w3 = Web3(Web3.HTTPProvider(alpha.rpc_url))
    token = contract(w3, "CompToken", alpha.stack("alpha")["token"])
    for name, address in alpha.safes.items():
        assert token.functions.getCurrentVotes(address).call() == SAFE_TOKENS[name] * TOKEN
        assert token.functions.delegates(address).call() == address
    for idle in (8, 9):  # still the holders who never delegated
        assert token.functions.delegates(accounts[idle].address).call() == "0x" + "0" * 40

    shares = token_shares(ALPHA_PARAMS.supply, len(accounts))
    assert alpha.hub is not None
    async with HubClient(alpha.hub.url) as hub:
        treasury = await hub.vp(alpha.safes["Treasury"], DELEGATION_SPACE)
        mine = await hub.vp(alpha.safes["Dev 1's Safe"], DELEGATION_SPACE)
    assert treasury.vp_by_strategy == (SAFE_TOKENS["Treasury"], (shares[4] + shares[5]) / TOKEN)
    assert mine.vp_by_strategy == (SAFE_TOKENS["Dev 1's Safe"], shares[6] / TOKEN)
