"""Detail view parts: safe Markdown, no remote loads, confirmed links, voters table, bars."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.pipeline.detail import QuorumProgress, ResultBar, StepState, TimelineStep
from app.pipeline.model import Phase
from app.snapshot.records import Vote
from ui.models.voters_model import (
    ADDRESS_ROLE,
    SHARE_ROLE,
    VotersModel,
    VotersSortModel,
    choice_text,
)
from ui.widgets.markdown_view import MarkdownView, render_markdown
from ui.widgets.plain_text import MAX_CHARS
from ui.widgets.result_bars import QuorumBar, ResultBars
from ui.widgets.timeline import TimelineWidget

pytestmark = pytest.mark.gui

HOSTILE = """# Fee

Lower it. <script>alert(1)</script> <img src="http://127.0.0.1:1/x.png">
<iframe src="https://evil.example"></iframe><style>body{display:none}</style>

![tracker](http://127.0.0.1:1/pixel.gif) [forum](https://forum.example/t/1) [js](javascript:alert(1))
"""


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def image_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_render_markdown_keeps_text_and_links_but_strips_active_content() -> None:
    html = render_markdown(HOSTILE)
    assert "<h1>Fee</h1>" in html
    assert '<a href="https://forum.example/t/1" rel="noopener noreferrer">forum</a>' in html
    for forbidden in ("<script", "<img", "<iframe", "<style", 'href="javascript', "pixel.gif"):
        assert forbidden not in html
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, not run


def test_markdown_view_never_fetches_remote_resources(qtbot: QtBot, image_server: str) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.set_markdown(f"![a]({image_server}/md.gif)")
    # Even HTML that bypassed the sanitizer must not reach the network.
    view.setHtml(f'<p>x</p><img src="{image_server}/raw.gif">')
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(200)
    assert _Recorder.hits == []
    assert set(view.blocked) == {f"{image_server}/raw.gif"}


def test_links_open_only_after_confirming_the_full_url(qtbot: QtBot) -> None:
    asked: list[str] = []
    opened: list[str] = []
    answers = iter([False, True])

    def confirm(_parent: QWidget, url: QUrl) -> bool:
        asked.append(url.toString())
        return next(answers)

    view = MarkdownView(confirm=confirm, open_url=lambda url: opened.append(url.toString()))
    qtbot.addWidget(view)
    view.set_markdown("[docs](https://docs.example/a?b=c)")
    url = QUrl("https://docs.example/a?b=c")
    view.anchorClicked.emit(url)
    assert (asked, opened) == (["https://docs.example/a?b=c"], [])
    view.anchorClicked.emit(url)
    assert opened == ["https://docs.example/a?b=c"]
    view.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert len(asked) == 2


def vote(voter: str, choice: object, vp: float) -> Vote:
    return Vote("id-" + voter, voter, 1, "p", choice, "", "", vp, (vp,), "final")


def test_choice_text_for_each_shape() -> None:
    choices = ("5%", "8%", "10%")
    assert choice_text(2, choices) == "8%"
    assert choice_text([3, 1], choices) == "10%, 5%"
    assert choice_text({"1": 3, "3": 1}, choices) == "5% 75%, 10% 25%"
    assert choice_text(9, choices) == "#9"


def test_voters_table_sorts_by_power_as_numbers() -> None:
    model = VotersModel()
    votes = [vote("0xa", [1, 2], 9.0), vote("0xb", [2, 1], 100.0), vote("0xc", [1, 2], 20.0)]
    model.set_votes(votes, ("A", "B"), ranked=True)
    proxy = VotersSortModel()
    proxy.setSourceModel(model)
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    rows = [[proxy.index(r, c).data() for c in range(3)] for r in range(proxy.rowCount())]
    assert rows == [["0xb", "B > A", "100"], ["0xc", "A > B", "20"], ["0xa", "A > B", "9"]]
    header = model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert header == "Power"


def test_naming_voters_keeps_their_shares_and_addresses() -> None:
    """Names arrive after the votes (ENS, own labels); the power shares must not drop to 0%."""
    model = VotersModel()
    model.set_votes([vote("0xa", 1, 75.0), vote("0xb", 2, 25.0)], ("Yes", "No"))
    model.set_names({"0xA": "Dev 0 (you)"})
    first = model.index(0, 0)
    assert first.data() == "Dev 0 (you)"
    assert first.data(ADDRESS_ROLE) == "0xa"  # the blockie stays the address's
    assert [model.index(r, 2).data(SHARE_ROLE) for r in range(2)] == [0.75, 0.25]


def test_a_hostile_name_or_choice_is_one_bounded_line_in_the_voters_table() -> None:
    """An ENS name or a weighted choice label can be any length: the cell stays one short line."""
    model = VotersModel()
    labels = ("<b>x</b> " * 500, "B")
    model.set_votes([vote("0xa", {"1": 1, "2": 1}, 5.0), vote("0xb", 2, 1.0)], labels)
    model.set_names({"0xB": "<b>evil</b>.eth\n" * 2000})
    choice, name = model.index(0, 1).data(), model.index(1, 0).data()
    assert len(choice) == len(name) == MAX_CHARS
    assert choice.startswith("<b>x</b> <b>x</b>")
    assert choice.endswith("…")
    assert name.startswith("<b>evil</b>.eth <b>evil</b>.eth")
    assert "\n" not in name


def test_result_and_quorum_bars_show_the_numbers(qtbot: QtBot) -> None:
    bars = ResultBars()
    qtbot.addWidget(bars)
    bars.set_bars([ResultBar("Yes", 1500.5, 75.0), ResultBar("No", 500.0, 25.0)])
    assert bars.rows() == [("Yes", "75.0%", "1,500.5"), ("No", "25.0%", "500")]
    bars.set_bars([ResultBar("Only", 1.0, 100.0)])
    assert bars.rows() == [("Only", "100.0%", "1")]
    quorum = QuorumBar()
    qtbot.addWidget(quorum)
    quorum.set_progress(None)
    assert quorum.isHidden()
    quorum.set_progress(QuorumProgress(100.0, 400.0, 25.0, False))
    assert quorum.label.text() == "Quorum not reached: 100 / 400 (25%)"
    assert quorum.bar.value() == 250


def test_timeline_labels_each_phase(qtbot: QtBot) -> None:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.set_steps(
        [
            TimelineStep(Phase.IDEATE, StepState.DONE),
            TimelineStep(Phase.OFFCHAIN, StepState.CURRENT, 1_800_000_000, 1_800_259_200),
            TimelineStep(Phase.ONCHAIN, StepState.SKIPPED),
            TimelineStep(Phase.EXECUTE, StepState.UPCOMING),
        ]
    )
    texts = [label.accessibleName() for label in widget.labels]
    assert texts[0] == "Ideate\nDone"
    assert texts[1].startswith("Vote off-chain\nCurrent\n15 Jan 2027")
    assert texts[2] == "Vote on-chain\nSkipped"
    assert [label.text() for label in widget.labels] == [
        "Ideate", "Vote off-chain", "Vote on-chain", "Execute"]  # fmt: skip
    assert widget.labels[1].property("role") == "accent"  # the current phase stands out
    assert not widget.labels[3].isEnabled()
    assert [s.state for s in widget.track.steps][1] is StepState.CURRENT


def test_a_long_call_signature_wraps_inside_the_simulation_result(qtbot: QtBot) -> None:
    """A decoded call is one word to the text layout; it must not widen the side panel."""
    from app.simulate.model import CallEffect, CallStatus, EventEffect, Simulation
    from ui.views.simulation_box import SimulationBox, simulation_html

    call = CallEffect(
        0,
        "0x" + "dc" * 20,
        "GovernanceDecisions (0xDc64…F6C9).addFoundationMember(member=Acme Labs Incorporated)",
        CallStatus.SUCCEEDED,
        gas_used=73_955,
        events=(EventEffect("0x" + "dc" * 20, "Added", "Decisions.FoundationMemberAdded(x=1)"),),
    )
    simulation = Simulation(31337, 28, "0x" + "aa" * 20, (call,))
    box = SimulationBox(None)
    qtbot.addWidget(box)
    box.result.setText(simulation_html(simulation))
    assert box.result.minimumSizeHint().width() < 260
    shown = box.plain_text()
    assert "(0xDc64…F6C9).addFoundationMember(member=Acme Labs Incorporated)" in shown
    assert "73,955 gas" in shown
