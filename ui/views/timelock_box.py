"""TimelockBox: Queue and Execute buttons for a passed on-chain proposal, in the detail view.

``timelock_step`` decides which button is enabled: Succeeded -> Queue; Queued -> Execute once the
chain's own clock (the latest block) reaches the eta, with a countdown until then. Transactions
are signed by a ``SignerFactory`` signer (``DialogSigner`` in the app).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.governor.model import ProposalState
from app.orgs import Organisation
from ui.tasks import run_task
from ui.views.actions_builder_view import SignerFactory, governor_abis
from ui.views.delegation_box import open_governor
from ui.views.simulation_box import execute_if_simulation_passes

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


async def read_timelock(org: Organisation) -> tuple[int, bool]:
    """(the chain's latest block time, whether the governor queues in a timelock)."""
    async with open_governor(org) as governor:
        return (await governor.clock()).timestamp, governor.info.timelock is not None


async def send_step(org: Organisation, make_signer: SignerFactory, verb: str, pid: int) -> str:
    """Queue or execute proposal ``pid``; the transaction hash."""
    async with open_governor(org) as governor:
        signer = make_signer(org, governor_abis(governor))
        send = governor.queue if verb == "queue" else governor.execute
        return (await send(signer, pid)).tx_hash


class TimelockBox(QGroupBox):
    """Queue and Execute buttons for a passed proposal, with a countdown to the eta."""

    sent = Signal(str)  # transaction hash

    def __init__(self, org: Organisation, proposal_id: int, state: ProposalState, eta: int,
                 make_signer: SignerFactory, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__("Timelock", parent)
        self.setObjectName("timelock-box")
        self.org, self.proposal_id, self.state, self.eta = org, proposal_id, state, eta
        self.make_signer = make_signer
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
        run_task(read_timelock(org), owner=self, on_done=self._on_chain_time,
                 on_error=self.countdown.setText)  # fmt: skip

    def _on_chain_time(self, found: tuple[int, bool]) -> None:
        timestamp, self.needs_queue = found
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
        send = partial(send_step, self.org, self.make_signer, verb, self.proposal_id)
        if verb == "execute":  # simulated first: an execution that would revert is never signed
            send = partial(execute_if_simulation_passes, self.org, self.proposal_id, send)
        run_task(send(), owner=self, on_done=self.sent.emit, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.countdown.setText(message)
        self.update_buttons()
