"""``Retry-After`` as servers send it: delta-seconds or an HTTP date (RFC 9110 §10.2.3).

Shared by the sequencer client (sending) and the hub client (reading).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Final

MAX_WAIT_S: Final = 600.0  # never wait longer than this for one answer, whatever the server says


def retry_after_seconds(
    headers: Mapping[str, str], *, clock: Callable[[], float] = time.time
) -> float | None:
    """Seconds to wait before asking again, or None if the server did not say (or said nonsense)."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - clock()
        except (TypeError, ValueError, IndexError):
            return None
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_WAIT_S)
