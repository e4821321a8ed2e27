"""JSON-RPC over HTTP: endpoint fallback, retries with backoff, chain-id checks, hostile answers.

``RpcClient`` holds an ordered list of endpoints for one chain. Requests go to the current endpoint;
transient failures (connection resets, HTTP 429/5xx) are retried with exponential backoff, then the
next endpoint is tried. An endpoint that cannot be reached (connect timeout, refused), does not
answer in time, redirects, or answers something that is not a well-formed JSON-RPC response is
given up at once for the next one (issue #22): its answer is parsed by ``app.jsonsafe`` within size
and depth limits and its shape is checked, including by the caller's own ``parse`` function. A
JSON-RPC error object is not transient: it is raised as ``RpcError`` at once so callers can react
(log scanner, revert decoding). Every endpoint's chain id is checked before it is used, and
``ensure_chain()`` re-checks it right before a signature.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable, Sequence
from typing import Any, Final, Protocol

from app.chain.errors import EndpointError, RpcError
from app.domain.retry import RetryPolicy
from app.errors import ChainMismatchError, ConfigError, NetworkError

log = logging.getLogger(__name__)

TRANSIENT_RPC_CODES = frozenset({-32005, 429})  # "limit exceeded" / rate limited
MAX_RESPONSE_BYTES: Final = 64 * 1024 * 1024  # a wide eth_getLogs answer, with room
CONNECT_TIMEOUT_S: Final = 2.5  # a black-holed endpoint is left after this (plus one probe)
PROBE_TIMEOUT_S: Final = 4.0  # eth_chainId is trivial: a node that takes longer is down
MAX_CHAIN_ID: Final = 2**53 - 1  # EIP-2294's bound, which wallets and SQLite both hold


class RpcTransport(Protocol):
    """What ``RpcClient`` needs of a connection to one endpoint."""

    async def make_request(
        self, method: str, params: list[Any], *, timeout_s: float | None = None
    ) -> Any: ...

    async def make_batch_request(self, calls: list[tuple[str, list[Any]]]) -> Any: ...

    async def disconnect(self) -> None: ...


ProviderFactory = Callable[[str, float], RpcTransport]


class MalformedResponseError(NetworkError):
    """An endpoint answered, but not with something of the expected shape."""


class _TransientError(Exception):
    """Internal: a failure worth retrying."""


class _EndpointDownError(_TransientError):
    """Internal: this endpoint is unreachable, refuses us or talks nonsense; go to the next."""


class HttpJsonRpc:
    """JSON-RPC 2.0 over one HTTP(S) URL: no redirects, bounded answers, connect/read timeouts.

    On the standard library's streams (``app.chain.http_transport``): no HTTP library loads for a
    read (start-up, issue #13), and a cancelled request leaves nothing half-started behind.
    """

    def __init__(self, url: str, timeout_s: float, *, connect_timeout_s: float = CONNECT_TIMEOUT_S):
        from app.chain.http_transport import JsonRpcHttpProvider

        self.url = url
        self._ids = itertools.count(1)
        self._http = JsonRpcHttpProvider(url, timeout_s, connect_timeout_s=connect_timeout_s)

    async def make_request(
        self, method: str, params: list[Any], *, timeout_s: float | None = None
    ) -> Any:
        body = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        return await self._post(body, timeout_s)

    async def make_batch_request(self, calls: list[tuple[str, list[Any]]]) -> Any:
        ids = [next(self._ids) for _ in calls]
        body = [
            {"jsonrpc": "2.0", "id": i, "method": m, "params": p}
            for i, (m, p) in zip(ids, calls, strict=True)
        ]
        return _order_batch(await self._post(body, None), ids)

    async def disconnect(self) -> None:
        await self._http.disconnect()

    async def _post(self, body: Any, timeout_s: float | None) -> Any:
        from app.chain.http_transport import HttpConnectError, HttpStatusError, HttpTransportError

        try:
            return await self._http.post_json(body, timeout_s)
        except HttpStatusError as exc:
            _check_status(exc.status, None, exc.message)
            raise _TransientError(str(exc)) from exc
        except HttpConnectError as exc:
            raise _EndpointDownError(exc.user_message) from exc
        except HttpTransportError as exc:
            if "not usable" in exc.user_message or "within" in exc.user_message:
                raise _EndpointDownError(exc.user_message) from exc  # hostile, or no answer
            raise _TransientError(exc.user_message) from exc


def _describe(exc: BaseException) -> str:
    return type(exc).__name__ + (f": {exc}" if str(exc) else "")


def _check_status(status: int, location: str | None, reason: str | None) -> None:
    if 300 <= status < 400:
        where = (location or "?")[:100]
        raise _EndpointDownError(f"HTTP {status}: redirects to {where} are not followed")
    if status == 429 or status >= 500:
        raise _TransientError(f"HTTP {status}")
    if status >= 400:
        raise _EndpointDownError(f"HTTP {status} {reason or ''}".strip())


def _order_batch(answer: Any, ids: list[int]) -> list[Any]:
    """A batch answer in request order (servers may reorder); a single error object as is."""
    if isinstance(answer, dict):
        return [answer]
    if not isinstance(answer, list) or not all(isinstance(a, dict) for a in answer):
        raise _EndpointDownError("the batch answer is not a list of JSON-RPC responses")
    by_id = {a.get("id"): a for a in answer}
    if len(answer) != len(ids) or set(by_id) != set(ids):
        raise _EndpointDownError("the batch answer does not match the requests")
    return [by_id[i] for i in ids]


def http_provider(url: str, timeout_s: float) -> RpcTransport:
    """The default transport: our own JSON-RPC over asyncio streams (we retry; no redirects)."""
    return HttpJsonRpc(url, timeout_s)


def parse_quantity(value: Any, what: str = "number") -> int:
    """A JSON-RPC quantity (``0x``-hex string) as an int; ``ValueError`` when it is not one."""
    if not isinstance(value, str) or not value.startswith("0x") or not 3 <= len(value) <= 66:
        raise ValueError(f"the {what} {str(value)[:40]!r} is not a hex quantity")
    return int(value[2:], 16)


def parse_data(value: Any, what: str = "data") -> bytes:
    """JSON-RPC data (``0x``-hex string) as bytes; ``ValueError`` when it is not."""
    if not isinstance(value, str) or not value.startswith("0x"):
        raise ValueError(f"the {what} {str(value)[:40]!r} is not 0x-hex data")
    return bytes.fromhex(value[2:])


def parse_chain_id(value: Any) -> int:
    chain_id = parse_quantity(value, "chain id")
    if not 0 < chain_id <= MAX_CHAIN_ID:
        raise ValueError(f"the chain id {chain_id} is out of range")
    return chain_id


Parse = Callable[[Any], Any]
_SHAPE_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError)


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
        if isinstance(chain_id, bool) or not isinstance(chain_id, int):
            raise ConfigError(f"The chain id {chain_id!r} is not a number.")
        if not 0 < chain_id <= MAX_CHAIN_ID:
            raise ConfigError(f"The chain id {chain_id} is out of range (1 to {MAX_CHAIN_ID}).")
        self.endpoints = tuple(endpoints)
        self.chain_id = chain_id
        self.retry = retry or RetryPolicy()
        self._transports = [provider_factory(url, timeout_s) for url in self.endpoints]
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
        for transport in self._transports:
            await transport.disconnect()

    async def __aenter__(self) -> RpcClient:
        return await self.connect()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def ensure_chain(self) -> None:
        """Ask the current endpoint for its chain id now (no cache); refuse a mismatch."""
        served = await self._request_verified("eth_chainId", [], parse_chain_id)
        self._check_chain_id(served)

    def _check_chain_id(self, served: int) -> None:
        if served != self.chain_id:
            raise ChainMismatchError(
                f"The RPC endpoint {self.endpoint} serves chain {served}, but chain "
                f"{self.chain_id} is configured. Nothing was signed or sent.",
            )

    async def request(
        self, method: str, params: Sequence[Any], *, parse: Parse | None = None
    ) -> Any:
        """One JSON-RPC request, with retries and endpoint fallback; returns ``result``.

        ``parse`` turns the result into what the caller needs; when it raises ``ValueError`` (or
        another shape error) the answer counts as malformed and the next endpoint is asked.
        """
        return await self._request_verified(method, params, parse)

    async def request_batch(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        """Several requests in one JSON-RPC batch (one HTTP round trip)."""
        results: list[Any] = await self._with_fallback("batch", lambda: self._batch_once(calls))
        return results

    async def _request_verified(
        self, method: str, params: Sequence[Any], parse: Parse | None = None
    ) -> Any:
        async def attempt() -> Any:
            result = await self._raw(self._current, method, params)
            return result if parse is None else _parsed(parse, result, method)

        return await self._with_fallback(method, attempt)

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
        raw = await self._raw(index, "eth_chainId", [], timeout_s=PROBE_TIMEOUT_S)
        served = _parsed(parse_chain_id, raw, "eth_chainId")
        self._check_chain_id(served)
        self._verified.add(index)

    async def _raw(
        self, index: int, method: str, params: Sequence[Any], *, timeout_s: float | None = None
    ) -> Any:
        transport = self._transports[index]
        if timeout_s is None:
            response = await transport.make_request(method, list(params))
        else:
            response = await transport.make_request(method, list(params), timeout_s=timeout_s)
        return self._unwrap(index, method, response)

    async def _batch_once(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        transport = self._transports[self._current]
        responses = await transport.make_batch_request([(m, list(p)) for m, p in calls])
        if len(responses) == 1 and len(calls) != 1:
            return [self._unwrap(self._current, "batch", responses[0])]
        return [
            self._unwrap(self._current, m, r) for (m, _), r in zip(calls, responses, strict=True)
        ]

    def _unwrap(self, index: int, method: str, response: Any) -> Any:
        if not isinstance(response, dict):
            raise _EndpointDownError(f"{method}: the answer is not a JSON-RPC response object")
        if "error" in response and response["error"] is not None:
            code, message, data = _error_fields(response["error"], method)
            if code == 429 or (code in TRANSIENT_RPC_CODES and "rate" in message.lower()):
                raise _TransientError(f"rate limited: {message}")
            raise RpcError(self.endpoints[index], method, code, message, data)
        if "result" not in response:
            raise _EndpointDownError(f"{method}: the answer has neither a result nor an error")
        return response["result"]


def _error_fields(error: Any, method: str) -> tuple[int, str, Any]:
    """A JSON-RPC error object's code, message and data; malformed ones mean a broken endpoint."""
    if not isinstance(error, dict):
        raise _EndpointDownError(f"{method}: the error is not a JSON-RPC error object")
    code, message = error.get("code", 0), error.get("message", "")
    if isinstance(code, bool) or not isinstance(code, int) or not -(2**63) <= code < 2**63:
        raise _EndpointDownError(f"{method}: the error code {str(code)[:40]!r} is not valid")
    if not isinstance(message, str):
        raise _EndpointDownError(f"{method}: the error message is not text")
    return code, message[:2000], error.get("data")


def _parsed(parse: Parse, result: Any, method: str) -> Any:
    try:
        return parse(result)
    except _SHAPE_ERRORS as exc:
        raise _EndpointDownError(f"{method}: malformed result ({exc})") from exc


async def probe_chain_id(endpoints: Sequence[str], timeout_s: float = PROBE_TIMEOUT_S) -> int:
    """The chain id every answering endpoint agrees on (read-only use, nothing signed).

    Reads without a configured chain id must not trust the first endpoint alone: when two
    endpoints serve different chains, this refuses instead of picking one.
    """
    served: dict[str, int] = {}
    for url in endpoints:
        transport = http_provider(url, timeout_s)
        try:
            response = await transport.make_request("eth_chainId", [])
            if isinstance(response, dict) and "result" in response:
                served[url] = parse_chain_id(response["result"])
        except (_TransientError, *_SHAPE_ERRORS):
            continue
        finally:
            await transport.disconnect()
    if not served:
        raise EndpointError(f"No RPC endpoint answered eth_chainId (tried {', '.join(endpoints)}).")
    if len(set(served.values())) > 1:
        listed = ", ".join(f"{url} serves {chain}" for url, chain in served.items())
        raise ChainMismatchError(f"The RPC endpoints disagree on the chain ({listed}).")
    return next(iter(served.values()))
