"""Snapshot delegation on the devnet: the registry at its mainnet address, set and read by govdesk."""

from __future__ import annotations

import pytest
from web3 import Web3

from app.chain.rpc import RpcClient
from app.chain.transactions import TxSender
from app.devnet.delegate_registry import install_delegate_registry
from app.devnet.hub.delegation import delegated_power, registry_state
from app.devnet.network import Devnet
from app.errors import InputError
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.delegation import (
    DELEGATE_REGISTRY,
    clear_delegate_request,
    read_delegation,
    set_delegate_request,
)

pytestmark = pytest.mark.integration
SPACE = "alpha.govdesk.eth"


async def test_without_a_registry_the_message_says_so(isolated_devnet: Devnet, w3: Web3) -> None:
    assert w3.eth.get_code(DELEGATE_REGISTRY)  # every devnet has it at the mainnet address
    nowhere = isolated_devnet.accounts[4].address  # an account: no code
    async with RpcClient([isolated_devnet.rpc_url], chain_id=isolated_devnet.chain_id) as rpc:
        with pytest.raises(InputError, match="has no Snapshot Delegate Registry"):
            await read_delegation(rpc, isolated_devnet.accounts[0].address, SPACE, nowhere)


async def test_delegations_set_by_govdesk_are_read_back_and_counted(
    isolated_devnet: Devnet, w3: Web3
) -> None:
    accounts = isolated_devnet.accounts
    assert (
        install_delegate_registry(isolated_devnet.rpc_url, accounts[0].address) == DELEGATE_REGISTRY
    )
    alice, bob, carol = accounts[5], accounts[6], accounts[7]
    async with RpcClient([isolated_devnet.rpc_url], chain_id=isolated_devnet.chain_id) as rpc:
        for who, space, to in ((alice, None, bob.address), (alice, SPACE, carol.address),
                               (bob, None, carol.address)):  # fmt: skip
            sender = TxSender(rpc, LocalKeySigner(who.dev_key, chain_id=isolated_devnet.chain_id))
            await sender.send_and_wait(set_delegate_request(space, to))
        seen = await read_delegation(rpc, alice.address, SPACE)
        assert (seen.for_space, seen.for_all_spaces, seen.delegate) == (
            carol.address, bob.address, carol.address,
        )  # fmt: skip
        assert (await read_delegation(rpc, alice.address, "other.eth")).delegate == bob.address

        block = w3.eth.block_number
        weights = {alice.address: 2.0, bob.address: 3.0}
        score = delegated_power(w3, SPACE, carol.address, block, lambda a: weights.get(a, 0.0), [])
        assert score == 5.0
        # A delegator who votes takes their own power back.
        score = delegated_power(
            w3, SPACE, carol.address, block, lambda a: weights.get(a, 0.0), [bob.address]
        )
        assert score == 2.0

        sender = TxSender(rpc, LocalKeySigner(alice.dev_key, chain_id=isolated_devnet.chain_id))
        await sender.send_and_wait(clear_delegate_request(SPACE))
        assert (await read_delegation(rpc, alice.address, SPACE)).delegate == bob.address
    state = registry_state(w3, w3.eth.block_number)
    assert len(state) == 2  # alice → bob (global) and bob → carol (global)
