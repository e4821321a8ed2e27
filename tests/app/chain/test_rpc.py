"""RpcClient against a real anvil and a real misbehaving proxy in front of it."""

from __future__ import annotations

import socket

import pytest

from app.chain.errors import EndpointError, RpcError
from app.chain.rpc import RpcClient
from app.devnet.anvil import AnvilProcess
from app.errors import ChainMismatchError, ConfigError
from tests.app.chain.conftest import FAST_RETRY
from tests.app.chain.proxy import RpcProxy

pytestmark = pytest.mark.integration  # a real anvil (and a real HTTP proxy)


def _dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def test_rpc_client_verifies_chain_on_connect(anvil: AnvilProcess) -> None:
    async with RpcClient([anvil.rpc_url], chain_id=31337) as client:
        assert int(await client.request("eth_blockNumber", []), 16) >= 0


async def test_rpc_client_refuses_wrong_chain(anvil: AnvilProcess) -> None:
    client = RpcClient([anvil.rpc_url], chain_id=1, retry=FAST_RETRY)
    with pytest.raises(ChainMismatchError, match="serves chain 31337"):
        await client.connect()
    await client.close()


async def test_rpc_client_falls_back_to_next_endpoint(anvil: AnvilProcess) -> None:
    dead = _dead_url()
    async with RpcClient([dead, anvil.rpc_url], chain_id=31337, retry=FAST_RETRY) as client:
        assert client.endpoint == anvil.rpc_url


async def test_rpc_client_names_endpoints_when_all_fail() -> None:
    dead = _dead_url()
    client = RpcClient([dead], chain_id=31337, retry=FAST_RETRY)
    with pytest.raises(EndpointError) as info:
        await client.connect()
    assert dead in info.value.user_message
    await client.close()


async def test_rpc_client_retries_transient_http_errors(anvil: AnvilProcess) -> None:
    with RpcProxy(anvil.rpc_url) as proxy:
        async with RpcClient([proxy.url], chain_id=31337, retry=FAST_RETRY) as client:
            proxy.fail_next_http = 2  # fewer than the three attempts
            assert await client.request("eth_chainId", []) == "0x7a69"


async def test_rpc_client_ensure_chain_catches_a_switched_endpoint(anvil: AnvilProcess) -> None:
    with RpcProxy(anvil.rpc_url) as proxy:
        async with RpcClient([proxy.url], chain_id=31337, retry=FAST_RETRY) as client:
            proxy.chain_id = 5
            with pytest.raises(ChainMismatchError, match="chain 5"):
                await client.ensure_chain()


async def test_rpc_client_raises_rpc_errors_without_retry(rpc: RpcClient) -> None:
    with pytest.raises(RpcError) as info:
        await rpc.request("eth_noSuchMethod", [])
    assert info.value.code != 0


async def test_rpc_client_batches_requests(rpc: RpcClient) -> None:
    chain, number = await rpc.request_batch([("eth_chainId", []), ("eth_blockNumber", [])])
    assert chain == "0x7a69"
    assert number.startswith("0x")


def test_rpc_client_needs_an_endpoint() -> None:
    with pytest.raises(ConfigError):
        RpcClient([], chain_id=1)


async def test_rpc_client_gives_up_on_persistent_http_errors(anvil: AnvilProcess) -> None:
    with RpcProxy(anvil.rpc_url) as proxy:
        proxy.fail_next_http, proxy.fail_status = 100, 403
        client = RpcClient([proxy.url], chain_id=31337, retry=FAST_RETRY)
        with pytest.raises(EndpointError) as info:
            await client.connect()
        assert proxy.url in info.value.user_message
        assert "HTTP 403" in str(info.value.detail)
        assert proxy.fail_next_http == 99  # refused once: not retried


async def test_rpc_client_falls_back_after_transient_errors_run_out(anvil: AnvilProcess) -> None:
    with RpcProxy(anvil.rpc_url) as flaky:
        flaky.fail_next_http = 100
        urls = [flaky.url, anvil.rpc_url]
        async with RpcClient(urls, chain_id=31337, retry=FAST_RETRY) as client:
            assert client.endpoint == anvil.rpc_url
        assert flaky.fail_next_http == 100 - FAST_RETRY.attempts
