"""The on-chain use cases the CLI now goes through, against the devnet's governors (real anvil)."""

from __future__ import annotations

import pytest

from app.devnet.network import Devnet
from app.governor.writer import ProposedCall
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Organisation, devnet_organisations
from app.ports import Factories
from app.usecases.onchain import Onchain
from app.usecases.signing import SignerSource

pytestmark = pytest.mark.integration


def _org(devnet: Devnet, stack: str) -> Organisation:
    (org,) = [o for o in devnet_organisations(devnet.describe()) if o.slug == f"devnet-{stack}"]
    return org


def _source(devnet: Devnet, index: int) -> tuple[SignerSource, str]:
    signer = LocalKeySigner(devnet.accounts[index].dev_key, chain_id=31337)
    return (lambda _org, _hints: signer), signer.address


async def test_a_delegation_by_signature_is_paid_for_by_the_relay(isolated_devnet: Devnet) -> None:
    org, onchain = _org(isolated_devnet, "oz"), Onchain(Factories())
    sign, voter = _source(isolated_devnet, 4)
    relay, relayer = _source(isolated_devnet, 6)
    target = isolated_devnet.accounts[8].address
    receipt = await onchain.delegate_by_signature(org, sign, relay, target)
    assert receipt.success
    assert (await onchain.delegation(org, voter)).delegate.lower() == target.lower()
    assert relayer != voter


@pytest.mark.parametrize("stack", ["oz", "alpha"])
async def test_a_proposal_is_read_back_with_the_governor_as_detected(
    isolated_devnet: Devnet, stack: str
) -> None:
    org, onchain = _org(isolated_devnet, stack), Onchain(Factories())
    sign, _address = _source(isolated_devnet, 0)
    call = ProposedCall(isolated_devnet.stack(stack)["target"], "setMarketplaceFee(uint8)", (7,))
    created = await onchain.propose(org, sign, [call], "# Fee to 7\nwhy", proposer_suffix=False)
    one = await onchain.proposal(org, created.proposal_id)
    every = await onchain.proposals(org)
    assert one.info.address.lower() == org.governor.lower()
    assert [p.created.proposal_id for p in one.proposals] == [created.proposal_id]
    assert created.proposal_id in [p.created.proposal_id for p in every.proposals]
    assert one.proposals[0].created.title == "Fee to 7"
    assert "#proposer=" not in one.proposals[0].created.description
