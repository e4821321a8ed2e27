"""Split delegation on the devnet's v2 registry: shares by ratio, an expiry, cleared again."""

from __future__ import annotations

import pytest
from web3 import Web3

from app.artifacts import load_artifact
from app.chain.rpc import RpcClient
from app.chain.transactions import TxSender
from app.devnet.network import Devnet
from app.errors import InputError
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.split_delegation import (
    clear_split_request,
    read_split,
    set_split_request,
    split_power,
)

pytestmark = pytest.mark.integration
SPACE = "alpha.govdesk.eth"


def _deploy(w3: Web3, sender: str) -> str:
    artifact = load_artifact("SplitDelegateRegistry")
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    receipt = w3.eth.wait_for_transaction_receipt(
        factory.constructor().transact({"from": Web3.to_checksum_address(sender)}), timeout=10
    )
    return str(receipt["contractAddress"])


async def test_a_split_shares_power_by_ratio_until_it_expires(
    isolated_devnet: Devnet, w3: Web3
) -> None:
    accounts = isolated_devnet.accounts
    registry = _deploy(w3, accounts[0].address)
    me, big, small = accounts[5], accounts[6], accounts[7]
    now = isolated_devnet.control.timestamp()
    async with RpcClient([isolated_devnet.rpc_url], chain_id=isolated_devnet.chain_id) as rpc:
        sender = TxSender(rpc, LocalKeySigner(me.dev_key, chain_id=isolated_devnet.chain_id))
        # Given in any order: the request sorts the delegates as the registry requires.
        await sender.send_and_wait(set_split_request(
            registry, me.address, SPACE, [(small.address, 1), (big.address, 3)], now + 3600))  # fmt: skip
        split = await read_split(rpc, registry, me.address, SPACE)
        assert {s.delegate: s.ratio for s in split.shares} == {big.address: 3, small.address: 1}
        assert split.fraction_for(big.address) == 0.75
        assert "75%" in split.describe()
        scores = {me.address: 100.0}
        assert split_power([split], scores, big.address, now) == 75.0
        assert split_power([split], scores, small.address, now, opted_out=[small.address]) == 0.0
        assert split_power([split], scores, big.address, now + 3600) == 0.0  # expired

        with pytest.raises(InputError, match="yourself"):
            set_split_request(registry, me.address, SPACE, [(me.address, 1)], now + 10)
        with pytest.raises(InputError, match="named twice"):
            set_split_request(registry, me.address, SPACE, [(big.address, 1), (big.address, 2)],
                              now + 10)  # fmt: skip
        with pytest.raises(InputError, match="above zero"):
            set_split_request(registry, me.address, SPACE, [(big.address, 0)], now + 10)

        await sender.send_and_wait(clear_split_request(registry, SPACE))
        cleared = await read_split(rpc, registry, me.address, SPACE)
        assert cleared.shares == ()
        assert cleared.describe() == f"No split delegation on {SPACE}"
