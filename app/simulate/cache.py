"""Simulations kept per proposal and block, so reopening a proposal does not run it again."""

from __future__ import annotations

from collections import OrderedDict

from app.simulate.model import Simulation

# (chain id, governor, proposal id, block number, block hash): the hash tells a reorganised (or,
# on a devnet, reverted) chain's block apart from the one simulated before.
CacheKey = tuple[int, str, int, int, str]


class SimulationCache:
    """A small least-recently-used map from (chain, governor, proposal, block) to a result."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._items: OrderedDict[CacheKey, Simulation] = OrderedDict()

    @staticmethod
    def key(chain_id: int, governor: str, proposal_id: int, block: int, hash_: str) -> CacheKey:
        return chain_id, governor.lower(), proposal_id, block, hash_.lower()

    def get(self, key: CacheKey) -> Simulation | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: CacheKey, simulation: Simulation) -> None:
        self._items[key] = simulation
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def latest(self, chain_id: int, governor: str, proposal_id: int) -> Simulation | None:
        """The most recent result for a proposal at any block (shown while a new one runs)."""
        for (chain, gov, pid, _block, _hash), found in reversed(self._items.items()):
            if (chain, gov, pid) == (chain_id, governor.lower(), proposal_id):
                return found
        return None


# One per process, like the decoder's cache: results are pure functions of (proposal, block).
SIMULATIONS = SimulationCache()
