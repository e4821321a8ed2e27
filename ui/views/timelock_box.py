"""TimelockBox: Queue and Execute buttons for a passed on-chain proposal, in the detail view.

``timelock_step`` decides which button is enabled: Succeeded -> Queue; Queued -> Execute once the
chain's own clock (the latest block) reaches the eta, with a countdown until then. Transactions
are the ``onchain`` use cases, signed through a ``SignerSource`` (the signing dialog in the app).
"""

from __future__ import annotations

import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.governor.model import ProposalState
from app.orgs import Organisation
from app.usecases.onchain import Onchain, TimelockClock
from app.usecases.signing import SignerSource
from app.usecases.simulation import Simulations
from ui.tasks import run_task

TIMELOCK_STATES = frozenset({ProposalState.SUCCEEDED, ProposalState.QUEUED})


@dataclass(frozen=True)
class TimelockStep:
    """Which of Queue and Execute a proposal allows, and the seconds left until its eta."""

    queue: bool
    execute: bool
    seconds_left: int = 0


def timelock_step(
    state: ProposalState, eta: int, chain_now: int, *, needs_queue: bool = True
) -> TimelockStep:
    """Succeeded -> Queue; Queued -> Execute once the chain's time reaches the eta. A governor
    without a timelock executes straight from Succeeded."""
    if state is ProposalState.SUCCEEDED:
        return TimelockStep(queue=needs_queue, execute=not needs_queue)
    if state is ProposalState.QUEUED:
        left = max(eta - chain_now, 0)
        return TimelockStep(queue=False, execute=left == 0, seconds_left=left)
    return TimelockStep(queue=False, execute=False)


def countdown_text(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h {minutes} min"
    return f"{hours} h {minutes} min {secs} s" if hours else f"{minutes} min {secs} s"


class TimelockBox(QGroupBox):
    """Queue and Execute buttons for a passed proposal, with a countdown to the eta."""

    sent = Signal(str)  # transaction hash

    def __init__(self, onchain: Onchain, org: Organisation, proposal_id: int,
                 state: ProposalState, eta: int, sign: SignerSource,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__("Timelock", parent)
        self.setObjectName("timelock-box")
        self.org, self.proposal_id, self.state, self.eta = org, proposal_id, state, eta
        self.onchain, self.sign = onchain, sign
        self.chain_offset: float | None = None  # chain time minus wall time, once read
        self.needs_queue = True
        self.queue_button = QPushButton("Queue", self)
        self.execute_button = QPushButton("Execute", self)
        self.queue_button.clicked.connect(lambda: self._send("queue"))
        self.execute_button.clicked.connect(lambda: self._send("execute"))
        self.countdown = QLabel(self)
        self.countdown.setObjectName("timelock-countdown")
        layout = QHBoxLayout(self)
        for widget in (self.queue_button, self.execute_button, self.countdown):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.update_buttons)
        self.queue_button.setEnabled(False)
        self.execute_button.setEnabled(False)
        run_task(onchain.timelock_clock(org), owner=self, on_done=self._on_chain_time,
                 on_error=self.countdown.setText)  # fmt: skip

    def _on_chain_time(self, found: TimelockClock) -> None:
        timestamp, self.needs_queue = found.chain_now, found.needs_queue
        self.queue_button.setVisible(self.needs_queue)
        self.chain_offset = timestamp - time.time()
        self.update_buttons()
        if self.state is ProposalState.QUEUED:
            self._timer.start(1000)

    def update_buttons(self) -> None:
        if self.chain_offset is None:
            return
        now = int(time.time() + self.chain_offset)
        step = timelock_step(self.state, self.eta, now, needs_queue=self.needs_queue)
        self.queue_button.setEnabled(step.queue)
        self.execute_button.setEnabled(step.execute)
        if step.seconds_left:
            self.countdown.setText(f"Executable in {countdown_text(step.seconds_left)}")
        else:
            self.countdown.setText("Ready to execute" if step.execute else "")
            self._timer.stop()

    def _send(self, verb: str) -> None:
        self.queue_button.setEnabled(False)
        self.execute_button.setEnabled(False)
        self.countdown.setText("Waiting for your signature…")

        def send() -> Coroutine[Any, Any, str]:
            return self.onchain.step(self.org, self.sign, verb, self.proposal_id)

        # An execution is simulated first: one that would revert is never signed.
        simulations = Simulations(self.onchain.factories)
        work = (
            simulations.execute_if_passes(self.org, self.proposal_id, send)
            if verb == "execute"
            else send()
        )
        run_task(work, owner=self, on_done=self.sent.emit, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.countdown.setText(message)
        self.update_buttons()
