"""Simulation use cases: what a proposal (or actions about to be proposed) would do, run on a
local fork of the organisation's own chain (``app.simulate``), and the check before executing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from app.orgs import Organisation
from app.ports import Factories

if TYPE_CHECKING:
    from app.governor.writer import ProposedCall
    from app.simulate.cache import SimulationCache
    from app.simulate.model import Simulation
    from app.simulate.runner import Progress

T = TypeVar("T")


class Simulations:
    def __init__(self, factories: Factories, cache: SimulationCache | None = None) -> None:
        from app.simulate.cache import SIMULATIONS

        self.factories = factories
        self.cache = cache or SIMULATIONS  # per proposal and block, shared by every window

    async def proposal(
        self, org: Organisation, proposal_id: int, progress: Progress | None = None, *,
        watch: Sequence[str] = (),
    ) -> Simulation:  # fmt: skip
        """Proposal ``proposal_id`` executed at the latest block (cached per block); ``watch``
        adds addresses whose balances the report shows."""
        from app.simulate.runner import simulate_proposal

        return await simulate_proposal(org, proposal_id, progress=progress, cache=self.cache,
                                       factories=self.factories, watch=watch)  # fmt: skip

    async def actions(
        self, org: Organisation, calls: Sequence[ProposedCall], progress: Progress | None = None
    ) -> Simulation:
        """Actions not yet proposed (the actions builder's check)."""
        from app.simulate.runner import simulate_actions

        return await simulate_actions(org, calls, progress=progress, factories=self.factories)

    async def execute_if_passes(
        self, org: Organisation, proposal_id: int, send: Callable[[], Awaitable[T]]
    ) -> T:
        """Simulate the execution first; refuse to sign and send one that would revert."""
        from app.governor.errors import ActionNotAllowedError

        simulation = await self.proposal(org, proposal_id)
        if simulation.reverted_at is not None:
            raise ActionNotAllowedError(f"Not sent: {simulation.headline}. Nothing was signed.")
        return await send()
