"""A light JSON-RPC-over-HTTP provider (httpx), the default transport of ``RpcClient``.

It has the three methods ``RpcClient`` uses from a web3 provider (``make_request``,
``make_batch_request``, ``disconnect``), so web3's providers can still be injected, but
importing it costs a fraction of ``import web3`` (which pulls in eth-account and a BLS
library): a read-only ``govdesk governor`` command never loads web3 (issue #13).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx

from app.errors import NetworkError

MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # a larger answer is refused rather than parsed


class HttpStatusError(NetworkError):
    """The endpoint answered with an HTTP error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status} {message}".strip())
        self.status = status
        self.message = message


class HttpTransportError(NetworkError):
    """The request did not reach the endpoint or got no usable answer."""


class JsonRpcHttpProvider:
    """POSTs JSON-RPC bodies to one URL; keeps one connection pool until ``disconnect``."""

    def __init__(self, url: str, timeout_s: float) -> None:
        self.endpoint_uri = url
        self._timeout = httpx.Timeout(timeout_s)
        self._client: httpx.AsyncClient | None = None
        self._ids = itertools.count(1)

    async def make_request(self, method: str, params: list[Any]) -> dict[str, Any]:
        answer = await self._post({"jsonrpc": "2.0", "id": next(self._ids), "method": method,
                                   "params": params})  # fmt: skip
        if not isinstance(answer, dict):
            raise HttpTransportError(f"{self.endpoint_uri} answered {method} with no JSON object")
        return answer

    async def make_batch_request(
        self, requests: list[tuple[str, list[Any]]]
    ) -> list[dict[str, Any]] | dict[str, Any]:
        ids = [next(self._ids) for _ in requests]
        body = [
            {"jsonrpc": "2.0", "id": i, "method": m, "params": p}
            for i, (m, p) in zip(ids, requests, strict=True)
        ]
        answer = await self._post(body)
        if isinstance(answer, dict):  # one error object for the whole batch
            return answer
        if not isinstance(answer, list):
            raise HttpTransportError(f"{self.endpoint_uri} answered a batch with no JSON list")
        by_id = {item.get("id"): item for item in answer if isinstance(item, dict)}
        if len(by_id) != len(ids) or set(by_id) != set(ids):
            raise HttpTransportError(f"{self.endpoint_uri} answered a batch incompletely")
        return [by_id[i] for i in ids]  # JSON-RPC may answer a batch in any order

    async def disconnect(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def _post(self, body: object) -> Any:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout)
        try:
            response = await self._client.post(
                self.endpoint_uri,
                content=json.dumps(body, separators=(",", ":")),
                headers={"Content-Type": "application/json"},
            )
        except httpx.TimeoutException as exc:
            raise HttpTransportError(f"timed out: {type(exc).__name__}") from exc
        except httpx.HTTPError as exc:
            raise HttpTransportError(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            raise HttpStatusError(response.status_code, response.reason_phrase)
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise HttpTransportError(f"{self.endpoint_uri} sent an answer over 64 MB")
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise HttpTransportError(f"{self.endpoint_uri} sent no valid JSON") from exc
