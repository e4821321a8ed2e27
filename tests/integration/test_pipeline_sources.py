"""The board of a devnet organisation joins a local draft with its temperature check on the
devnet's hub, while reading the devnet's governor too — all over real HTTP and JSON-RPC."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.devnet.demo import Demo, SharedClock
from app.devnet.network import Devnet
from app.orgs import devnet_organisations
from app.pipeline import advance
from app.pipeline.model import AccountContext, Phase
from app.pipeline.phases import NextAction, Status
from app.services import Services

pytestmark = pytest.mark.integration


async def test_board_links_draft_snapshot_check_and_onchain_proposal(
    isolated_devnet: Devnet, tmp_path: Path
) -> None:
    devnet = isolated_devnet
    orgs = devnet_organisations(devnet.describe())
    with Services.open(
        data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=orgs
    ) as services:
        org = services.orgs.get("devnet-alpha")
        idea = services.drafts.create(org.slug, "Add a Data Science category", "More roles.")
        demo = Demo(devnet, "alpha", services, lambda _line: None, SharedClock())
        try:
            tc = advance.temperature_check(initiative_id=idea.initiative_id, title=idea.title,
                                           body=idea.body, discussion="", conventions=org.conventions)  # fmt: skip
            tc_id = await demo.publish(tc.title, tc.body, tc.choices, tc.voting_type)
            voter = devnet.accounts[1].address
            await demo.vote(tc_id, tc.voting_type, 1, 1, 2)
            result = await services.board(
                org, AccountContext(voter, delegated=True, offchain_power=1.0)
            )
        finally:
            await demo.close()
    assert result.problems == []
    mine = [c for c in result.cards if c.initiative_id == idea.initiative_id]
    assert len(mine) == 1
    card = mine[0]
    assert (card.phase, card.status) == (Phase.OFFCHAIN, Status.VOTING)
    assert card.action is NextAction.NONE  # this account's vote is in the outbox: nothing to do
    assert card.deadline is not None
