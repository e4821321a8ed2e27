"""Start-up (issue #20): the board shows what the store saved at once, before any source answers,
and the network and signing stack loads afterwards, off the UI thread. Behaviour, not speed: the
speed is benchmarks/bench_startup.py's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.governor.model import ProposalState
from app.orgs import Network, Organisation
from app.pipeline.assemble import Artefact
from app.pipeline.linking import Item, ItemKey, ItemKind
from app.pipeline.model import OnchainProposal, Phase
from app.pipeline.onchain_cache import save_onchain
from app.services import Services
from app.snapshot.cache import HubCache, canonical_key
from app.snapshot.queries import MAX_FIRST
from ui.models.board_model import CardRole
from ui.views.main_window import MainWindow

pytestmark = pytest.mark.gui

SPACE = "slow.eth"
CLOSED = "http://127.0.0.1:9"  # refuses connections at once
GOVERNOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
# What the window must not load before its board is up: signing, RPC and HTTP libraries.
HEAVY = ("eth_account", "eth_keyfile", "py_ecc", "web3", "eth_abi", "eth_utils", "httpx",
         "aiohttp", "numpy", "msgspec", "keyring", "pyrevm")  # fmt: skip


def _hub_proposal(pid: str, title: str, start: int, end: int) -> dict[str, Any]:
    return {"id": pid, "type": "single-choice", "title": title, "body": "", "state": "active",
            "choices": ["For", "Against"], "start": start, "end": end, "scores": [3.0, 1.0],
            "scores_total": 4.0}  # fmt: skip


def seed_saved_board(services: Services, org: Organisation) -> None:
    """An idea, a Snapshot check and an on-chain proposal, as an earlier refresh saved them."""
    now = int(time.time())
    services.drafts.create(org.slug, "Lower the marketplace fee")
    saved = [_hub_proposal("0x" + "5a" * 32, "[Temp Check] Saved earlier", now - 60, now + 3600)]
    HubCache(services.store.conn, org.snapshot_hub).put(
        "proposals", canonical_key(first=MAX_FIRST, skip=0, space=org.snapshot_space), saved
    )
    if org.governor:
        item = Item(ItemKey(ItemKind.ONCHAIN, "7"), "Raise the quorum", "# Raise the quorum")
        proposal = OnchainProposal(7, ProposalState.ACTIVE, now - 60, now + 7200)
        save_onchain(services.store.conn, org.network.chain_id, org.governor,
                     [Artefact(item, onchain=proposal, sort_key=1)], None)  # fmt: skip


def titles(window: MainWindow, phase: Phase) -> list[str]:
    proxy = window.board.columns[phase].proxy
    return [proxy.index(r, 0).data(CardRole.CARD).title for r in range(proxy.rowCount())]


# Run in a fresh interpreter: which modules a start imports, and on which thread.
STARTUP_SCRIPT = """
import asyncio, json, sys, threading
from pathlib import Path

first_thread = {}

class Watch:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in HEAVY and top not in first_thread:
            first_thread[top] = threading.current_thread() is threading.main_thread()
        return None

HEAVY = set(json.loads(sys.argv[2]))
sys.meta_path.insert(0, Watch())
tmp = Path(sys.argv[1])
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
import qasync
from app.services import Services
from ui.views.main_window import MainWindow

QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "qt"))
app = QApplication([])
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
services = Services.open(data_dir=tmp / "data", config_dir=tmp / "config")
window = MainWindow(services)
window.show()  # the board is built and filled: what the first paint shows
before = {"cards": window.board.model.rowCount(), "loaded": sorted(first_thread)}
refreshed = []
window.board_loaded.connect(lambda n: (refreshed.append(n), loop.stop()))
with loop:
    loop.run_forever()
print(json.dumps({"before": before, "refreshed": refreshed, "on_main_thread": first_thread}))
"""


def test_the_window_shows_the_saved_board_before_loading_the_network_stack(
    services: Services, tmp_path: Path
) -> None:
    org = Organisation("local", "Local DAO", Network(31337, "local", (CLOSED,)), SPACE, CLOSED,
                       governor=GOVERNOR)  # fmt: skip
    services.orgs.save(org)
    seed_saved_board(services, org)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", STARTUP_SCRIPT, str(tmp_path), json.dumps(HEAVY)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # The idea, the saved Snapshot check and the saved on-chain proposal, with nothing heavy.
    assert report["before"] == {"cards": 3, "loaded": []}
    # The refresh came (from the store again: the sources refuse), after the stack loaded,
    # and that load ran in a worker thread, not on the UI thread.
    assert report["refreshed"] == [3]
    loaded = report["on_main_thread"]
    assert {"eth_account", "httpx", "numpy"} <= loaded.keys()
    assert not any(loaded.values()), loaded


class SlowLink:
    """A link to a real hub that holds every request until ``release()``: the hub answers, but
    late (a slow network or a busy hub)."""

    def __init__(self, target: str) -> None:
        self.held = 0
        self._open = threading.Event()
        link = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                link.held += 1
                link._open.wait(30)
                url, headers = target + self.path, {"Content-Type": "application/json"}
                request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - the local hub
                with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                    data = answer.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def release(self) -> None:
        self._open.set()

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def slow_hub() -> Iterator[SlowLink]:
    """The local hub with one open check, "Fresh from the hub", behind a slow link."""
    hub = LocalHub([space_from_dict({"id": SPACE, "strategies": [{"name": "t"}]})],
                   FixedVotingPower({})).start()  # fmt: skip
    now = int(time.time())
    with hub.store.write() as conn:
        conn.execute(
            "INSERT INTO proposals (id, ipfs, author, created, space, type, title, body,"
            ' discussion, choices, labels, start, "end", snapshot, plugins, privacy, app,'
            " strategies, network, symbol) VALUES (?, '', 'a', ?, ?, 'single-choice', ?, '',"
            " '', '[\"For\",\"Against\"]', '[]', ?, ?, 1, '{}', '', '', '[{\"name\": \"t\"}]',"
            " '1', 'X')",
            ("0x" + "f5" * 32, now - 60, SPACE, "[Temp Check] Fresh from the hub", now - 60,
             now + 3600),
        )  # fmt: skip
    link = SlowLink(hub.url)
    yield link
    link.close()
    hub.stop()


def test_the_board_shows_saved_rows_while_the_hub_is_slow_then_refreshes(
    qtbot: QtBot, qloop: object, services: Services, slow_hub: SlowLink
) -> None:
    org = Organisation("slow", "Slow DAO", Network(31337, "local", ()), SPACE, slow_hub.url)
    services.orgs.save(org)
    seed_saved_board(services, org)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: slow_hub.held >= 1, timeout=10_000)  # the hub has been asked
    # The hub has not answered, and the saved rows are on the board.
    assert titles(window, Phase.IDEATE) == ["Lower the marketplace fee"]
    assert titles(window, Phase.OFFCHAIN) == ["Saved earlier"]
    assert window.status.text() == "Loading Slow DAO…"
    # The window answers meanwhile: the search box filters the saved rows at once.
    qtbot.keyClicks(window.search, "fee")
    assert titles(window, Phase.IDEATE) == ["Lower the marketplace fee"]
    assert titles(window, Phase.OFFCHAIN) == []
    window.search.clear()
    with qtbot.waitSignal(window.board_loaded, timeout=20_000):
        slow_hub.release()
    # The hub's answer replaces what was saved.
    assert titles(window, Phase.OFFCHAIN) == ["Fresh from the hub"]
    assert titles(window, Phase.IDEATE) == ["Lower the marketplace fee"]
    assert window.status.text() == "2 initiatives"
