"""The devnet serves a local Snapshot hub with one space per stack, powered by that stack's token."""

from __future__ import annotations

import pytest

from app.devnet.network import DELEGATION_SPACE, Devnet, space_id_for
from app.snapshot.hub_client import HubClient

pytestmark = pytest.mark.integration


async def test_each_stack_has_a_space_whose_power_is_its_delegated_votes(devnet: Devnet) -> None:
    info = devnet.describe()
    assert info["hub_url"]
    assert info["spaces"] == {name: space_id_for(name) for name in info["stacks"]}
    assert info["delegation_space"] == {"id": DELEGATION_SPACE, "stack": "alpha"}
    client = HubClient(info["hub_url"])
    try:
        spaces = {s.id for s in await client.spaces(first=20)}
        assert spaces == {*info["spaces"].values(), DELEGATION_SPACE}
        whale, minnow, undelegated = devnet.accounts[0], devnet.accounts[5], devnet.accounts[9]
        for stack in ("alpha", "oz"):
            space = space_id_for(stack)
            big = (await client.vp(whale.address, space)).vp
            small = (await client.vp(minnow.address, space)).vp
            none = (await client.vp(undelegated.address, space)).vp
            assert big > small > 0  # uneven balances: votes carry different weights
            assert none == 0  # holds tokens but never delegated
    finally:
        await client.aclose()


async def test_hub_and_sequencer_listen_on_different_ports_and_the_hub_takes_no_messages(
    devnet: Devnet,
) -> None:
    """As in production: a client that posts signed messages to the GraphQL hub fails."""
    from urllib.parse import urlparse

    from app.keys.signer_protocol import LocalKeySigner
    from app.snapshot.envelope import sign_message
    from app.snapshot.messages import build_follow
    from app.snapshot.sequencer import SequencerClient, SequencerRejectedError

    info = devnet.describe()
    hub, sequencer = urlparse(info["hub_url"]), urlparse(info["sequencer_url"])
    assert hub.port != sequencer.port
    signer = LocalKeySigner(devnet.accounts[3].dev_key)
    envelope = await sign_message(
        signer, build_follow(signer.address, space_id_for("alpha"), network="s")
    )
    async with SequencerClient(info["hub_url"]) as wrong:
        with pytest.raises(SequencerRejectedError) as refused:
            await wrong.submit(envelope)
    assert "GraphQL hub, not its sequencer" in refused.value.user_message
    async with SequencerClient(info["sequencer_url"]) as right:
        assert (await right.submit(envelope)).id == envelope.id
