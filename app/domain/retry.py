"""How patiently a request is retried: one policy for JSON-RPC endpoints and the sequencer."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all, waiting ``base_delay_s * 2**n`` (at most ``max_delay_s``) between.

    RPC reads wait exactly that, then fall back to the next endpoint; the sequencer adds jitter
    and honours the server's Retry-After (``delay``'s ``rng`` and ``retry_after``).
    """

    attempts: int = 3
    base_delay_s: float = 0.2
    max_delay_s: float = 2.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.base_delay_s < 0 or self.max_delay_s < self.base_delay_s:
            raise ValueError(f"Not a retry policy: {self!r}.")

    def delay(
        self, attempt: int, *, retry_after: float | None = None, rng: random.Random | None = None
    ) -> float:
        """Seconds to wait after failed attempt ``attempt`` (0-based).

        With ``rng``, the wait is drawn from the upper half of the backoff, so clients that
        failed together do not retry in step; a server's ``retry_after`` is a lower bound.
        """
        ceiling = min(self.max_delay_s, self.base_delay_s * 2**attempt)
        wait = ceiling / 2 + rng.uniform(0, ceiling / 2) if rng is not None else ceiling
        return float(max(wait, retry_after or 0.0))
