"""A light JSON-RPC-over-HTTP(S) provider on asyncio streams: the default transport of RpcClient.

It has the three methods ``RpcClient`` uses from a web3 provider (``make_request``,
``make_batch_request``, ``disconnect``), so web3's providers can still be injected. It exists for
start-up time (issue #13): ``import web3`` costs ~0.4 s (eth-account and a BLS library come with
it) and httpx ~0.1 s, while this needs only the standard library. It speaks HTTP/1.1 with
keep-alive (one connection per concurrent request, reused), ``Content-Length`` and chunked
answers, and TLS with the system's certificate store. Cancelling a request closes its connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import ssl
from typing import Any
from urllib.parse import urlsplit

from app.errors import ConfigError, NetworkError

MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # a larger answer is refused rather than parsed
MAX_HEADER_BYTES = 64 * 1024
MAX_IDLE = 4  # connections kept open per endpoint


class HttpStatusError(NetworkError):
    """The endpoint answered with an HTTP error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status} {message}".strip())
        self.status = status
        self.message = message


class HttpTransportError(NetworkError):
    """The request did not reach the endpoint or got no usable answer."""


class HttpConnectError(HttpTransportError):
    """No connection could be opened (refused, unreachable, or no answer to connect in time)."""


_Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class JsonRpcHttpProvider:
    """POSTs JSON-RPC bodies to one URL over pooled keep-alive connections."""

    def __init__(self, url: str, timeout_s: float, *, connect_timeout_s: float = 2.5) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"“{url}” is not an http(s) RPC URL.")
        self.endpoint_uri = url
        self._tls = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._tls else 80)
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._host_header = parts.netloc.rpartition("@")[2]
        self._timeout = timeout_s
        self._connect_timeout = min(connect_timeout_s, timeout_s)
        self._idle: list[_Connection] = []
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
        if set(by_id) != set(ids):
            raise HttpTransportError(f"{self.endpoint_uri} answered a batch incompletely")
        return [by_id[i] for i in ids]  # JSON-RPC may answer a batch in any order

    async def disconnect(self) -> None:
        idle, self._idle = self._idle, []
        for _, writer in idle:
            writer.close()
        # Closing finishes on a later turn of the loop; a loop closed before then (a window's
        # task at exit) would leave the sockets open until the collector finds them.
        for _, writer in idle:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                await writer.wait_closed()

    async def post_json(self, body: object, timeout_s: float | None = None) -> Any:
        """POST ``body``; the answer parsed within ``app.jsonsafe``'s size and depth limits.

        A redirect is an ``HttpStatusError`` too: it is never followed (it could move our reads
        to another server)."""
        from app import jsonsafe

        payload = json.dumps(body, separators=(",", ":")).encode()
        timeout = self._timeout if timeout_s is None else timeout_s
        try:
            # Awaited in this task (no inner task): a cancelled request leaves no coroutine
            # that never ran behind it.
            async with asyncio.timeout(timeout):
                status, reason, content = await self._exchange(payload)
        except TimeoutError as exc:
            raise HttpTransportError(f"no answer within {timeout:g} s") from exc
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            raise HttpTransportError(f"{type(exc).__name__}: {exc}".rstrip(": ")) from exc
        if status >= 300:
            raise HttpStatusError(status, reason)
        try:
            return jsonsafe.loads(content, source=f"the RPC endpoint {self.endpoint_uri}")
        except jsonsafe.HostileDataError as exc:
            raise HttpTransportError(f"{self.endpoint_uri}: {exc.problem}") from exc

    async def _post(self, body: object) -> Any:
        return await self.post_json(body)

    async def _exchange(self, payload: bytes) -> tuple[int, str, bytes]:
        if self._idle:
            try:
                return await self._use(self._idle.pop(), payload)
            except (OSError, asyncio.IncompleteReadError):
                pass  # the server closed an idle keep-alive connection: once more on a new one
        return await self._use(await self._open(), payload)

    async def _use(self, connection: _Connection, payload: bytes) -> tuple[int, str, bytes]:
        try:
            answer, keep = await self._round_trip(connection, payload)
        except BaseException:  # cancelled or failed mid-exchange: the stream is unusable
            connection[1].close()
            raise
        if keep and len(self._idle) < MAX_IDLE:
            self._idle.append(connection)
        else:
            connection[1].close()
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                await connection[1].wait_closed()
        return answer

    async def _open(self) -> _Connection:
        context = ssl.create_default_context() if self._tls else None
        try:
            async with asyncio.timeout(self._connect_timeout):  # a black-holed host is left soon
                return await asyncio.open_connection(self._host, self._port, ssl=context)
        except (TimeoutError, OSError) as exc:
            raise HttpConnectError(f"cannot connect to {self.endpoint_uri}: {exc}") from exc

    async def _round_trip(
        self, connection: _Connection, payload: bytes
    ) -> tuple[tuple[int, str, bytes], bool]:
        reader, writer = connection
        head = (
            f"POST {self._path} HTTP/1.1\r\nHost: {self._host_header}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + payload)
        await writer.drain()
        status, reason, headers = await _read_head(reader)
        content = await _read_body(reader, headers)
        framed = "content-length" in headers or "chunked" in headers.get("transfer-encoding", "")
        keep = framed and headers.get("connection", "").lower() != "close"
        return (status, reason, content), keep


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, str, dict[str, str]]:
    raw = await reader.readuntil(b"\r\n\r\n")
    if len(raw) > MAX_HEADER_BYTES:
        raise ValueError("HTTP headers too long")
    lines = raw.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/") or not code.isdigit():
        raise ValueError(f"not an HTTP answer: {lines[0][:60]!r}")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return int(code), reason, headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        total = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip() or b"0", 16)
            total += size
            if total > MAX_RESPONSE_BYTES:
                raise ValueError("answer over 64 MB")
            if size == 0:
                with contextlib.suppress(asyncio.IncompleteReadError):
                    await reader.readuntil(b"\r\n")  # end of (empty) trailers
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
    if "content-length" in headers:
        length = int(headers["content-length"])
        if length > MAX_RESPONSE_BYTES:
            raise ValueError("answer over 64 MB")
        return await reader.readexactly(length)
    body = await reader.read(MAX_RESPONSE_BYTES + 1)  # no length: the server closes when done
    if len(body) > MAX_RESPONSE_BYTES:
        raise ValueError("answer over 64 MB")
    return body
