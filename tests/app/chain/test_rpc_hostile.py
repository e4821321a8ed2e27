"""RpcClient against hostile endpoints: bad shapes, deep JSON, redirects, black holes (#22, 4)."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import pytest

from app.chain.errors import EndpointError
from app.chain.logs import LogScanner
from app.chain.multicall import Call, Multicall
from app.chain.rpc import RpcClient
from app.devnet.anvil import AnvilProcess
from app.errors import NetworkError
from tests.app.chain.blackhole import BlackHole
from tests.app.chain.conftest import FAST_RETRY
from tests.hostile_server import DEEP, HostileServer

pytestmark = pytest.mark.integration  # a real anvil behind real hostile HTTP servers


def _forward(upstream: str, body: bytes) -> bytes:
    req = urllib.request.Request(  # noqa: S310 - loopback anvil
        upstream, data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
        return bytes(resp.read())


def _answer_with(upstream: str, method: str, reply: Any) -> HostileServer:
    """Forward to anvil, except ``method``, answered with ``reply`` (bytes or a result/error)."""

    def answer(_m: str, _p: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        request = json.loads(body)
        if isinstance(request, dict) and request.get("method") == method:
            if isinstance(reply, bytes):
                return 200, {}, reply
            return 200, {}, json.dumps({"jsonrpc": "2.0", "id": request["id"], **reply}).encode()
        return 200, {}, _forward(upstream, body)

    return HostileServer(answer=answer)


HOSTILE_CHAIN_IDS = [
    {"result": None},
    {"result": 31337},
    {"result": "zz"},
    {"result": "0x" + "f" * 80},
    {"error": "nope"},
    {"error": {"code": "x", "message": 5}},
    {"error": {"code": 10**30, "message": "big"}},
    {},
]


@pytest.mark.parametrize("reply", HOSTILE_CHAIN_IDS, ids=[json.dumps(r) for r in HOSTILE_CHAIN_IDS])
async def test_bad_chain_id_answers_fall_back_to_the_next_endpoint(
    anvil: AnvilProcess, reply: dict[str, Any]
) -> None:
    with _answer_with(anvil.rpc_url, "eth_chainId", reply) as hostile:
        async with RpcClient([hostile.url, anvil.rpc_url], chain_id=31337, retry=FAST_RETRY) as c:
            assert c.endpoint == anvil.rpc_url


@pytest.mark.parametrize(
    "body",
    [DEEP, b"[]", b"[1,2]", b"null", b"\xff\xfe", b'{"jsonrpc":"2.0"'],
    ids=["deep", "empty-array", "array", "null", "not-utf8", "cut"],
)
async def test_unreadable_bodies_fall_back_to_the_next_endpoint(
    anvil: AnvilProcess, body: bytes
) -> None:
    with HostileServer(body) as hostile:
        async with RpcClient([hostile.url, anvil.rpc_url], chain_id=31337, retry=FAST_RETRY) as c:
            assert c.endpoint == anvil.rpc_url


async def test_only_hostile_endpoints_give_a_clear_error_naming_them() -> None:
    with HostileServer(DEEP) as hostile:
        client = RpcClient([hostile.url], chain_id=31337, retry=FAST_RETRY)
        with pytest.raises(EndpointError) as info:
            await client.connect()
        assert hostile.url in info.value.user_message
        assert "nested" in str(info.value.detail)


async def test_redirects_are_not_followed(anvil: AnvilProcess) -> None:
    def redirect(_m: str, _p: str, _b: bytes) -> tuple[int, dict[str, str], bytes]:
        return 307, {"Location": anvil.rpc_url}, b""

    with HostileServer(answer=redirect) as hostile:
        client = RpcClient([hostile.url], chain_id=31337, retry=FAST_RETRY)
        with pytest.raises(EndpointError) as info:
            await client.connect()
        assert "redirect" in str(info.value.detail).lower()


async def test_a_black_holed_endpoint_is_skipped_within_5_s(anvil: AnvilProcess) -> None:
    with BlackHole() as hole:
        started = time.monotonic()
        async with RpcClient([hole.url, anvil.rpc_url], chain_id=31337) as client:
            assert client.endpoint == anvil.rpc_url
        assert time.monotonic() - started < 5.0


async def test_a_silent_endpoint_is_skipped_within_5_s(anvil: AnvilProcess) -> None:
    with HostileServer() as silent:
        silent.silent = True
        started = time.monotonic()
        async with RpcClient([silent.url, anvil.rpc_url], chain_id=31337) as client:
            assert client.endpoint == anvil.rpc_url
        assert time.monotonic() - started < 5.0


async def test_bad_hex_in_multicall_results_is_a_clear_error(anvil: AnvilProcess) -> None:
    with _answer_with(anvil.rpc_url, "eth_call", {"result": "0xzz"}) as hostile:
        async with RpcClient([hostile.url], chain_id=31337, retry=FAST_RETRY) as client:
            multicall = Multicall(client, "0xcA11bde05977b3631167028862bE2a173976CA11")
            with pytest.raises(NetworkError, match=hostile.url):
                await multicall.run([Call("0x" + "11" * 20, b"\x01")])


async def test_undecodable_multicall_results_are_a_clear_error(anvil: AnvilProcess) -> None:
    garbage = {"result": "0x" + "00" * 31 + "20" + "ff" * 64}  # an offset pointing past the end
    with _answer_with(anvil.rpc_url, "eth_call", garbage) as hostile:
        async with RpcClient([hostile.url], chain_id=31337, retry=FAST_RETRY) as client:
            multicall = Multicall(client, "0xcA11bde05977b3631167028862bE2a173976CA11")
            with pytest.raises(NetworkError, match=hostile.url):
                await multicall.run([Call("0x" + "11" * 20, b"\x01")])


async def test_a_bad_multicall_answer_falls_back_to_a_good_endpoint(
    anvil: AnvilProcess, probe: str
) -> None:
    with _answer_with(anvil.rpc_url, "eth_call", {"result": "0xzz"}) as hostile:
        async with RpcClient([hostile.url, anvil.rpc_url], chain_id=31337, retry=FAST_RETRY) as c:
            multicall = Multicall(c, None)
            results = await multicall.run([Call(probe, bytes.fromhex("06fdde03"))])
            assert len(results) == 1
            assert c.endpoint == anvil.rpc_url


@pytest.mark.parametrize(
    "logs",
    [[{"topics": [], "data": "0x"}], "nope", [5], [{"address": "0x1", "topics": "x"}]],
    ids=repr,
)
async def test_malformed_logs_are_a_clear_error(anvil: AnvilProcess, logs: Any) -> None:
    with _answer_with(anvil.rpc_url, "eth_getLogs", {"result": logs}) as hostile:
        async with RpcClient([hostile.url], chain_id=31337, retry=FAST_RETRY) as client:
            with pytest.raises(NetworkError, match=hostile.url):
                await LogScanner(client).scan(
                    address="0x" + "11" * 20, topics=[], from_block=0, to_block=1
                )
