"""The board stays readable offline: Snapshot checks seen once come back from the store, with a
plain note that the hub could not be reached."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from app.devnet.hub import start_hub
from app.devnet.network import Devnet
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Network, Organisation
from app.pipeline.model import AccountContext, Phase
from app.services import Services
from app.snapshot.envelope import sign_message
from app.snapshot.messages import ProposalDraft, build_proposal
from app.snapshot.sequencer import SequencerClient

pytestmark = pytest.mark.integration


async def test_board_reads_cached_snapshot_checks_when_the_hub_is_gone(
    devnet: Devnet, tmp_path: Path
) -> None:
    token = devnet.stack("alpha")["token"]
    hub = start_hub(devnet.rpc_url, token, chain_id=devnet.chain_id, method="getPriorVotes",
                    space_id="offline.eth")  # fmt: skip
    org = Organisation("offline", "Offline DAO", Network(devnet.chain_id, "devnet", ("http://127.0.0.1:9",)),
                       "offline.eth", hub.url)  # fmt: skip
    author = LocalKeySigner(devnet.accounts[0].dev_key)
    now = int(time.time())
    draft = ProposalDraft("offline.eth", "single-choice", "[Temperature Check] Keep working offline",
                          "Body", ("Yes", "No"), now, now + 3600, devnet.control.block_number() - 1)  # fmt: skip
    try:
        async with SequencerClient(hub.sequencer_url) as sequencer:
            await sequencer.submit(
                await sign_message(author, build_proposal(author.address, draft))
            )
        with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c") as services:
            services.orgs.save(org)
            online = await services.board(org, AccountContext(None))
            hub.stop()
            offline = await services.board(org, AccountContext(None))
    finally:
        hub.stop()
    assert [c.title for c in online.cards if c.phase is Phase.OFFCHAIN] == ["Keep working offline"]
    assert [c.title for c in offline.cards if c.phase is Phase.OFFCHAIN] == ["Keep working offline"]
    assert any("showing the proposals saved earlier" in p for p in offline.problems)
    assert not any("Snapshot" in p for p in online.problems)


async def test_board_reads_cached_onchain_proposals_when_the_rpc_is_gone(
    isolated_devnet: Devnet, tmp_path: Path
) -> None:
    from app.devnet.demo import Demo, SharedClock
    from app.orgs import devnet_organisations

    devnet = isolated_devnet
    (alpha,) = [o for o in devnet_organisations(devnet.describe()) if o.slug == "devnet-alpha"]
    org = replace(alpha, snapshot_hub="")  # on-chain only
    voter = devnet.accounts[2].address
    with Services.open(
        data_dir=tmp_path / "d", config_dir=tmp_path / "c", presets=[org]
    ) as services:
        demo = Demo(devnet, "alpha", services, lambda _line: None, SharedClock())
        try:
            await demo.propose_member(
                "# Add foundation member: Offline Labs\n\nWhy.", "Offline Labs"
            )
        finally:
            await demo.close()
        online = await services.board(org, AccountContext(voter))
        gone = replace(org, network=replace(org.network, rpc_urls=("http://127.0.0.1:9",)))
        offline = await services.board(gone, AccountContext(voter))
    titles = [c.title for c in online.cards if c.phase is Phase.ONCHAIN]
    assert "Add foundation member: Offline Labs" in titles
    assert [c.title for c in offline.cards if c.phase is Phase.ONCHAIN] == titles
    assert any("Showing the proposals saved earlier" in p for p in offline.problems)
