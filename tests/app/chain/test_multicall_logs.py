"""Multicall3 batching and adaptive log scanning against a real anvil (and proxy)."""

from __future__ import annotations

from typing import Any

import pytest

from app.chain.abi_codec import event, fn
from app.chain.errors import RpcError
from app.chain.logs import LogScanner, RangePolicy
from app.chain.multicall import Call, Multicall
from app.chain.rpc import RpcClient
from app.devnet.anvil import AnvilProcess
from tests.app.chain.conftest import FAST_RETRY, raw_rpc
from tests.app.chain.proxy import RpcProxy

pytestmark = pytest.mark.integration  # a real anvil (and a real HTTP proxy)

TWICE = fn("twice(uint256)", "uint256")
FAIL = fn("failString()")
PING = event("Ping(uint256,address,string)", "1")


async def test_multicall_batches_calls_in_chunks(anvil: AnvilProcess, probe: str) -> None:
    with RpcProxy(anvil.rpc_url) as proxy:
        async with RpcClient([proxy.url], chain_id=31337, retry=FAST_RETRY) as client:
            multicall = Multicall(client, probe, chunk_size=40)
            before = proxy.methods.count("eth_call")
            results = await multicall.run([Call(probe, TWICE.encode(i)) for i in range(100)])
            assert proxy.methods.count("eth_call") - before == 3  # 40 + 40 + 20
    assert [TWICE.decode_one(r.data) for r in results] == [2 * i for i in range(100)]


async def test_multicall_reports_failed_calls_per_item(rpc: RpcClient, probe: str) -> None:
    results = await Multicall(rpc, probe).run(
        [Call(probe, FAIL.encode()), Call(probe, TWICE.encode(3))]
    )
    assert [r.success for r in results] == [False, True]


async def test_multicall_without_contract_calls_one_by_one(rpc: RpcClient, probe: str) -> None:
    multicall = await Multicall.discover(rpc)  # no Multicall3 at the canonical address on anvil
    assert multicall.address is None
    results = await multicall.run([Call(probe, TWICE.encode(4)), Call(probe, FAIL.encode())])
    assert results[0].success
    assert TWICE.decode_one(results[0].data) == 8
    assert not results[1].success


def _emit_pings(url: str, probe: str, blocks: int) -> tuple[int, int]:
    sender = raw_rpc(url, "eth_accounts", [])[0]
    first = int(raw_rpc(url, "eth_blockNumber", []), 16) + 1
    for _ in range(blocks):
        data = "0x" + fn("ping(uint256)").encode(2).hex()
        raw_rpc(url, "eth_sendTransaction", [{"from": sender, "to": probe, "data": data}])
        raw_rpc(url, "anvil_mine", ["0x9"])  # spread the logs out: 10 blocks per ping tx
    return first, int(raw_rpc(url, "eth_blockNumber", []), 16)


async def _scan(scanner: LogScanner, probe: str, first: int, last: int) -> list[Any]:
    return await scanner.scan(address=probe, topics=[PING.topic0], from_block=first, to_block=last)


async def test_log_scanner_shrinks_on_range_errors_and_finds_everything(
    anvil: AnvilProcess, probe: str
) -> None:
    first, last = _emit_pings(anvil.rpc_url, probe, 12)
    with RpcProxy(anvil.rpc_url) as proxy:
        proxy.max_log_span = 25
        async with RpcClient([proxy.url], chain_id=31337, retry=FAST_RETRY) as client:
            scanner = LogScanner(client, RangePolicy(initial_span=1000))
            logs = await _scan(scanner, probe, first, last)
    assert len(logs) == 24
    assert [PING.decode(log.topics, log.data)[0] for log in logs[:2]] == [0, 1]
    assert scanner.span <= 25  # took the node's suggestion, never grew past a refused span


async def test_log_scanner_shrinks_on_too_many_results(anvil: AnvilProcess, probe: str) -> None:
    first, last = _emit_pings(anvil.rpc_url, probe, 8)
    with RpcProxy(anvil.rpc_url) as proxy:
        proxy.max_log_results = 5
        async with RpcClient([proxy.url], chain_id=31337, retry=FAST_RETRY) as client:
            scanner = LogScanner(client, RangePolicy(initial_span=10_000))
            logs = await _scan(scanner, probe, first, last)
    assert len(logs) == 16
    numbers = [log.block_number for log in logs]
    assert numbers == sorted(numbers)


async def test_log_scanner_grows_when_sparse(rpc: RpcClient, probe: str) -> None:
    scanner = LogScanner(rpc, RangePolicy(initial_span=2, max_span=64))
    head = int(await rpc.request("eth_blockNumber", []), 16)
    await _scan(scanner, probe, max(0, head - 200), head)
    assert scanner.span == 64
    assert scanner.requests < 15  # 2, 4, 8, ... instead of 100 windows of 2


async def test_log_scanner_reraises_unrelated_errors(rpc: RpcClient) -> None:
    scanner = LogScanner(rpc)
    with pytest.raises(RpcError):
        await scanner.scan(address="0xnot-an-address", topics=[], from_block=0, to_block=10)
