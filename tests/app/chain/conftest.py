"""Fixtures for the chain layer: one real anvil per module and the compiled Probe contract."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.chain.rpc import RpcClient
from app.devnet.anvil import AnvilProcess
from app.domain.retry import RetryPolicy
from tests.app.chain.solc import compile_file

FAST_RETRY = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)


def raw_rpc(url: str, method: str, params: list[Any]) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
        return json.load(resp)["result"]


def wait_receipt(url: str, tx_hash: str) -> dict[str, Any]:
    for _ in range(500):
        receipt: dict[str, Any] | None = raw_rpc(url, "eth_getTransactionReceipt", [tx_hash])
        if receipt is not None:
            return receipt
        time.sleep(0.01)
    raise TimeoutError(tx_hash)


@pytest.fixture(scope="module")
def anvil() -> Iterator[AnvilProcess]:
    with AnvilProcess() as process:
        yield process


@pytest.fixture(scope="session")
def probe_artifact() -> dict[str, Any]:
    return compile_file(Path(__file__).with_name("Probe.sol"))["Probe"]


@pytest.fixture(scope="module")
def probe(anvil: AnvilProcess, probe_artifact: dict[str, Any]) -> str:
    """Address of a freshly deployed Probe on the module's anvil."""
    sender = raw_rpc(anvil.rpc_url, "eth_accounts", [])[0]
    tx = raw_rpc(
        anvil.rpc_url, "eth_sendTransaction", [{"from": sender, "data": probe_artifact["bytecode"]}]
    )
    return str(wait_receipt(anvil.rpc_url, tx)["contractAddress"])


@pytest.fixture
async def rpc(anvil: AnvilProcess) -> AsyncIterator[RpcClient]:
    client = RpcClient([anvil.rpc_url], chain_id=31337, retry=FAST_RETRY)
    async with client:
        yield client
