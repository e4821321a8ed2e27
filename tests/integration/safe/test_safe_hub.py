"""The done-when of #18 on the devnet: a 2-of-3 Safe (one owner air-gapped) votes on a Snapshot
proposal, and the local hub verifies it through EIP-1271 and counts it with the Safe's power."""

from __future__ import annotations

from pathlib import Path

import pytest
from web3 import Web3

from app.chain.rpc import RpcClient
from app.devnet.network import Devnet, space_id_for
from app.devnet.safes import SafeDeployer
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Network, Organisation
from app.safe.requests import SafeRequests
from app.safe.voting import approve, hand_to_outbox, open_snapshot_vote
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.messages import VoteRequest
from app.snapshot.outbox import Outbox, deliver
from app.snapshot.send import ProposalContent, SnapshotService
from app.snapshot.sequencer import SequencerClient, SequencerRejectedError
from app.store.database import connect
from tests.integration.helpers import contract, send
from tests.integration.safe.test_safe_votes import _air_gapped_owner

pytestmark = pytest.mark.integration


async def test_the_local_hub_counts_a_safe_vote_with_the_safes_power(
    isolated_devnet: Devnet, w3: Web3, tmp_path: Path
) -> None:
    devnet, hub = isolated_devnet, isolated_devnet.hub
    assert hub is not None
    accounts = devnet.accounts
    deployer = SafeDeployer(w3, accounts[0].address)
    safe = deployer.create_safe(deployer.deploy_infra(), [a.address for a in accounts[1:4]], 2)
    token = contract(w3, "CompToken", devnet.stack("alpha")["token"])
    send(w3, token.functions.delegate(safe), accounts[9].address)  # the Safe's voting power
    devnet.control.mine(1)
    power = token.functions.getCurrentVotes(safe).call() / 10**18
    assert power > 0

    space = space_id_for("alpha")
    network = Network(devnet.chain_id, "devnet", (devnet.rpc_url,), 1.0)
    org = Organisation("alpha", "Alpha", network, space, hub.url, hub.sequencer_url)
    snapshot = SnapshotService(connect(tmp_path / "author.db"))
    content = ProposalContent("[Temperature Check] Safe", "Body", ("Yes", "No"), "single-choice")
    author = LocalKeySigner(accounts[0].dev_key)
    receipt = await snapshot.publish_proposal(
        org, author, content, duration_s=3600, snapshot=w3.eth.block_number
    )

    conn = connect(tmp_path / "safe.db")
    requests = SafeRequests(conn)
    vote = VoteRequest(space, receipt.id, "single-choice", 1, 2)
    async with RpcClient([devnet.rpc_url], chain_id=devnet.chain_id) as rpc:
        opened = await open_snapshot_vote(requests, rpc, safe, vote, hub.sequencer_url)
    await approve(
        requests, opened.id, LocalKeySigner(accounts[1].dev_key, chain_id=devnet.chain_id)
    )
    done = await approve(requests, opened.id, await _air_gapped_owner(devnet, 3))
    assert done.progress == "ready to send"
    outbox = Outbox(conn)
    entry = hand_to_outbox(requests, outbox, opened.id)
    async with SequencerClient(hub.sequencer_url) as client:
        accepted = await deliver(outbox, client, entry.envelope)
    assert accepted.id == entry.envelope.id

    (row,) = hub.store.query("SELECT voter, vp FROM votes WHERE proposal = ?", (receipt.id,))
    assert row["voter"] == safe
    assert row["vp"] == pytest.approx(power)

    # The same packed signatures do not pass for another message: the hub refuses a forgery.
    forged = VoteRequest(space, receipt.id, "single-choice", 2, 2)
    async with RpcClient([devnet.rpc_url], chain_id=devnet.chain_id) as rpc:
        other = await open_snapshot_vote(requests, rpc, safe, forged, hub.sequencer_url)
    envelope = entry.envelope
    bad = SignedEnvelope(other.payload["digest"], envelope.kind, safe, envelope.sig,
                         other.payload["data"])  # fmt: skip
    async with SequencerClient(hub.sequencer_url) as client:
        with pytest.raises(SequencerRejectedError, match="signature validation failed"):
            await deliver(Outbox(connect(tmp_path / "forged.db")), client, bad)
