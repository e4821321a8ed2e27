"""Verify results on a big proposal: progress while the votes are fetched, Cancel, and a second
verification that reads the store's votes. A real local hub, a real view."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.devnet.hub.scores import update_scores
from app.orgs import Network, Organisation
from app.pipeline.detail import OffchainDetail, PowerFacts, ProposalDetail
from app.pipeline.model import CheckKind, Initiative, OffchainCheck
from app.services import Services
from app.snapshot.cache import VoteColumnCache
from app.snapshot.records import Proposal as SnapshotProposal
from ui.views.proposal_detail_view import ProposalDetailView

pytestmark = pytest.mark.gui
SPACE = "big.eth"
PROPOSAL = "0x" + "ad" * 32
VOTES = 30_000


@pytest.fixture
def hub() -> Iterator[LocalHub]:
    local = LocalHub([space_from_dict({"id": SPACE, "strategies": [{"name": "t"}]})],
                     FixedVotingPower({})).start()  # fmt: skip
    now = int(time.time())
    with local.store.write() as conn:
        conn.execute(
            "INSERT INTO proposals (id, ipfs, author, created, space, type, title, body,"
            ' discussion, choices, labels, start, "end", snapshot, plugins, privacy, app,'
            " strategies, network, symbol) VALUES (?, '', 'a', ?, ?, 'single-choice', 'T', '',"
            " '', '[\"A\",\"B\"]', '[]', ?, ?, 1, '{}', '', '', '[{\"name\": \"t\"}]', '1', 'X')",
            (PROPOSAL, now - 100, SPACE, now - 100, now + 3600),
        )
        conn.executemany(
            "INSERT INTO votes VALUES (?, '', ?, ?, ?, ?, ?, '', '', '{}', ?, ?, 'final')",
            [(f"0x{i:064x}", f"0xvoter{i}", 1_700_000_000 + i, SPACE, PROPOSAL,
              json.dumps(1 + i % 2), 1.0 + i % 3, json.dumps([1.0 + i % 3])) for i in range(VOTES)],
        )  # fmt: skip
    update_scores(local.store, PROPOSAL)
    yield local
    local.stop()


def test_verify_shows_progress_can_be_cancelled_and_then_reads_the_store(
    qtbot: QtBot, qloop: object, services: Services, hub: LocalHub
) -> None:
    network = Network(31337, "local", ("http://127.0.0.1:9",))
    org = Organisation("big", "Big DAO", network, SPACE, hub.url)
    services.orgs.save(org)
    view = ProposalDetailView(services, org, "nothing-here")
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.status.text() != "Loading…", timeout=15_000)
    now = int(time.time())
    # What the view was opened with; verifying asks the hub for the proposal's scores afresh.
    proposal = SnapshotProposal(PROPOSAL, SPACE, "a", "single-choice", "T", "", ("A", "B"),
                                now - 100, now + 3600, 1, "active", now - 100, (0.0, 0.0), 0.0,
                                "pending", VOTES, "")  # fmt: skip
    check = OffchainCheck(PROPOSAL, CheckKind.TEMPERATURE, "single-choice", ("A", "B"),
                          proposal.start, proposal.end)  # fmt: skip
    part = OffchainDetail(CheckKind.TEMPERATURE, proposal, (), 0.0, PowerFacts(None, 0.0))
    view.set_detail(ProposalDetail(Initiative("i1", "Big", "", temperature=check), (part,)))

    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    assert view.verify_button.text() == "Cancel verification"
    qtbot.waitUntil(lambda: "of 30,000 votes" in view.verify_label.text(), timeout=30_000)
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    assert view.verify_label.text() == "Verification cancelled."
    assert view.verify_button.text() == "Verify results"
    cache = VoteColumnCache(services.store.conn, hub.url)
    assert cache.load(PROPOSAL) is None  # nothing half-merged was kept

    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Results" in view.verify_label.text(), timeout=60_000)
    assert view.verify_label.text() == (
        "Temperature check: Results verified: 30000 votes recounted, totals match"
    )
    stored = cache.load(PROPOSAL)
    assert stored is not None
    assert stored[0].size == VOTES
