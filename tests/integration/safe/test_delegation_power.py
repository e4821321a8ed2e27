"""A Snapshot delegation set from govdesk moves power in the local hub (#18 done-when).

Through the use case (``Services.actions.delegation``), the real Delegate Registry on anvil, and
the devnet's delegation space, whose strategies are the holder's balance plus score-api's
``delegation`` strategy over the same balance.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.devnet.deploy import ALPHA_PARAMS, token_shares
from app.devnet.hub import LocalHub
from app.devnet.network import DELEGATION_SPACE, Devnet
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Organisation, devnet_organisations
from app.services import Services
from app.snapshot.hub_client import HubClient
from app.snapshot.send import SNAPSHOT_LAG_BLOCKS, ProposalContent
from app.usecases.signing import PreviewHints, SignerSource

pytestmark = pytest.mark.integration


@pytest.fixture
def services(tmp_path: Path, isolated_devnet: Devnet) -> Iterator[Services]:
    orgs = devnet_organisations(isolated_devnet.describe())
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=orgs) as svc:
        yield svc


def _as(devnet: Devnet, index: int) -> SignerSource:
    def make(_org: Organisation, _hints: PreviewHints) -> LocalKeySigner:
        return LocalKeySigner(devnet.accounts[index].dev_key, chain_id=devnet.chain_id)

    return make


def org_strategies(hub: LocalHub) -> list[dict[str, Any]]:
    return list(hub.spaces[DELEGATION_SPACE].strategies)


def _balance(index: int) -> float:
    return token_shares(ALPHA_PARAMS.supply, 10)[index] / 10**18


async def test_a_snapshot_delegation_set_from_govdesk_moves_power_in_the_local_hub(
    isolated_devnet: Devnet, services: Services
) -> None:
    devnet, hub = isolated_devnet, isolated_devnet.hub
    assert hub is not None
    org = services.orgs.get("devnet-delegation")
    assert org.snapshot_space == DELEGATION_SPACE
    delegator, delegate = devnet.accounts[6], devnet.accounts[7]
    delegation = services.actions.delegation
    async with HubClient(hub.url) as client:

        async def power(index: int) -> tuple[float, ...]:
            vp = await client.vp(devnet.accounts[index].address, DELEGATION_SPACE)
            return vp.vp_by_strategy

        assert await power(7) == (_balance(7), 0.0)
        assert await power(6) == (_balance(6), 0.0)

        await delegation.set_snapshot_delegate(org, _as(devnet, 6), delegate.address)
        assert (await delegation.snapshot_delegation(org, delegator.address)).delegate == (
            delegate.address
        )
        # The delegate now holds the delegator's balance too; the delegator keeps their own
        # (it counts only if they vote themselves, which the proposal's rescoring handles).
        assert await power(7) == (_balance(7), _balance(6))
        assert await power(6) == (_balance(6), 0.0)

        # A delegation for every space counts too, but this space's own delegation wins.
        await delegation.set_snapshot_delegate(org, _as(devnet, 5), devnet.accounts[4].address,
                                               all_spaces=True)  # fmt: skip
        await delegation.set_snapshot_delegate(org, _as(devnet, 5), delegate.address)
        assert await power(7) == (_balance(7), _balance(6) + _balance(5))
        # score-api filters before it overrides: asked alone (get_vp), the global delegate still
        # receives it; scored together, as a proposal's votes are rescored, the space's wins.
        assert (await power(4))[1] == _balance(5)
        four, seven = devnet.accounts[4].address, delegate.address
        together = hub.power.voting_power(four, org_strategies(hub), None,
                                          space=DELEGATION_SPACE, scored=[seven])  # fmt: skip
        assert together.vp_by_strategy == (_balance(4), 0.0)

        await delegation.set_snapshot_delegate(org, _as(devnet, 6), None)  # clear
        assert await power(7) == (_balance(7), _balance(5))
        await delegation.set_snapshot_delegate(org, _as(devnet, 5), None)
        assert await power(7) == (_balance(7), 0.0)
        assert await power(4) == (_balance(4), _balance(5))  # back to the global delegation


async def test_a_delegator_who_votes_is_not_counted_twice(
    isolated_devnet: Devnet, services: Services
) -> None:
    devnet, hub = isolated_devnet, isolated_devnet.hub
    assert hub is not None
    org = services.orgs.get("devnet-delegation")
    await services.actions.delegation.set_snapshot_delegate(
        org, _as(devnet, 6), devnet.accounts[7].address
    )
    devnet.control.mine(SNAPSHOT_LAG_BLOCKS + 1)  # a proposal reads power a few blocks back
    content = ProposalContent("[Temperature Check] Delegated", "Body", ("Yes", "No"),
                              "single-choice")  # fmt: skip
    snapshot = services.actions.offchain.snapshot
    receipt = await snapshot.publish_proposal(org, _as(devnet, 0)(org, PreviewHints({}, {})),
                                              content, duration_s=3600)  # fmt: skip
    async with HubClient(hub.url) as client:
        proposal = await client.proposal(receipt.id)
        assert proposal is not None

        def vps() -> dict[str, tuple[float, str]]:
            rows = hub.store.query(
                "SELECT voter, vp, vp_state FROM votes WHERE proposal = ?", (receipt.id,)
            )
            return {r["voter"]: (r["vp"], r["vp_state"]) for r in rows}

        await services.actions.offchain.vote(org, _as(devnet, 7), proposal, 1)
        delegate, delegator = devnet.accounts[7].address, devnet.accounts[6].address
        assert vps() == {delegate: (pytest.approx(_balance(7) + _balance(6)), "pending")}
        await services.actions.offchain.vote(org, _as(devnet, 6), proposal, 2)
        # The delegator voted: their power is theirs, and the delegate's vote is rescored.
        assert vps() == {
            delegate: (pytest.approx(_balance(7)), "pending"),
            delegator: (pytest.approx(_balance(6)), "pending"),
        }
        scored = await client.proposal(receipt.id)
        assert scored is not None
        assert scored.scores == pytest.approx([_balance(7), _balance(6)])
