"""How govdesk makes a Snapshot hub client for a data folder: the one production hub factory.

Every reader of the hub (the board, the account's context, the detail view, verification, the
delegates page, ``SnapshotService``) gets its client from here, through the composition root's
``Factories.hub`` (``app.ports``). The client sends the user's stored Snapshot API key, so it is
paced to the key's budget rather than the keyless 100 requests a minute, and it keeps its answers
in the store's cache so lists and details read offline. httpx loads with the first client.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from app.snapshot.cache import HubCache
from app.snapshot.settings import api_key

if TYPE_CHECKING:
    from app.snapshot.hub_client import HubClient


class HubFactory(Protocol):
    """Makes a hub client for ``url`` over a data folder's ``store`` (None: no data folder)."""

    def __call__(
        self,
        url: str,
        store: sqlite3.Connection | None,
        clock: Callable[[], float] = time.time,
        *,
        cached: bool = True,
    ) -> HubClient: ...


def store_hub(
    url: str,
    store: sqlite3.Connection | None,
    clock: Callable[[], float] = time.time,
    *,
    cached: bool = True,
) -> HubClient:
    """A client for the hub at ``url`` with ``store``'s API key and (unless not ``cached``) its
    cache; without a store, neither."""
    from app.snapshot.hub_client import HubClient

    if store is None:
        return HubClient(url)
    cache = HubCache(store, url, clock=clock) if cached else None
    return HubClient(url, api_key=api_key(store), cache=cache)
