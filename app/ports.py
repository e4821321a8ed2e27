"""The parts a use case talks to the world through, made by factories the composition root owns.

Production factories build the real thing (the OS keyring, httpx, web3 RPC, the Snapshot hub
with the stored API key and the store's cache, the sequencer); tests hand in real local parts
instead (an in-memory vault, clients bound to a devnet) without patching any library. No Qt, no
globals.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from app.errors import InputError
from app.orgs import Network, Organisation
from app.snapshot.hub_access import HubFactory, store_hub

if TYPE_CHECKING:  # web3 and httpx load when a use case first needs them
    import httpx

    from app.chain.rpc import RpcClient
    from app.governor.client import GovernorClient
    from app.keys.keystore import KdfParams
    from app.keys.vault import KeyVault
    from app.snapshot.hub_client import HubClient
    from app.snapshot.sequencer import SequencerClient


def _keyring_vault() -> KeyVault:
    from app.keys.keyring_vault import KeyringVault

    return KeyringVault()


def _http_client() -> httpx.AsyncClient:
    import httpx

    from app.stream_http import StreamTransport
    from app.tls import shared_context

    return httpx.AsyncClient(
        headers={"Accept": "application/json"},
        timeout=15.0,
        transport=StreamTransport(verify=shared_context()),
    )


def _rpc_client(network: Network) -> RpcClient:
    from app.chain.rpc import RpcClient

    return RpcClient(network.rpc_urls, chain_id=network.chain_id)


def _sequencer_client(url: str) -> SequencerClient:
    from app.snapshot.sequencer import SequencerClient

    return SequencerClient(url)


@dataclass(frozen=True)
class HubSource:
    """The Snapshot hub clients of one data folder, all made by ``Factories.hub``."""

    make: HubFactory = store_hub
    store: sqlite3.Connection | None = None  # None: keyless and uncached (no data folder)
    clock: Callable[[], float] = time.time

    def client(self, url: str, *, cached: bool = True) -> HubClient:
        """A client for ``url``; ``cached=False`` keeps its answers out of the store (for reads
        too large to write on the event loop, such as every vote of a proposal)."""
        return self.make(url, self.store, self.clock, cached=cached)


# Where ENS's registry lives, per chain id: voters are named only on these networks.
ENS_REGISTRY = "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e"
ENS_REGISTRIES: Mapping[int, str] = MappingProxyType(
    {1: ENS_REGISTRY, 11155111: ENS_REGISTRY, 17000: ENS_REGISTRY}
)


@dataclass(frozen=True)
class Factories:
    """How to make each outside part; every field can be replaced (``dataclasses.replace``)."""

    vault: Callable[[], KeyVault] = _keyring_vault
    http: Callable[[], httpx.AsyncClient] = _http_client
    rpc: Callable[[Network], RpcClient] = _rpc_client
    sequencer: Callable[[str], SequencerClient] = _sequencer_client
    hub: HubFactory = store_hub  # the stored API key and the store's cache
    kdf: KdfParams | None = field(default=None)  # None: the keystore's production costs
    ens_registries: Mapping[int, str] = field(default_factory=lambda: ENS_REGISTRIES)
    scan_from_block: int = 0  # the first block searched for governor events (CLI --from-block)

    def hubs(
        self, store: sqlite3.Connection | None, clock: Callable[[], float] = time.time
    ) -> HubSource:
        """Hub clients over ``store``: its API key and its cache (``Services.hubs``)."""
        return HubSource(self.hub, store, clock)

    @asynccontextmanager
    async def chain(self, org: Organisation) -> AsyncIterator[RpcClient]:
        """A connected RPC client for ``org``'s network, closed on exit."""
        if not org.network.rpc_urls:
            raise InputError(f"{org.name} has no RPC endpoint configured.")
        rpc = self.rpc(org.network)
        try:
            await rpc.connect()
            yield rpc
        finally:
            await rpc.close()

    @asynccontextmanager
    async def governor(self, org: Organisation) -> AsyncIterator[GovernorClient]:
        """A ``GovernorClient`` for ``org``'s governor; its RPC connection closes on exit."""
        from app.governor.client import GovernorClient

        if not org.governor:
            raise InputError(f"{org.name} has no on-chain governor configured.")
        async with self.chain(org) as rpc:
            yield await GovernorClient.open(
                rpc,
                org.governor,
                multicall_address=org.network.multicall or None,
                from_block=self.scan_from_block,
                token=org.token or None,  # the organisation's token wins over detection
            )
