"""TxSender against a real anvil: simulation, revert reasons, nonces, fees, chain checks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.chain.abi_codec import fn
from app.chain.errors import ContractRevertError, TransactionError
from app.chain.revert import ErrorRegistry
from app.chain.rpc import RpcClient
from app.chain.transactions import GWEI, FeePolicy, TxRequest, TxSender
from app.devnet.anvil import AnvilProcess
from app.devnet.dev_accounts import dev_accounts
from app.errors import ChainMismatchError
from app.keys.signer_protocol import LocalKeySigner
from tests.app.chain.conftest import FAST_RETRY
from tests.app.chain.proxy import RpcProxy

pytestmark = pytest.mark.integration  # a real anvil (and a real HTTP proxy)

SET_VALUE = fn("setValue(uint256)")
VALUE = fn("value()", "uint256")


@pytest.fixture
def sender(rpc: RpcClient, probe_artifact: dict[str, Any]) -> TxSender:
    errors = ErrorRegistry()
    errors.add_abi(probe_artifact["abi"])
    signer = LocalKeySigner(dev_accounts(3)[2].dev_key, chain_id=31337)
    return TxSender(rpc, signer, errors=errors)


async def _value(rpc: RpcClient, probe: str) -> int:
    raw = await rpc.request(
        "eth_call", [{"to": probe, "data": "0x" + VALUE.encode().hex()}, "latest"]
    )
    return int(VALUE.decode_one(bytes.fromhex(raw[2:])))


async def test_send_and_wait_changes_state(sender: TxSender, rpc: RpcClient, probe: str) -> None:
    receipt = await sender.send_and_wait(TxRequest(probe, SET_VALUE.encode(7)))
    assert receipt.success
    assert await _value(rpc, probe) == 7


async def test_several_pending_transactions_get_sequential_nonces(
    sender: TxSender, rpc: RpcClient, probe: str
) -> None:
    await rpc.request("evm_setAutomine", [False])
    try:
        hashes = await asyncio.gather(
            *(sender.send(TxRequest(probe, SET_VALUE.encode(v))) for v in (20, 21, 22))
        )
        await rpc.request("evm_mine", [])
    finally:
        await rpc.request("evm_setAutomine", [True])
    receipts = [await sender.wait_for_receipt(h) for h in hashes]
    assert all(r.success for r in receipts)
    assert len({r.tx_hash for r in receipts}) == 3


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("failString()", "Probe: nope"),
        ("failCustom()", "Unauthorized(caller="),
    ],
)
async def test_simulation_decodes_revert_reasons(
    sender: TxSender, probe: str, method: str, expected: str
) -> None:
    with pytest.raises(ContractRevertError) as info:
        await sender.send(TxRequest(probe, fn(method).encode()))
    assert expected in info.value.reason


async def test_simulation_decodes_panic(sender: TxSender, probe: str) -> None:
    with pytest.raises(ContractRevertError, match="division or modulo by zero"):
        await sender.simulate(TxRequest(probe, fn("failPanic(uint256)").encode(0)))


async def test_fee_cap_refuses_expensive_network(rpc: RpcClient, probe: str) -> None:
    signer = LocalKeySigner(dev_accounts(3)[2].dev_key, chain_id=31337)
    cheap = TxSender(rpc, signer, fees=FeePolicy(max_fee_cap_wei=1))
    with pytest.raises(TransactionError, match="above your cap"):
        await cheap.send(TxRequest(probe, SET_VALUE.encode(1)))


async def test_fees_stay_under_cap(sender: TxSender) -> None:
    fields = await sender.fee_fields()
    assert fields["maxFeePerGas"] <= 300 * GWEI
    assert fields["maxPriorityFeePerGas"] <= fields["maxFeePerGas"]


async def test_never_signs_when_endpoint_switches_chain(anvil: AnvilProcess, probe: str) -> None:
    with RpcProxy(anvil.rpc_url) as proxy:
        async with RpcClient([proxy.url], chain_id=31337, retry=FAST_RETRY) as client:
            signer = LocalKeySigner(dev_accounts(3)[2].dev_key, chain_id=31337)
            tx_sender = TxSender(client, signer)
            proxy.chain_id = 1
            with pytest.raises(ChainMismatchError):
                await tx_sender.send(TxRequest(probe, SET_VALUE.encode(5)))
            assert "eth_sendRawTransaction" not in proxy.methods
