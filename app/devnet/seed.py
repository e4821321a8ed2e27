"""Seed the built-in devnet with the README's board: two ideas, an open temperature check with a
few votes, and an on-chain proposal being voted on — so a first run shows the product; and the
devnet's two Safes, followed and holding voting power, and two delegate statements
(``app.devnet.seed_safes``).

Ideas are found by title, so seeding a fresh chain again (a relaunch, "Reset devnet") reuses the
drafts already in the store instead of adding copies.
"""

from __future__ import annotations

import asyncio

from app.devnet.demo import Demo, SharedClock
from app.devnet.network import Devnet
from app.orgs import Organisation
from app.pipeline import advance
from app.pipeline.drafts import Draft
from app.services import Services
from app.snapshot.send import SNAPSHOT_LAG_BLOCKS

IDEAS = (
    ("Add a 'Data Science' marketplace category", "More roles for data scientists."),
    ("Fund a community tooling grant", "A grant for tools the community builds (B-0007)."),
)
TEMPERATURE = ("Lower the marketplace fee to 8%", "A lower fee brings more clients.")
ONCHAIN = ("Add foundation member: Acme Labs", "Acme Labs joins the foundation.")
SEED_VOTES = ((1, 1), (2, 1), (3, 2))  # (dev account, choice): Dev 0 has not voted yet
INTERVAL_S = 2  # once seeded, a block every two seconds: countdowns move


def _idea(services: Services, org: Organisation, title: str, body: str) -> Draft:
    for draft in services.drafts.list(org.slug):
        if draft.title == title:
            return draft
    return services.drafts.create(org.slug, title, body)


async def seed_board(
    devnet: Devnet, services: Services, org: Organisation, *, interval_s: int | None = INTERVAL_S
) -> None:
    """Publish the seeded checks and proposals on ``devnet`` for ``org`` (stack ``alpha``);
    then mine a block every ``interval_s`` seconds (None: keep mining one per transaction)."""
    await _seed_safes(devnet, services, org)
    demo = Demo(devnet, "alpha", services, lambda _text: None, SharedClock())
    try:
        for title, body in IDEAS:
            _idea(services, org, title, body)
        idea = _idea(services, org, *TEMPERATURE)
        check = advance.temperature_check(initiative_id=idea.initiative_id, title=idea.title,
                                          body=idea.body, discussion="",
                                          conventions=org.conventions)  # fmt: skip
        check_id = await demo.publish(check.title, check.body, check.choices, check.voting_type)
        for index, choice in SEED_VOTES:
            await demo.vote(check_id, check.voting_type, index, choice, len(check.choices))
        onchain = _idea(services, org, *ONCHAIN)
        description = advance.onchain_proposal(
            initiative_id=onchain.initiative_id, title=onchain.title, body=onchain.body,
            consensus_id="0x00", resolution="Add Acme Labs",
        ).description  # fmt: skip
        await demo.propose_member(description, "Acme Labs")
    finally:
        await demo.close()
    if interval_s is not None:
        devnet.control.request("evm_setIntervalMining", [interval_s])


async def _seed_safes(devnet: Devnet, services: Services, org: Organisation) -> None:
    """The Safes get their votes before the proposals' snapshots, then the app follows them."""
    from app.devnet.seed_safes import power_safes, publish_statements

    await asyncio.to_thread(power_safes, devnet)
    await asyncio.to_thread(devnet.control.mine, SNAPSHOT_LAG_BLOCKS + 1)
    for name, address in devnet.safes.items():
        await services.actions.safes.follow(org, address, name)
    await publish_statements(devnet, org.snapshot_space)
