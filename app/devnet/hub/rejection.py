"""The local hub's refusal: ``reason`` is the sequencer's exact ``error_description``."""

from __future__ import annotations


class RejectionError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
