"""Simulate a proposal's execution on a local fork before voting, proposing or executing.

``simulate_proposal`` / ``simulate_actions`` (``app.simulate.runner``) fork the organisation's own
RPC at the latest block in a local EVM (pyrevm), run each action as the timelock would, in order
and with its value, and return a ``Simulation``: per action success or the decoded revert, the
events in words, balance changes of the timelock and recipients in token units, changed values of
known contracts, raw storage slots of unknown ones, and risk notes. Nothing leaves the machine
except reads from the organisation's own endpoint.
"""

from __future__ import annotations

from app.simulate.model import (
    BalanceChange,
    CallEffect,
    CallStatus,
    EventEffect,
    ProposalCall,
    Simulation,
    SlotChange,
    ValueChange,
)

__all__ = [
    "BalanceChange",
    "CallEffect",
    "CallStatus",
    "EventEffect",
    "ProposalCall",
    "Simulation",
    "SlotChange",
    "ValueChange",
]
