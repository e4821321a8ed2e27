"""ENS reverse names for voters against a real anvil with registry and resolver contracts:
verified forward, look-alikes dropped, cached in the store, and only where ENS exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from app.devnet.anvil import AnvilProcess
from app.orgs import Network, Organisation
from app.pipeline.names import NameCache, ens_names, namehash, reverse_node
from app.ports import Factories
from app.store.database import connect
from tests.app.chain.conftest import raw_rpc, wait_receipt
from tests.app.chain.solc import compile_file


def _send(url: str, sender: str, to: str | None, data: str) -> dict[str, Any]:
    tx: dict[str, Any] = {"from": sender, "data": data}
    if to:
        tx["to"] = to
    return wait_receipt(url, raw_rpc(url, "eth_sendTransaction", [tx]))


def _call(signature: str, types: list[str], values: list[Any]) -> str:
    return "0x" + (keccak(text=signature)[:4] + encode(types, values)).hex()


@pytest.fixture(scope="module")
def ens(anvil: AnvilProcess) -> dict[str, Any]:
    built = compile_file(Path(__file__).with_name("MockEns.sol"))
    url = anvil.rpc_url
    accounts = raw_rpc(url, "eth_accounts", [])
    deployer = accounts[0]
    registry = _send(url, deployer, None, built["MockEnsRegistry"]["bytecode"])["contractAddress"]
    resolver = _send(url, deployer, None, built["MockResolver"]["bytecode"])["contractAddress"]

    def set_resolver(node: bytes) -> None:
        data = _call("setResolver(bytes32,address)", ["bytes32", "address"], [node, resolver])
        _send(url, deployer, registry, data)

    def claim(address: str, name: str, forward_to: str | None) -> None:
        node = reverse_node(address)
        set_resolver(node)
        _send(url, deployer, resolver,
              _call("setName(bytes32,string)", ["bytes32", "string"], [node, name]))  # fmt: skip
        if forward_to:
            set_resolver(namehash(name))
            data = _call("setAddr(bytes32,address)", ["bytes32", "address"],
                         [namehash(name), forward_to])  # fmt: skip
            _send(url, deployer, resolver, data)

    alice, mallory, homoglyph = accounts[1], accounts[2], accounts[3]
    claim(alice, "alice.eth", alice)
    claim(mallory, "alice.eth", None)  # claims alice's name, which does not point back
    claim(homoglyph, "\u0430lice.eth", homoglyph)  # Cyrillic "а": looks like alice.eth
    return {"registry": registry, "url": url, "accounts": accounts}


def _org(url: str, chain_id: int = 31337) -> Organisation:
    return Organisation("t", "T", Network(chain_id, "anvil", (url,)))


async def test_verified_names_only_and_cached(ens: dict[str, Any]) -> None:
    from eth_utils.address import to_checksum_address

    factories = Factories(ens_registries={31337: ens["registry"]})
    alice, mallory, homoglyph, nobody = (to_checksum_address(a) for a in ens["accounts"][1:5])
    clock = [1_800_000_000.0]
    cache = NameCache(connect(":memory:"), lambda: clock[0])
    found = await ens_names(factories, _org(ens["url"]), [alice, mallory, homoglyph, nobody],
                            cache)  # fmt: skip
    assert found == {alice: "alice.eth"}
    # Cached: answered without the chain (a dead endpoint) for a day, then asked again.
    dead = _org("http://127.0.0.1:9")
    assert await ens_names(factories, dead, [alice, nobody], cache) == {alice: "alice.eth"}
    clock[0] += 25 * 3600
    assert await ens_names(factories, dead, [alice], cache) == {}


async def test_networks_without_ens_are_not_asked(ens: dict[str, Any]) -> None:
    assert await ens_names(Factories(), _org(ens["url"]), [ens["accounts"][1]]) == {}
