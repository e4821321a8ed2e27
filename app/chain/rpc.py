"""JSON-RPC with endpoint fallback, retries with backoff and chain-id checks (httpx transport).

``RpcClient`` holds an ordered list of endpoints for one chain. Requests go to the current endpoint;
transient failures (connection errors, timeouts, HTTP 429/5xx) are retried with exponential
backoff, then the next endpoint is tried. A JSON-RPC error object is not transient: it is raised
as ``RpcError`` at once so callers can react (log scanner, revert decoding). Every endpoint's chain
id is checked before it is used, and ``ensure_chain()`` re-checks it right before a signature.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.chain.errors import EndpointError, RpcError
from app.chain.http_transport import HttpStatusError, HttpTransportError, JsonRpcHttpProvider
from app.errors import ChainMismatchError, ConfigError

log = logging.getLogger(__name__)

# A provider has web3's provider methods: make_request, make_batch_request, disconnect. The default
# is our httpx one (web3 costs ~0.4 s to import); web3's AsyncHTTPProvider works too.
ProviderFactory = Callable[[str, float], Any]
TRANSIENT_RPC_CODES = frozenset({-32005, 429})  # "limit exceeded" / rate limited


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently one endpoint is retried before falling back."""

    attempts: int = 3
    base_delay_s: float = 0.2
    max_delay_s: float = 2.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_delay_s, self.base_delay_s * 2**attempt))


def http_provider(url: str, timeout_s: float) -> JsonRpcHttpProvider:
    """The default provider: JSON-RPC over httpx, no retries of its own (we retry)."""
    return JsonRpcHttpProvider(url, timeout_s)


def _transport_errors() -> tuple[type[BaseException], ...]:
    """Failures worth retrying; aiohttp's too when an injected web3 provider loaded it."""
    errors: list[type[BaseException]] = [
        HttpStatusError,
        HttpTransportError,
        TimeoutError,
        ValueError,
    ]
    aiohttp = sys.modules.get("aiohttp")
    if aiohttp is not None:
        errors.append(aiohttp.ClientError)
    return tuple(errors)


def _http_status(exc: BaseException) -> tuple[int, str] | None:
    if isinstance(exc, HttpStatusError):
        return exc.status, exc.message
    aiohttp = sys.modules.get("aiohttp")
    if aiohttp is not None and isinstance(exc, aiohttp.ClientResponseError):
        return int(exc.status), str(exc.message)
    return None


class _TransientError(Exception):
    """Internal: a failure worth retrying."""


class _EndpointDownError(_TransientError):
    """Internal: this endpoint refuses us (HTTP 4xx); go to the next one without retrying."""


class RpcClient:
    """Requests to one chain through an ordered list of RPC endpoints."""

    def __init__(
        self,
        endpoints: Sequence[str],
        *,
        chain_id: int,
        retry: RetryPolicy | None = None,
        timeout_s: float = 15.0,
        provider_factory: ProviderFactory = http_provider,
    ) -> None:
        if not endpoints:
            raise ConfigError("No RPC endpoint is configured for this network.")
        self.endpoints = tuple(endpoints)
        self.chain_id = chain_id
        self.retry = retry or RetryPolicy()
        self._providers = [provider_factory(url, timeout_s) for url in self.endpoints]
        self._current = 0
        self._verified: set[int] = set()

    @property
    def endpoint(self) -> str:
        """The endpoint requests currently go to."""
        return self.endpoints[self._current]

    async def connect(self) -> RpcClient:
        """Find the first endpoint that answers and serves ``chain_id`` (closes on failure)."""
        try:
            await self.request("eth_chainId", [])
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        for provider in self._providers:
            await provider.disconnect()

    async def __aenter__(self) -> RpcClient:
        return await self.connect()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def ensure_chain(self) -> None:
        """Ask the current endpoint for its chain id now (no cache); refuse a mismatch."""
        served = int(await self._request_verified("eth_chainId", []), 16)
        self._check_chain_id(served)

    def _check_chain_id(self, served: int) -> None:
        if served != self.chain_id:
            raise ChainMismatchError(
                f"The RPC endpoint {self.endpoint} serves chain {served}, but chain "
                f"{self.chain_id} is configured. Nothing was signed or sent.",
            )

    async def request(self, method: str, params: Sequence[Any]) -> Any:
        """One JSON-RPC request, with retries and endpoint fallback; returns ``result``."""
        return await self._request_verified(method, params)

    async def request_batch(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        """Several requests in one JSON-RPC batch (one HTTP round trip)."""
        results: list[Any] = await self._with_fallback("batch", lambda: self._batch_once(calls))
        return results

    async def _request_verified(self, method: str, params: Sequence[Any]) -> Any:
        return await self._with_fallback(method, lambda: self._request_once(method, params))

    async def _with_fallback(self, method: str, attempt: Callable[[], Any]) -> Any:
        failures: list[str] = []
        for offset in range(len(self.endpoints)):
            index = (self._current + offset) % len(self.endpoints)
            try:
                result = await self._retrying(index, attempt)
            except _TransientError as exc:
                failures.append(f"{self.endpoints[index]}: {exc}")
                continue
            return result
        raise EndpointError(
            f"No RPC endpoint answered {method} (tried {', '.join(self.endpoints)}). "
            "Check your connection or the endpoint settings.",
            detail="; ".join(failures),
        )

    async def _retrying(self, index: int, attempt: Callable[[], Any]) -> Any:
        last: _TransientError | None = None
        for number in range(self.retry.attempts):
            if number:
                await asyncio.sleep(self.retry.delay(number - 1))
            try:
                if self._current != index or index not in self._verified:
                    await self._switch_to(index)
                return await attempt()
            except _EndpointDownError:
                raise
            except _TransientError as exc:
                log.info("RPC %s failed (%s), attempt %d", self.endpoints[index], exc, number + 1)
                last = exc
        raise last or _TransientError("no attempt made")

    async def _switch_to(self, index: int) -> None:
        self._current = index
        served = int(await self._raw(index, "eth_chainId", []), 16)
        self._check_chain_id(served)
        self._verified.add(index)

    async def _request_once(self, method: str, params: Sequence[Any]) -> Any:
        return await self._raw(self._current, method, params)

    async def _raw(self, index: int, method: str, params: Sequence[Any]) -> Any:
        provider = self._providers[index]
        try:
            response = await provider.make_request(method, list(params))
        except _transport_errors() as exc:
            status = _http_status(exc)
            if status is not None and not (status[0] == 429 or status[0] >= 500):
                raise _EndpointDownError(f"HTTP {status[0]} {status[1]}") from exc
            if status is not None:
                raise _TransientError(f"HTTP {status[0]}") from exc
            raise _TransientError(type(exc).__name__ + (f": {exc}" if str(exc) else "")) from exc
        return self._unwrap(index, method, dict(response))

    async def _batch_once(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        provider = self._providers[self._current]
        try:
            responses = await provider.make_batch_request([(m, list(p)) for m, p in calls])
        except _transport_errors() as exc:
            raise _TransientError(type(exc).__name__) from exc
        if not isinstance(responses, list):
            return [self._unwrap(self._current, "batch", dict(responses))]
        return [
            self._unwrap(self._current, m, dict(r))
            for (m, _), r in zip(calls, responses, strict=True)
        ]

    def _unwrap(self, index: int, method: str, response: dict[str, Any]) -> Any:
        error = response.get("error")
        if error is None:
            return response.get("result")
        code = int(error.get("code", 0))
        message = str(error.get("message", ""))
        if code == 429 or (code in TRANSIENT_RPC_CODES and "rate" in message.lower()):
            raise _TransientError(f"rate limited: {message}")
        raise RpcError(self.endpoints[index], method, code, message, error.get("data"))


async def probe_chain_id(endpoints: Sequence[str], timeout_s: float = 10.0) -> int:
    """The chain id served by the first endpoint that answers (read-only use, nothing signed)."""
    for url in endpoints:
        provider = http_provider(url, timeout_s)
        try:
            response = await provider.make_request("eth_chainId", [])
        except _transport_errors():
            continue
        finally:
            await provider.disconnect()
        if "result" in response:
            return int(response["result"], 16)
    raise EndpointError(f"No RPC endpoint answered eth_chainId (tried {', '.join(endpoints)}).")
