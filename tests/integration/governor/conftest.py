"""Fixtures for driving the devnet's governors through OUR client (GovernorClient)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from app.chain.rpc import RpcClient
from app.devnet.network import Devnet
from app.governor.client import GovernorClient
from app.governor.model import ClockMode, GovernorInfo
from app.keys.signer_protocol import LocalKeySigner

CHAIN_ID = 31337


@pytest.fixture
def signer(devnet: Devnet) -> Callable[[int], LocalKeySigner]:
    def make(index: int) -> LocalKeySigner:
        return LocalKeySigner(devnet.accounts[index].dev_key, chain_id=CHAIN_ID)

    return make


@pytest.fixture
async def rpc(isolated_devnet: Devnet) -> AsyncIterator[RpcClient]:
    async with RpcClient([isolated_devnet.rpc_url], chain_id=CHAIN_ID) as client:
        yield client


@pytest.fixture
def open_governor(
    isolated_devnet: Devnet, rpc: RpcClient
) -> Callable[[str], Awaitable[GovernorClient]]:
    async def make(stack: str) -> GovernorClient:
        return await GovernorClient.open(
            rpc,
            isolated_devnet.stack(stack)["governor"],
            multicall_address=isolated_devnet.multicall,
        )

    return make


def advance(devnet: Devnet, info: GovernorInfo, units: int) -> None:
    """Move the governor's clock forward by ``units`` (blocks or seconds)."""
    if info.clock_mode is ClockMode.TIMESTAMP:
        devnet.control.increase_time(units)
    else:
        devnet.control.mine(units)
