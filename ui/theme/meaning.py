"""What pipeline states look like: a tone per status, a colour role per phase."""

from __future__ import annotations

from app.pipeline.model import Phase
from app.pipeline.phases import Status
from ui.theme.tokens import Colours, Tone

STATUS_TONES = {
    Status.DRAFT: Tone.NEUTRAL,
    Status.UPCOMING: Tone.NEUTRAL,
    Status.VOTING: Tone.ACCENT,
    Status.PASSED: Tone.SUCCESS,
    Status.FAILED: Tone.DANGER,
    Status.CANCELED: Tone.NEUTRAL,
    Status.WAITING: Tone.WARNING,
    Status.READY: Tone.SUCCESS,
    Status.EXECUTED: Tone.SUCCESS,
    Status.EXPIRED: Tone.NEUTRAL,
    Status.DONE: Tone.SUCCESS,
}


def status_tone(status: Status) -> Tone:
    return STATUS_TONES.get(status, Tone.NEUTRAL)


def phase_colour(colours: Colours, phase: Phase) -> str:
    return str(getattr(colours, phase.value))
