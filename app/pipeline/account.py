"""The connected account's context for one organisation, read from its chain and Snapshot hub.

Delegation and current votes come from the governor's token, the right to propose from the
proposal threshold, and off-chain power from the hub (per open check, at its snapshot). Each
source is independent: one that cannot be read leaves its part at "unknown" (zero) and says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.errors import AppError
from app.orgs import Organisation
from app.pipeline.model import AccountContext, Initiative
from app.ports import Factories, HubSource

ZERO_ADDRESS = "0x" + "0" * 40


@dataclass(frozen=True)
class AccountReading:
    context: AccountContext
    offchain_power: dict[str, float]  # Snapshot proposal id -> the account's power on it
    problems: tuple[str, ...] = ()


async def _onchain(factories: Factories, org: Organisation, address: str) -> AccountContext:
    from app.chain.multicall import Call
    from app.governor import contract_interface as abi

    async with factories.governor(org) as governor:
        info = governor.info
        delegate = await governor.current_delegate(address)
        votes_fn = abi.GET_CURRENT_VOTES if info.token.comp_style else abi.TOKEN_GET_VOTES
        (result,) = await governor.multicall.run(
            [Call(info.token.address, votes_fn.encode(address))]
        )
        votes = int(votes_fn.decode_one(result.data)) if result.success else 0
    return AccountContext(
        address,
        delegated=int(delegate, 16) != 0,
        onchain_power=votes,
        can_propose_onchain=votes >= max(info.proposal_threshold, 1),
    )


async def _offchain(
    hubs: HubSource, org: Organisation, address: str, proposals: Sequence[str]
) -> tuple[float, dict[str, float]]:
    async with hubs.client(org.snapshot_hub) as hub:
        space = (await hub.vp(address, org.snapshot_space)).vp
        each = await asyncio.gather(*(hub.vp(address, org.snapshot_space, p) for p in proposals))
    return space, {p: vp.vp for p, vp in zip(proposals, each, strict=True)}


def open_checks(initiatives: Sequence[Initiative], now: int) -> list[str]:
    """Snapshot ids of the checks open (or about to open) at ``now``."""
    found = []
    for initiative in initiatives:
        for check in (initiative.temperature, initiative.consensus):
            if check is not None and check.end >= now:
                found.append(check.proposal_id)
    return found


async def read_account(
    factories: Factories,
    org: Organisation,
    address: str | None,
    initiatives: Sequence[Initiative],
    now: int,
    hubs: HubSource | None = None,
) -> AccountReading:
    """What ``address`` can do in ``org`` (no address: nothing, and nothing is read); the hub is
    read through ``hubs`` (``Services.hubs``: the stored API key and the store's cache)."""
    if not address:
        return AccountReading(AccountContext(None), {})
    context, problems = AccountContext(address), []
    power: dict[str, float] = {}
    if org.governor and org.network.rpc_urls:
        try:
            context = await _onchain(factories, org, address)
        except AppError as exc:
            problems.append(f"Your delegation could not be read: {exc.user_message}")
    if org.snapshot_hub and org.snapshot_space:
        try:
            space_power, power = await _offchain(
                hubs or factories.hubs(None), org, address, open_checks(initiatives, now)
            )
            best = max([space_power, *power.values()])
            context = replace(context, offchain_power=best)
        except AppError as exc:
            problems.append(f"Your Snapshot voting power could not be read: {exc.user_message}")
    return AccountReading(context, power, tuple(problems))


def with_account_power(
    initiatives: Sequence[Initiative], power: dict[str, float]
) -> list[Initiative]:
    """The initiatives with the account's power on each open check filled in."""

    found = []
    for initiative in initiatives:
        temperature, consensus = initiative.temperature, initiative.consensus
        if temperature is not None and temperature.proposal_id in power:
            temperature = replace(temperature, account_power=power[temperature.proposal_id])
        if consensus is not None and consensus.proposal_id in power:
            consensus = replace(consensus, account_power=power[consensus.proposal_id])
        found.append(replace(initiative, temperature=temperature, consensus=consensus))
    return found
