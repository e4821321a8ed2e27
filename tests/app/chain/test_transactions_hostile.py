"""TxSender against hostile RPC answers: every result it uses has its shape checked (issue #22).

A real HTTP server on loopback forwards to a real anvil and replaces one method's result with a
malformed one. With a good endpoint listed after it, the transaction still goes through; with
only the hostile endpoint, the error is clear and names the method, never a traceback.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from app.chain.abi_codec import fn
from app.chain.errors import TransactionError
from app.chain.rpc import RpcClient
from app.chain.transactions import TxRequest, TxSender
from app.devnet.anvil import AnvilProcess
from app.devnet.dev_accounts import dev_accounts
from app.errors import AppError, NetworkError
from app.keys.signer_protocol import LocalKeySigner
from tests.app.chain.conftest import FAST_RETRY
from tests.hostile_server import HostileServer

pytestmark = pytest.mark.integration  # a real anvil behind a real hostile HTTP server

SET_VALUE = fn("setValue(uint256)")
Mutate = Callable[[Any], Any]


def _forward(upstream: str, body: bytes) -> dict[str, Any]:
    req = urllib.request.Request(  # noqa: S310 - loopback anvil
        upstream, data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
        answer: dict[str, Any] = json.load(resp)
        return answer


def _mutating(upstream: str, method: str, mutate: Mutate) -> HostileServer:
    """Forward everything to anvil; replace ``method``'s result with ``mutate(real result)``."""

    def answer(_m: str, _p: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        request = json.loads(body)
        real = _forward(upstream, body)
        if isinstance(request, dict) and request.get("method") == method and "result" in real:
            real = {**real, "result": mutate(real["result"])}
        return 200, {}, json.dumps(real).encode()

    return HostileServer(answer=answer)


def _receipt_with(**fields: Any) -> Mutate:
    return lambda real: None if real is None else {**real, **fields}


HOSTILE: list[tuple[str, Mutate]] = [
    ("eth_getTransactionCount", lambda _r: None),
    ("eth_getTransactionCount", lambda _r: "0x"),
    ("eth_getTransactionCount", lambda _r: 7),
    ("eth_getTransactionCount", lambda _r: "0x" + "f" * 20),  # above 2**64
    ("eth_estimateGas", lambda _r: "0x0"),
    ("eth_estimateGas", lambda _r: "0x" + "f" * 16),
    ("eth_estimateGas", lambda _r: ["0x5208"]),
    ("eth_call", lambda _r: "0xzz"),
    ("eth_call", lambda _r: {"x": 1}),
    ("eth_getBlockByNumber", lambda _r: "latest"),
    ("eth_getBlockByNumber", lambda r: {**r, "baseFeePerGas": "zz"}),
    ("eth_getBlockByNumber", lambda r: {**r, "baseFeePerGas": "0x" + "f" * 64}),
    ("eth_maxPriorityFeePerGas", lambda _r: "a lot"),
    ("eth_sendRawTransaction", lambda _r: None),
    ("eth_sendRawTransaction", lambda _r: "0x1234"),
    ("eth_sendRawTransaction", lambda _r: 5),
    ("eth_getTransactionReceipt", lambda r: None if r is None else "mined"),
    ("eth_getTransactionReceipt", _receipt_with(status="0x2")),
    ("eth_getTransactionReceipt", _receipt_with(status=None)),
    ("eth_getTransactionReceipt", _receipt_with(blockNumber="0xzz")),
    ("eth_getTransactionReceipt", _receipt_with(gasUsed=[1])),
    ("eth_getTransactionReceipt", _receipt_with(logs="none")),
    ("eth_getTransactionReceipt", _receipt_with(logs=[{"topics": []}])),
    ("eth_getTransactionReceipt", _receipt_with(transactionHash="0x" + "ab" * 32)),
]
IDS = [f"{method}-{i}" for i, (method, _) in enumerate(HOSTILE)]


def _sender(client: RpcClient, key_index: int) -> TxSender:
    signer = LocalKeySigner(dev_accounts(8)[key_index].dev_key, chain_id=31337)
    return TxSender(client, signer, receipt_timeout_s=10)


@pytest.mark.parametrize(("method", "mutate"), HOSTILE, ids=IDS)
async def test_a_malformed_result_falls_back_to_the_good_endpoint(
    anvil: AnvilProcess, probe: str, method: str, mutate: Mutate
) -> None:
    with _mutating(anvil.rpc_url, method, mutate) as hostile:
        async with RpcClient(
            [hostile.url, anvil.rpc_url], chain_id=31337, retry=FAST_RETRY
        ) as client:
            receipt = await _sender(client, 5).send_and_wait(TxRequest(probe, SET_VALUE.encode(3)))
    assert receipt.success
    assert receipt.block_number > 0
    assert receipt.gas_used >= 21_000


@pytest.mark.parametrize(("method", "mutate"), HOSTILE, ids=IDS)
async def test_a_malformed_result_alone_is_a_clear_error_naming_the_method(
    anvil: AnvilProcess, probe: str, method: str, mutate: Mutate
) -> None:
    with _mutating(anvil.rpc_url, method, mutate) as hostile:
        async with RpcClient([hostile.url], chain_id=31337, retry=FAST_RETRY) as client:
            with pytest.raises(AppError) as info:
                await _sender(client, 6).send_and_wait(TxRequest(probe, SET_VALUE.encode(4)))
    assert method in str(info.value)
    assert "malformed result" in str(info.value)
    if method == "eth_sendRawTransaction":  # it reached the node: say so, with the hash
        assert isinstance(info.value, TransactionError)
        assert "may have been sent" in info.value.user_message
        assert "0x" in info.value.user_message.split("Its hash is ")[1]
    else:
        assert isinstance(info.value, NetworkError)


async def test_a_transaction_hash_other_than_the_signed_one_is_refused(
    anvil: AnvilProcess, probe: str
) -> None:
    other = "0x" + "cd" * 32
    with _mutating(anvil.rpc_url, "eth_sendRawTransaction", lambda _r: other) as hostile:
        async with RpcClient([hostile.url], chain_id=31337, retry=FAST_RETRY) as client:
            with pytest.raises(TransactionError) as info:
                await _sender(client, 7).send(TxRequest(probe, SET_VALUE.encode(5)))
    assert f"answered with the hash {other}, not the hash of the signed" in str(info.value)
