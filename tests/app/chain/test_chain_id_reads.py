"""Reads check the chain too (issue #22, finding 4): endpoints that disagree are refused, and a
configured chain id is held against every endpoint. Real HTTP servers on loopback."""

from __future__ import annotations

import json

import pytest

from app.chain.rpc import RpcClient, probe_chain_id
from app.cli import main
from app.errors import ChainMismatchError, NetworkError
from tests.app.chain.conftest import FAST_RETRY
from tests.hostile_server import HostileServer


def _chain(chain_id: int) -> HostileServer:
    def answer(_m: str, _p: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        request = json.loads(body)
        reply = {"jsonrpc": "2.0", "id": request["id"], "result": hex(chain_id)}
        return 200, {}, json.dumps(reply).encode()

    return HostileServer(answer=answer)


async def test_endpoints_that_disagree_on_the_chain_are_refused_for_reads() -> None:
    with _chain(1) as mainnet, _chain(5) as other:
        with pytest.raises(ChainMismatchError, match="disagree on the chain"):
            await probe_chain_id([mainnet.url, other.url])
        assert await probe_chain_id([mainnet.url]) == 1


async def test_a_configured_chain_id_is_checked_on_every_endpoint() -> None:
    with _chain(1) as wrong:
        client = RpcClient([wrong.url], chain_id=31337, retry=FAST_RETRY)
        with pytest.raises(NetworkError) as info:
            await client.connect()
        assert "31337" in str(info.value)


def test_governor_reads_without_chain_id_refuse_disagreeing_endpoints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _chain(1) as mainnet, _chain(5) as other:
        code = main(["governor", "proposals", "--rpc", mainnet.url, "--rpc", other.url,
                     "--governor", "0x" + "22" * 20])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "disagree on the chain" in err
    assert "Traceback" not in err
