"""Send signed envelopes to a Snapshot sequencer (``POST /``) and explain its answers.

Answers, and what ``SequencerClient.submit`` does with them::

    200 {id, ipfs, relayer}            -> Receipt
    400 "duplicate message"            -> Receipt(duplicate=True): the hub already has it
    400 transient refusal              -> retried; then SequencerUnavailableError (stays pending)
      ("failed to check voting power", "pinning failed", ...: ``refusals.TRANSIENT``)
    400/401 other client_error         -> SequencerRejectedError (final; user_message explains)
    425 request already being processed -> wait, then send again (a duplicate then = accepted)
    429, 5xx                           -> retried with exponential backoff and jitter; a
                                          Retry-After header is honoured (seconds or a date)
    timeout / connection failure       -> retried, then NetworkError (the envelope stays pending)
    404 / HTML from a GraphQL hub      -> SequencerRejectedError naming the wrong URL
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Final

from app import bounded_http, jsonsafe
from app.domain.endpoints import DEFAULT_SEQUENCER
from app.domain.retry import RetryPolicy
from app.errors import AppError, InputError, NetworkError
from app.snapshot.envelope import SignedEnvelope
from app.snapshot.refusals import explain
from app.snapshot.retry_after import retry_after_seconds
from app.tls import shared_context

if TYPE_CHECKING:  # httpx loads with the first client, not with the outbox (issue #20)
    import httpx

__all__ = [
    "DEFAULT_SEQUENCER",
    "Receipt",
    "SequencerClient",
    "SequencerRejectedError",
    "SequencerUnavailableError",
    "check_clock_skew",
]
RETRY_STATUSES: Final = frozenset({425, 429, 500, 502, 503, 504})
# The real sequencer's answers are a few hundred bytes; anything near this is not one.
MAX_ANSWER_BYTES: Final = 1024 * 1024
ANSWER_DEADLINE_S: Final = 60.0
DUPLICATE: Final = "duplicate message"


class SequencerRejectedError(AppError):
    """Snapshot refused the message for good; ``reason`` is its raw error description."""

    def __init__(self, reason: str, *, status: int, explanation: str | None = None) -> None:
        super().__init__(
            explanation or explain(reason).explanation, detail=f"HTTP {status}: {reason}"
        )
        self.reason = reason
        self.status = status


class SequencerUnavailableError(NetworkError):
    """A service behind the sequencer failed (``reason``); the same envelope may pass later."""

    def __init__(self, reason: str, *, url: str) -> None:
        super().__init__(
            explain(reason).explanation
            if reason
            else "Snapshot did not answer in time; the signed message is kept and will be sent "
            "again.",
            detail=f"{url}: {reason}" if reason else url,
        )
        self.reason = reason


@dataclass(frozen=True)
class Receipt:
    """The hub's acknowledgement of one message."""

    id: str
    ipfs: str = ""
    relayer_address: str = ""
    relayer_receipt: str = ""
    duplicate: bool = False


Sleep = Callable[[float], Awaitable[None]]


# A vote is worth waiting for: six tries over about half a minute, with jitter.
SEQUENCER_RETRY: Final = RetryPolicy(attempts=6, base_delay_s=0.5, max_delay_s=20.0)


def _description(response: httpx.Response) -> str:
    """The sequencer's reason, as short plain text whatever it sent (issue #22)."""
    try:
        payload = jsonsafe.loads(response.content, source="the Snapshot sequencer")
    except jsonsafe.HostileDataError:
        return response.content[:200].decode("utf-8", "replace") or response.reason_phrase
    if isinstance(payload, dict):
        desc = payload.get("error_description", payload.get("error", ""))
        text = desc if isinstance(desc, str) else json.dumps(desc)
    else:
        text = json.dumps(payload)
    return text if len(text) <= 500 else text[:497] + "..."


def _receipt(envelope: SignedEnvelope, payload: Any) -> Receipt:
    if not isinstance(payload, dict):
        raise ValueError("the sequencer's receipt is not an object")
    relayer = payload.get("relayer") or {}
    return Receipt(
        id=str(payload.get("id") or envelope.id),
        ipfs=str(payload.get("ipfs", "")),
        relayer_address=str(relayer.get("address", "")),
        relayer_receipt=str(relayer.get("receipt", "")),
    )


class SequencerClient:
    """POSTs envelopes to one sequencer URL. Pass ``transport`` and ``sleep`` in tests."""

    def __init__(
        self,
        url: str = DEFAULT_SEQUENCER,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        import httpx

        from app.stream_http import StreamTransport

        self.url = url
        self._client = httpx.AsyncClient(
            transport=transport or StreamTransport(verify=shared_context()), timeout=timeout
        )
        self._policy = policy or SEQUENCER_RETRY
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._clock = clock

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> SequencerClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def clock_skew(self) -> float | None:
        """Server time minus this computer's time (seconds), from the HTTP ``Date`` header.

        None if the server cannot be asked; the sequencer's answer to a wrong clock is an
        unexplained "wrong timestamp", so this is checked before signing.
        """
        import httpx

        try:
            response = await bounded_http.send(
                self._client, "GET", self.url, source="The sequencer", max_bytes=MAX_ANSWER_BYTES
            )
            served = parsedate_to_datetime(response.headers["date"])
        except (httpx.HTTPError, NetworkError, KeyError, TypeError, ValueError):
            return None
        return served.timestamp() - self._clock()

    async def submit(self, envelope: SignedEnvelope) -> Receipt:
        """Deliver ``envelope``; idempotent, so sending again after any failure is safe."""
        import httpx

        problem, retry_after, transient = "no attempt made", None, ""
        for attempt in range(self._policy.attempts):
            if attempt:
                await self._sleep(
                    self._policy.delay(attempt - 1, retry_after=retry_after, rng=self._rng)
                )
            retry_after = None
            try:
                response = await bounded_http.send(
                    self._client,
                    "POST",
                    self.url,
                    source=f"The sequencer {self.url}",
                    max_bytes=MAX_ANSWER_BYTES,
                    deadline_s=ANSWER_DEADLINE_S,
                    content=envelope.to_json(),
                    headers=_HEADERS,
                )
            except httpx.TimeoutException:
                problem = "the request timed out"
                continue
            except httpx.TransportError as exc:
                problem = f"connection failed ({exc.__class__.__name__})"
                continue
            except NetworkError as exc:  # too large, undecodable or endless: idempotent, so retry
                problem = exc.user_message
                continue
            receipt = self._interpret(envelope, response)
            if receipt is not None:
                return receipt
            transient = _description(response)
            problem = f"HTTP {response.status_code}: {transient}"
            retry_after = retry_after_seconds(response.headers, clock=self._clock)
        if transient and explain(transient).transient:
            raise SequencerUnavailableError(transient, url=self.url)
        raise SequencerUnavailableError("", url=f"{self.url}: {problem}")

    def _interpret(self, envelope: SignedEnvelope, response: httpx.Response) -> Receipt | None:
        """A receipt, None to retry, or SequencerRejectedError."""
        if response.status_code == 200:
            try:
                payload = jsonsafe.loads(response.content, source=f"the sequencer {self.url}")
                return _receipt(envelope, payload)
            except (ValueError, AttributeError, jsonsafe.HostileDataError) as exc:
                raise NetworkError("Snapshot answered with something unreadable.") from exc
        if response.status_code in RETRY_STATUSES:
            return None
        if _is_not_a_sequencer(response):
            raise SequencerRejectedError(
                "not a sequencer",
                status=response.status_code,
                explanation=f"{self.url} does not take signed messages (it is probably the "
                "GraphQL hub, not its sequencer). Check the organisation's sequencer URL.",
            )
        reason = _description(response)
        if reason == DUPLICATE:
            return Receipt(id=envelope.id, duplicate=True)
        if explain(reason).transient:
            return None
        raise SequencerRejectedError(reason, status=response.status_code)


def _is_not_a_sequencer(response: httpx.Response) -> bool:
    """A 404/405, or an answer that is not the sequencer's JSON (e.g. a hub's HTML page)."""
    if response.status_code in (404, 405):
        return True
    return "json" not in response.headers.get("content-type", "json")


_HEADERS: Final = {"Accept": "application/json", "Content-Type": "application/json"}


# The sequencer accepts timestamps from 6 days behind its clock to 5 minutes ahead of it.
MAX_AHEAD_S: Final = 300
MAX_BEHIND_S: Final = 6 * 24 * 3600


def check_clock_skew(skew: float | None, *, margin: float = 30.0) -> None:
    """Refuse to sign when this computer's clock is too far off for Snapshot to accept it."""
    if skew is None:
        return
    if -skew > MAX_AHEAD_S - margin or skew > MAX_BEHIND_S - margin:
        direction = "ahead of" if skew < 0 else "behind"
        raise InputError(
            f"This computer's clock is {abs(skew) / 60:.0f} minutes {direction} Snapshot's, so "
            "Snapshot would refuse the message. Turn on automatic date and time, then try again."
        )
