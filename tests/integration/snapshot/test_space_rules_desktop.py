"""Snapshot as production runs it, from the desktop app (pytest-qt, real widgets, real anvil).

- A temperature check and a consensus check created in AdvanceDialog on a space that sets a
  voting delay, a fixed period, a voting type and onlyMembers are accepted by the local
  sequencer, with start = timestamp + delay and end = start + period exactly.
- On spaces whose rules forbid the author (not a member; below the minimum score) the dialog
  says why before anything is signed.
- A vote from ProposalDetailView reaches the sequencer's port, not the GraphQL hub's.
- The sequencer's voting-power dependency (its RPC node) is cut mid-vote: the sequencer answers
  the transient "failed to check voting power", the vote stays pending in the outbox, and it is
  delivered exactly once when the node is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.devnet.hub import ChainVotingPower, LocalHub, token_space
from app.devnet.network import Devnet
from app.domain.retry import RetryPolicy
from app.keys.signer_protocol import LocalKeySigner
from app.orgs import Network, Organisation
from app.pipeline.model import CheckKind, Initiative, OffchainCheck
from app.pipeline.phases import NextAction
from app.services import Services
from app.snapshot.outbox import OutboxStatus
from app.snapshot.send import SnapshotService
from app.snapshot.sequencer import SequencerClient, SequencerUnavailableError
from app.usecases.signing import PreviewHints
from ui.views.advance_dialog import AdvanceDialog

pytestmark = [pytest.mark.integration, pytest.mark.gui]
T = TypeVar("T")
DELAY, PERIOD = 120, 2 * 86400


class Signatures:
    """The test's stand-in for the signing dialog: a SignerSource whose signer signs with a dev
    key and counts the signatures asked of it."""

    def __init__(self, signer: LocalKeySigner) -> None:
        self.signer, self.count = signer, 0

    def __call__(self, _org: Organisation, _hints: PreviewHints) -> Signatures:
        return self

    @property
    def address(self) -> str:
        return self.signer.address

    async def sign_typed_data(self, payload: dict[str, Any]) -> str:
        self.count += 1
        return await self.signer.sign_typed_data(payload)

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        self.count += 1
        return await self.signer.sign_transaction(transaction)


class TcpRelay:
    """A real TCP relay in front of anvil: the sequencer's voting-power node, cut at will."""

    def __init__(self, target: str) -> None:
        parsed = urlparse(target)
        self._target = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._open = self._open, []
        if listener is not None:
            # Shutdown wakes the accepting thread (close alone leaves it listening on Linux).
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self._target)
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 60_000) -> T:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@pytest.fixture
def relay(devnet: Devnet) -> Iterator[TcpRelay]:
    node = TcpRelay(devnet.rpc_url)
    node.start()
    yield node
    node.stop()


@pytest.fixture
def hub(devnet: Devnet, relay: TcpRelay) -> Iterator[LocalHub]:
    a = devnet.accounts
    token = devnet.stack("alpha")["token"]
    common = {"chain_id": devnet.chain_id, "method": "getPriorVotes"}
    spaces = [
        token_space("strict.eth", token, **common, members=[a[1].address], admins=[a[0].address],
                    moderators=[a[2].address], filters={"onlyMembers": True},
                    voting={"delay": DELAY, "period": PERIOD, "type": "single-choice"}),
        token_space("elite.eth", token, **common, filters={"minScore": 10**12}),
        token_space("open.eth", token, **common),
    ]  # fmt: skip
    with LocalHub(spaces, ChainVotingPower(relay.url)) as local:
        yield local


def org_for(devnet: Devnet, hub: LocalHub, space: str) -> Organisation:
    network = Network(devnet.chain_id, "devnet", (devnet.rpc_url,), 1.0)
    return Organisation(space.split(".")[0], space, network, space, hub.url, hub.sequencer_url)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c") as svc:
        yield svc


def dialog_for(qtbot: QtBot, services: Services, org: Organisation, initiative: Initiative,
               action: NextAction, signatures: Signatures) -> AdvanceDialog:  # fmt: skip
    dialog = AdvanceDialog(services, org, initiative, action,
                           account=signatures.signer.address, sign=signatures)  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.load_rules()
    qtbot.waitUntil(lambda: dialog.rules is not None, timeout=30_000)
    return dialog


def publish(qtbot: QtBot, dialog: AdvanceDialog) -> str:
    with qtbot.waitSignal(dialog.published, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    return str(blocker.args[0])  # type: ignore[index]


@pytest.mark.usefixtures("qloop")
def test_checks_on_a_space_with_delay_period_type_and_members_are_accepted(
    qtbot: QtBot, devnet: Devnet, hub: LocalHub, services: Services
) -> None:
    org = org_for(devnet, hub, "strict.eth")
    idea = services.drafts.create(org.slug, "Lower the marketplace fee", "The fee is 10%.")
    member = Signatures(LocalKeySigner(devnet.accounts[1].dev_key))
    initiative = Initiative(idea.initiative_id, idea.title, idea.body)
    dialog = dialog_for(qtbot, services, org, initiative, NextAction.CREATE_TEMPERATURE_CHECK,
                        member)  # fmt: skip
    assert [dialog.voting_type.itemText(i) for i in range(dialog.voting_type.count())] == [
        "single-choice"
    ]
    assert not dialog.days.isEnabled()  # the space fixes the period
    assert dialog.rules_note.text() == (
        "This space sets: voting starts 2 min after signing, lasts 2 days, single-choice voting."
    )
    tc_id = publish(qtbot, dialog)
    stored = hub.store.proposal(tc_id)
    assert stored is not None
    assert stored["start"] == stored["created"] + DELAY
    assert stored["end"] - stored["start"] == PERIOD
    assert stored["type"] == "single-choice"

    passed = OffchainCheck(tc_id, CheckKind.TEMPERATURE, "single-choice", ("Yes", "No"), 0, 1,
                           (3.0, 1.0), 4.0)  # fmt: skip
    moderator = Signatures(LocalKeySigner(devnet.accounts[2].dev_key))  # moderators may propose
    consensus = Initiative(idea.initiative_id, idea.title, idea.body, temperature=passed)
    dialog = dialog_for(qtbot, services, org, consensus, NextAction.CREATE_CONSENSUS_CHECK,
                        moderator)  # fmt: skip
    assert not dialog.voting_type.isEnabled()  # ranked-choice is not offered: the space says so
    assert dialog.voting_type.currentText() == "single-choice"
    dialog.options.setPlainText("5%\n8%\n10%")
    cc_id = publish(qtbot, dialog)
    stored = hub.store.proposal(cc_id)
    assert stored is not None
    assert (stored["type"], stored["choices"]) == ("single-choice", ["5%", "8%", "10%"])
    assert stored["end"] - stored["start"] == PERIOD
    entries = services.snapshot().outbox.entries()
    assert {e.sequencer_url for e in entries} == {hub.sequencer_url}
    assert all(e.status is OutboxStatus.ACCEPTED for e in entries)


@pytest.mark.usefixtures("qloop")
def test_checks_are_stopped_before_signing_when_the_space_forbids_the_author(
    qtbot: QtBot, devnet: Devnet, hub: LocalHub, services: Services
) -> None:
    outsider = Signatures(LocalKeySigner(devnet.accounts[4].dev_key))
    for space, action, words in (
        ("strict.eth", NextAction.CREATE_TEMPERATURE_CHECK, "Only this space's members"),
        ("elite.eth", NextAction.CREATE_CONSENSUS_CHECK, "asks for at least 1e+12"),
    ):
        org = org_for(devnet, hub, space)
        passed = OffchainCheck("0x" + "12" * 32, CheckKind.TEMPERATURE, "single-choice",
                               ("Yes", "No"), 0, 1, (3.0, 1.0), 4.0)  # fmt: skip
        initiative = Initiative(f"idea-{space}", "Lower the fee", "Because.", temperature=passed)
        dialog = dialog_for(qtbot, services, org, initiative, action, outsider)
        assert words in dialog.error.text()
        assert not dialog.publish_button.isEnabled()
        dialog.publish()  # even if asked (a keyboard shortcut), nothing is signed
        assert words in dialog.error.text()
    assert outsider.count == 0
    assert hub.received == 0
    assert services.snapshot().outbox.entries() == []


def _open_proposal(qtbot: QtBot, devnet: Devnet, hub: LocalHub, services: Services) -> Any:
    org = org_for(devnet, hub, "open.eth")
    author = LocalKeySigner(devnet.accounts[0].dev_key)
    service = services.snapshot()
    from app.snapshot.send import ProposalContent

    content = ProposalContent("[Temperature Check] Keep going", "Body", ("Yes", "No"),
                              "single-choice")  # fmt: skip
    snapshot = devnet.control.block_number()
    receipt = run(qtbot, service.publish_proposal(org, author, content, duration_s=3600,
                                                  snapshot=snapshot))  # fmt: skip
    devnet.control.mine()  # the snapshot block is now in the past
    proposal = run(qtbot, service.proposal(org, receipt.id))
    assert proposal is not None
    return org, proposal


@pytest.mark.usefixtures("qloop")
def test_a_desktop_vote_reaches_the_sequencer_port_not_the_hub(
    qtbot: QtBot, devnet: Devnet, hub: LocalHub, services: Services
) -> None:
    from ui.widgets.vote_panels import snapshot_panel

    org, proposal = _open_proposal(qtbot, devnet, hub, services)
    assert urlparse(hub.url).port != urlparse(hub.sequencer_url).port
    panel = snapshot_panel(proposal.type, proposal.choices, 1.0)
    qtbot.addWidget(panel)
    chosen: list[object] = []
    panel.vote_requested.connect(lambda choice, _reason: chosen.append(choice))
    panel.group.button(2).setChecked(True)  # type: ignore[attr-defined]
    qtbot.mouseClick(panel.vote_button, Qt.MouseButton.LeftButton)
    assert chosen == [2]
    voter = Signatures(LocalKeySigner(devnet.accounts[3].dev_key))
    received = hub.received
    receipt = run(qtbot, services.actions.offchain.vote(org, voter, proposal, chosen[0]))
    assert hub.received == received + 1  # one POST, on the sequencer's port
    (row,) = hub.store.query("SELECT id, choice FROM votes WHERE proposal = ?", (proposal.id,))
    assert (row["id"], row["choice"]) == (receipt.id, 2)
    (entry,) = [e for e in services.snapshot().outbox.entries() if e.envelope.kind == "vote"]
    assert entry.sequencer_url == hub.sequencer_url
    assert entry.hub_url == hub.url.rstrip("/")


@pytest.mark.usefixtures("qloop")
def test_vote_survives_the_sequencer_losing_its_voting_power_node(
    qtbot: QtBot, devnet: Devnet, hub: LocalHub, relay: TcpRelay, services: Services
) -> None:
    org, proposal = _open_proposal(qtbot, devnet, hub, services)

    async def no_sleep(_seconds: float) -> None:
        return None

    def quick(url: str) -> SequencerClient:
        return SequencerClient(url, policy=RetryPolicy(attempts=2), sleep=no_sleep)

    service = SnapshotService(services.store.conn, clock=services.clock, sequencer_factory=quick)
    voter = Signatures(LocalKeySigner(devnet.accounts[5].dev_key))
    relay.stop()  # the sequencer's RPC node goes away mid-vote
    with pytest.raises(SequencerUnavailableError) as failed:
        run(qtbot, service.vote(org, proposal, voter, 1))
    assert failed.value.reason == "failed to check voting power"
    assert "sends it again shortly" in failed.value.user_message
    (entry,) = service.outbox.pending()
    assert entry.last_error is not None
    assert "failed to check voting power" in entry.last_error
    assert entry.next_attempt_at > services.clock()  # backing off, not hammering
    assert hub.store.query("SELECT id FROM votes WHERE proposal = ?", (proposal.id,)) == []
    assert run(qtbot, service.resend_pending(only_due=True)) == []  # not due yet: nothing sent

    relay.start()  # the node is back
    (sent,) = run(qtbot, service.resend_pending())
    assert sent.status is OutboxStatus.ACCEPTED
    assert run(qtbot, service.resend_pending()) == []  # nothing left to send
    votes = hub.store.query("SELECT id FROM votes WHERE proposal = ?", (proposal.id,))
    assert [v["id"] for v in votes] == [entry.envelope.id]  # delivered exactly once
    assert voter.count == 1  # signed once, never again


@pytest.mark.usefixtures("qloop")
def test_edit_and_cancel_own_proposal_from_the_desktop(
    qtbot: QtBot, devnet: Devnet, hub: LocalHub, services: Services
) -> None:
    from app.snapshot.send import ProposalContent
    from ui.views.proposal_manage_dialog import ProposalManageDialog

    org = org_for(devnet, hub, "strict.eth")
    author = Signatures(LocalKeySigner(devnet.accounts[1].dev_key))  # a member
    content = ProposalContent("[Temperature Check] Draft", "Body", ("Yes", "No"), "single-choice")
    receipt = run(qtbot, services.snapshot().publish_proposal(
        org, author.signer, content, duration_s=3600, snapshot=devnet.control.block_number()))  # fmt: skip
    proposal = run(qtbot, services.snapshot().proposal(org, receipt.id))
    assert proposal is not None
    assert proposal.state == "pending"  # the space's delay: editable until it starts

    def manage(who: Signatures) -> ProposalManageDialog:
        dialog = ProposalManageDialog(services, org, proposal, account=who.signer.address,
                                      sign=who)  # fmt: skip
        qtbot.addWidget(dialog)
        dialog.load_space()
        qtbot.waitUntil(lambda: dialog.space is not None, timeout=30_000)
        return dialog

    outsider = manage(Signatures(LocalKeySigner(devnet.accounts[4].dev_key)))
    assert not outsider.save_button.isEnabled()
    assert not outsider.cancel_proposal_button.isEnabled()
    assert devnet.accounts[2].address in outsider.rule.text()  # the moderator is named

    mine = manage(author)
    assert mine.save_button.isEnabled()
    mine.title.setText("[Temperature Check] Draft, clearer")
    with qtbot.waitSignal(mine.changed, timeout=30_000):
        qtbot.mouseClick(mine.save_button, Qt.MouseButton.LeftButton)
    assert hub.store.proposal(receipt.id)["title"] == "[Temperature Check] Draft, clearer"  # type: ignore[index]

    moderator = manage(Signatures(LocalKeySigner(devnet.accounts[2].dev_key)))
    assert not moderator.save_button.isEnabled()  # only the author edits
    assert moderator.cancel_proposal_button.isEnabled()  # moderators may cancel
    with qtbot.waitSignal(moderator.changed, timeout=30_000):
        moderator.cancel_proposal(confirm=False)
    assert hub.store.proposal(receipt.id) is None
