"""The local hub's stand-in for score-api's ``validate``: ``any`` and ``basic`` (minimum score).

``basic`` passes when the address's voting power (the validation's own strategies, else the
space's) is at least ``minScore``; without a minScore it always passes, as on the sequencer.
A failure of the voting-power source raises ``ValidationUnavailableError`` (the sequencer's
"failed to check ..." answers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from app.devnet.hub.voting_power import VotingPowerSource
from app.errors import AppError

SUPPORTED: Final = ("any", "basic")


class ValidationUnavailableError(Exception):
    """The voting power needed for the validation could not be read."""


def validate(
    power: VotingPowerSource,
    validation: Mapping[str, Any],
    address: str,
    strategies: Sequence[Mapping[str, Any]],
    snapshot: int | None,
    min_score: float = 0.0,
    *,
    space: str = "",
) -> bool:
    name = str(validation.get("name") or "basic")
    params = dict(validation.get("params") or {})
    threshold = float(params.get("minScore") or min_score or 0)
    if name == "any" or (name == "basic" and not threshold):
        return True
    if name != "basic":
        raise ValidationUnavailableError(f"validation {name!r} is not available on the local hub")
    try:
        vp = power.voting_power(
            address, params.get("strategies") or strategies, snapshot, space=space
        ).vp
    except AppError as exc:
        raise ValidationUnavailableError(str(exc)) from exc
    return vp >= threshold
