"""Simulate a proposal (or actions not yet proposed) from the event loop.

The organisation's own RPC endpoint is the only thing contacted: its chain id is checked by
``RpcClient`` first, then the local EVM forks it at the latest block. The EVM work runs in a
worker thread (``asyncio.to_thread``); progress comes back to the loop through
``call_soon_threadsafe``, and cancelling the awaiting task stops the worker before its next action.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from app.chain.rpc import RpcClient
from app.errors import InputError, NetworkError
from app.governor.client import GovernorClient
from app.governor.model import ProposalCreated
from app.governor.writer import ProposedCall
from app.orgs import Organisation
from app.ports import Factories
from app.simulate.cache import SIMULATIONS, SimulationCache
from app.simulate.engine import BlockContext, ForkedChain
from app.simulate.model import ProposalCall, Simulation
from app.simulate.simulator import Setting, simulate_on

Progress = Callable[[int, int, str], None]  # (done, total, what is happening), on the loop


def calls_of(created: ProposalCreated) -> tuple[ProposalCall, ...]:
    """The actions of a proposal as emitted in ProposalCreated."""
    return tuple(
        ProposalCall(t, v, s, c)
        for t, v, s, c in zip(
            created.targets, created.values, created.signatures, created.calldatas, strict=True
        )
    )


def calls_from_builder(calls: Sequence[ProposedCall]) -> tuple[ProposalCall, ...]:
    """Actions typed in the actions builder (full calldata, as an OZ proposal carries them)."""
    return tuple(ProposalCall(c.target, c.value, "", c.calldata()) for c in calls)


async def head_block(rpc: RpcClient) -> BlockContext:
    block = await rpc.request("eth_getBlockByNumber", ["latest", False])
    if not isinstance(block, dict) or "number" not in block:
        raise NetworkError(f"The RPC endpoint {rpc.endpoint} returned no latest block.")
    mix = str(block.get("mixHash") or "0x" + "0" * 64)
    return BlockContext(
        chain_id=rpc.chain_id,
        number=int(block["number"], 16),
        timestamp=int(block["timestamp"], 16),
        gas_limit=int(block.get("gasLimit", "0x1c9c380"), 16),
        base_fee=int(block.get("baseFeePerGas") or "0x0", 16),
        coinbase=str(block.get("miner") or "0x" + "0" * 40),
        prevrandao=bytes.fromhex(mix.removeprefix("0x").rjust(64, "0")),
        hash=str(block.get("hash") or ""),
    )


async def simulate_with(
    rpc: RpcClient,
    governor: GovernorClient,
    calls: Sequence[ProposalCall],
    *,
    block: BlockContext | None = None,
    progress: Progress | None = None,
    watch: Sequence[str] = (),
) -> Simulation:
    """Run ``calls`` as ``governor``'s executor on a local fork of ``rpc`` at ``block``."""
    if not calls:
        raise InputError("There are no actions to simulate.")
    block = block or await head_block(rpc)
    info = governor.info
    executor = info.timelock or info.address
    setting = Setting(
        chain_id=rpc.chain_id,
        executor=executor,
        executor_label="Timelock" if info.timelock else "Governor",
        names=((info.address, "Governor"), (info.token.address, info.token.symbol)),
        token=info.token.address,
        watch=tuple(watch),
    )
    loop = asyncio.get_running_loop()
    stop = threading.Event()

    def step(done: int, total: int, text: str) -> None:
        if progress is not None:
            loop.call_soon_threadsafe(progress, done, total, text)

    def work() -> Simulation:
        step(0, len(calls), f"Forking block {block.number:,} locally")
        chain = ForkedChain(rpc.endpoint, block, executor)
        return simulate_on(chain, calls, setting, governor.errors, step=step, cancelled=stop.is_set)

    try:
        return await asyncio.to_thread(work)
    except asyncio.CancelledError:
        stop.set()  # the worker stops before its next action
        raise


async def _open(org: Organisation, factories: Factories | None) -> tuple[RpcClient, GovernorClient]:
    if not org.governor:
        raise InputError(f"{org.name} has no on-chain governor configured.")
    factories = factories or Factories()
    rpc = await factories.rpc(org.network).connect()
    try:
        governor = await GovernorClient.open(
            rpc,
            org.governor,
            multicall_address=org.network.multicall or None,
            from_block=factories.scan_from_block,
            token=org.token or None,
        )
    except BaseException:
        await rpc.close()
        raise
    return rpc, governor


async def simulate_proposal(
    org: Organisation,
    proposal_id: int,
    *,
    progress: Progress | None = None,
    cache: SimulationCache = SIMULATIONS,
    factories: Factories | None = None,
    watch: Sequence[str] = (),
) -> Simulation:
    """Simulate an on-chain proposal of ``org`` at the latest block (cached per block, unless
    extra ``watch`` addresses make the report differ)."""
    rpc, governor = await _open(org, factories)
    try:
        block = await head_block(rpc)
        key = cache.key(rpc.chain_id, governor.info.address, proposal_id, block.number, block.hash)
        found = None if watch else cache.get(key)
        if found is not None:
            return found
        created = await governor.created(proposal_id)
        simulation = await simulate_with(
            rpc, governor, calls_of(created), block=block, progress=progress, watch=watch
        )
    finally:
        await rpc.close()
    simulation = replace(simulation, title=created.title)
    if not watch:
        cache.put(key, simulation)
    return simulation


async def simulate_actions(
    org: Organisation,
    calls: Sequence[ProposedCall],
    *,
    progress: Progress | None = None,
    factories: Factories | None = None,
) -> Simulation:
    """Simulate actions before they are proposed (the actions builder)."""
    rpc, governor = await _open(org, factories)
    try:
        return await simulate_with(rpc, governor, calls_from_builder(calls), progress=progress)
    finally:
        await rpc.close()
