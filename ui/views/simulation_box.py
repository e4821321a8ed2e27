"""SimulationBox: "what would this do?" — a proposal's actions simulated on a local fork.

Runs ``app.simulate`` in the background with a progress bar and Cancel; shows each action's
outcome, the events, balance and value changes, raw storage changes and risk notes (in the
detail view's warning style). Three places use it: the detail view of every on-chain proposal
(``for_proposal``, cached per proposal and block), the actions builder before proposing
(``for_actions``), and the timelock box before executing (``execute_if_simulation_passes``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.governor.model import ProposalState
from app.governor.writer import ProposedCall
from app.orgs import Organisation
from app.simulate.model import CallStatus, Simulation
from app.simulate.report import SLOTS_TITLE
from app.simulate.runner import Progress
from app.usecases.simulation import Simulations
from ui.tasks import run_task
from ui.theme import Tone, current
from ui.theme.tokens import tone_colours

Runner = Callable[[Progress], Coroutine[Any, Any, Simulation]]
# Proposals whose simulation is worth running on sight; final ones run on request.
LIVE_STATES = frozenset(
    {ProposalState.PENDING, ProposalState.ACTIVE, ProposalState.SUCCEEDED, ProposalState.QUEUED}
)


class SimulationBox(QGroupBox):
    """A Simulate button, progress with Cancel, and the simulation's effects in words."""

    finished = Signal(object)  # Simulation

    def __init__(self, runner: Runner | None, *, autostart: bool = False,
                 cached: Simulation | None = None, hint: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__("Simulate", parent)
        self.setObjectName("simulation-box")
        self.runner = runner
        self.simulation: Simulation | None = None
        self._task: asyncio.Task[Simulation] | None = None
        self.run_button = QPushButton("Simulate execution", self)
        self.run_button.clicked.connect(self.start)
        self.run_button.setEnabled(runner is not None)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.status = QLabel(hint or "Runs every action locally, as the timelock would.", self)
        self.status.setObjectName("simulation-status")
        self.status.setWordWrap(True)
        self.result = QLabel(self)
        self.result.setObjectName("simulation-result")
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        for widget in (self.run_button, self.cancel_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.progress)  # its own line: the side panel stays narrow
        layout.addWidget(self.status)
        layout.addWidget(self.result)
        if cached is not None:
            self.show_simulation(cached)
        if autostart and runner is not None:
            self.start()

    @classmethod
    def for_proposal(
        cls, simulations: Simulations, org: Organisation, proposal_id: int,
        state: ProposalState, parent: QWidget | None = None,
    ) -> SimulationBox:  # fmt: skip
        """The detail view's section: runs at once for live proposals, shows a cached result."""

        def runner(progress: Progress) -> Coroutine[Any, Any, Simulation]:
            return simulations.proposal(org, proposal_id, progress)

        cached = simulations.cache.latest(org.network.chain_id, org.governor, proposal_id)
        live = state in LIVE_STATES
        hint = "" if live else (f"This proposal is {state.label.lower()}; a simulation shows "
                                "what its actions would do now.")  # fmt: skip
        return cls(runner, autostart=live, cached=cached, hint=hint, parent=parent)

    @classmethod
    def for_actions(cls, simulations: Simulations, org: Organisation,
                    calls: Callable[[], Sequence[ProposedCall]],
                    parent: QWidget | None = None) -> SimulationBox:  # fmt: skip
        """The actions builder's check before proposing: the actions as typed so far."""

        def runner(progress: Progress) -> Coroutine[Any, Any, Simulation]:
            return simulations.actions(org, list(calls()), progress)

        if not org.governor:
            return cls(None, hint="This organisation has no governor to simulate against.",
                       parent=parent)  # fmt: skip
        return cls(runner, hint="Check what these actions would do before proposing.",
                   parent=parent)  # fmt: skip

    # --- running ---

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        if self.runner is None or self._task is not None:
            return
        self.run_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText("Simulating…")
        self._task = run_task(self.runner(self._on_progress), owner=self,
                              on_done=self._done, on_error=self._failed)  # fmt: skip

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self._task is None:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(text + "…")

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._stopped()
        self.status.setText("Simulation cancelled.")

    def _stopped(self) -> None:
        self._task = None
        self.cancel_button.setVisible(False)
        self.progress.setVisible(False)
        self.run_button.setEnabled(self.runner is not None)

    def _done(self, simulation: Simulation) -> None:
        self._stopped()
        self.show_simulation(simulation)
        self.finished.emit(simulation)

    def _failed(self, message: str) -> None:
        self._stopped()
        self.status.setText(f"Could not simulate: {message}")

    # --- showing ---

    def show_simulation(self, simulation: Simulation) -> None:
        self.simulation = simulation
        self.run_button.setText("Simulate again")
        self.status.setText(
            f"Simulated locally on a fork of block {simulation.block:,} "
            f"in {simulation.elapsed_s:.2f} s."
        )
        self.result.setText(simulation_html(simulation))

    def plain_text(self) -> str:
        """What the box shows, as text (for tests and copying)."""
        return self.status.text() + "\n" + _strip_tags(self.result.text())


def _style(tone: Tone) -> str:
    """An inline colour from the theme's tokens (rich text cannot use the stylesheet)."""
    return f"color:{tone_colours(current(), tone)[0]}"


def simulation_html(simulation: Simulation) -> str:
    failed = simulation.reverted_at
    style = _style(Tone.DANGER if failed else Tone.SUCCESS)
    parts = [f'<p style="{style}"><b>{escape(simulation.headline)}</b></p>', "<ol>"]
    for call in simulation.calls:
        mark = {CallStatus.SUCCEEDED: "✓", CallStatus.REVERTED: "✗", CallStatus.NOT_RUN: "–"}
        parts.append(f"<li>{mark[call.status]} {_wrappable(call.text.split(': ', 1)[1])}")
        details = [e.text for e in call.events] + [f"ETH: {m}" for m in call.eth_sent]
        if details:
            parts.append("<br>" + "<br>".join(f"&nbsp;&nbsp;• {_wrappable(d)}" for d in details))
        parts.append("</li>")
    parts.append("</ol>")
    for title, items in (
        ("Balance changes", [b.text for b in simulation.balances]),
        ("Changed values", [v.text for v in simulation.values]),
        (SLOTS_TITLE, [s.text for s in simulation.slots]),
    ):
        if items:
            lines = "<br>".join(escape(i) for i in items)
            parts.append(f"<p><b>{escape(title)}</b><br>{lines}</p>")
    if simulation.risks:
        lines = "<br>".join(
            f"⚠ Action {r.index + 1}: {escape(r.message)}" for r in simulation.risks
        )
        parts.append(f'<p style="{_style(Tone.DANGER)}">{lines}</p>')
    if simulation.notes:
        parts.append("<p>" + "<br>".join(escape(n) for n in simulation.notes) + "</p>")
    return "".join(parts)


_BREAK = "\u200b"  # zero-width space: where a line may break inside a word


def _wrappable(text: str) -> str:
    """Escaped, with a line break allowed after ``(``, ``.``, ``,`` and ``=``: a call such as
    ``Decisions(0xDc64…F6C9).addFoundationMember(member=Acme Labs)`` is one word to the text
    layout, and its width would otherwise widen the whole side panel past its scroll area."""
    import re

    return re.sub(r"(\(|=|\.(?!\d)|,(?!\d))(?=\S)", "\\1" + _BREAK, escape(text))


def _strip_tags(html: str) -> str:
    import re
    from html import unescape

    text = re.sub(r"<br\s*/?>|</p>|</li>", "\n", html)
    return unescape(re.sub(r"<[^>]+>", "", text)).replace(_BREAK, "")
