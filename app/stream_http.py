"""httpx's transport for the core's HTTP clients, on asyncio streams (the hub, the sequencer,
avatars, forums).

httpx's own transport (httpcore over anyio) closes a connection through an anyio cancel scope,
which needs a *running* asyncio loop. qasync steps tasks in a last ``processEvents`` after its
loop has stopped, and pytest-qt does between tests: a window's request cancelled then fails in
its cleanup with anyio's ``NoEventLoopError`` before the socket is closed, and the socket is
found open later by the garbage collector (``ResourceWarning: unclosed transport``, during
whichever test runs then). Here a connection given up mid-exchange is closed synchronously
(``StreamWriter.close``: no loop needs to be running), and ``aclose`` waits for the closes to
finish (``wait_closed``), as ``app.chain.http_transport`` does. Happy-eyeballs is not used, so no
unstarted connect attempt is left behind either.

It speaks HTTP/1.1 with keep-alive (idle connections reused per host), ``Content-Length``,
chunked and read-until-close bodies, streamed to httpx (``app.bounded_http`` limits them as
they arrive), TLS with the context httpx would have used, and httpx's own timeout and error
types (``ConnectTimeout``, ``ReadTimeout``, ``ConnectError``, ``ReadError``,
``RemoteProtocolError``), so callers handle the same errors as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from typing import Any, Final

import httpx

MAX_HEADER_BYTES: Final = 64 * 1024
MAX_IDLE: Final = 4  # idle keep-alive connections kept per host
CHUNK: Final = 64 * 1024

_Key = tuple[str, str, int]
_Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class _StaleConnection(httpx.RemoteProtocolError):
    """A kept-alive connection the server closed before answering: sent again on a new one."""


class StreamTransport(httpx.AsyncBaseTransport):
    """One pool of keep-alive connections; give it to ``httpx.AsyncClient(transport=...)``."""

    def __init__(self, *, verify: ssl.SSLContext | None = None) -> None:
        self._context = verify
        self._idle: dict[_Key, list[_Connection]] = {}
        self._closing: list[asyncio.StreamWriter] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https") or not url.host:
            raise httpx.UnsupportedProtocol(f"cannot send to {url}", request=request)
        key = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        body = await request.aread()
        idle = self._idle.get(key, [])
        while idle:
            connection = idle.pop()
            if connection[0].at_eof() or connection[1].is_closing():
                connection[1].close()  # the server has closed it meanwhile
                self._closing.append(connection[1])
                continue
            try:
                return await self._exchange(connection, key, request, body, timeouts)
            except _StaleConnection:
                continue  # closed by the server as we sent: no byte of an answer came back
        connection = await self._open(key, request, timeouts.get("connect"))
        return await self._exchange(connection, key, request, body, timeouts)

    async def aclose(self) -> None:
        writers = [w for pool in self._idle.values() for _, w in pool] + self._closing
        self._idle, self._closing = {}, []
        for writer in writers:
            writer.close()
        # Closing finishes on a later turn of the loop; a loop closed before then would leave
        # the sockets open until the collector finds them.
        for writer in writers:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                await writer.wait_closed()

    async def _open(self, key: _Key, request: httpx.Request, limit_s: float | None) -> _Connection:
        scheme, host, port = key
        context = None
        if scheme == "https":
            context = self._context or ssl.create_default_context()
        try:
            async with asyncio.timeout(limit_s):
                return await asyncio.open_connection(host, port, ssl=context)
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(
                f"no connection within {limit_s:g} s", request=request
            ) from exc
        except OSError as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc

    async def _exchange(
        self,
        connection: _Connection,
        key: _Key,
        request: httpx.Request,
        body: bytes,
        timeouts: dict[str, float | None],
    ) -> httpx.Response:
        reader, writer = connection
        try:
            writer.write(_head(request, body) + body)
            try:
                async with asyncio.timeout(timeouts.get("write")):
                    await writer.drain()
            except TimeoutError as exc:
                raise httpx.WriteTimeout(
                    "the request could not be sent in time", request=request
                ) from exc
            except OSError as exc:
                raise httpx.WriteError(str(exc) or type(exc).__name__, request=request) from exc
            read = timeouts.get("read")
            if reader.at_eof():
                raise _StaleConnection("the server had closed the connection", request=request)
            status, version, headers = await _read_head(reader, request, read)
        except BaseException:  # cancelled or failed mid-exchange: the stream is unusable
            writer.close()  # synchronous: works even when no asyncio loop is running
            self._closing.append(writer)
            del self._closing[:-16]
            raise
        stream = _Body(self, key, connection, request, version, headers, read)
        return httpx.Response(status, headers=headers, stream=stream, request=request,
                              extensions={"http_version": b"HTTP/1.1"})  # fmt: skip

    def _release(self, key: _Key, connection: _Connection, keep: bool) -> None:
        pool = self._idle.setdefault(key, [])
        if keep and len(pool) < MAX_IDLE:
            pool.append(connection)
        else:
            connection[1].close()
            self._closing.append(connection[1])
        del self._closing[:-16]  # older closes have long finished; aclose waits for the rest


class _Body(httpx.AsyncByteStream):
    """A response body read from its connection as the caller asks for it."""

    def __init__(
        self,
        transport: StreamTransport,
        key: _Key,
        connection: _Connection,
        request: httpx.Request,
        version: str,
        headers: list[tuple[str, str]],
        timeout: float | None,
    ) -> None:
        self._transport, self._key, self._connection = transport, key, connection
        self._request, self._timeout = request, timeout
        fields = {k.lower(): v for k, v in headers}
        self._chunked = "chunked" in fields.get("transfer-encoding", "").lower()
        length = fields.get("content-length", "")
        self._length = int(length) if length.isdigit() else None
        framed = self._chunked or self._length is not None
        wants = fields.get("connection", "").lower()
        # HTTP/1.0 closes after each answer unless it says otherwise; HTTP/1.1 keeps alive.
        alive = wants == "keep-alive" if version == "HTTP/1.0" else wants != "close"
        self._keep = framed and alive
        self._done = request.method == "HEAD" or self._length == 0
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._chunks():
                yield chunk
        except BaseException:
            self._done = False  # an unfinished body: the connection cannot be reused
            self._release()
            raise
        self._done = True
        self._release()

    async def aclose(self) -> None:
        self._release()

    def _release(self) -> None:
        if not self._released:
            self._released = True
            self._transport._release(self._key, self._connection, self._keep and self._done)

    async def _chunks(self) -> AsyncIterator[bytes]:
        reader = self._connection[0]
        if self._done:
            return
        if self._chunked:
            while True:
                line = await self._read(reader.readuntil(b"\r\n"))
                try:
                    size = int(line.split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise httpx.RemoteProtocolError(
                        "a chunk has no readable size", request=self._request
                    ) from None
                if size == 0:
                    await self._read(reader.readuntil(b"\r\n"))  # end of (empty) trailers
                    return
                yield await self._read(reader.readexactly(size))
                await self._read(reader.readexactly(2))
        elif self._length is not None:
            left = self._length
            while left:
                chunk = await self._read(reader.read(min(left, CHUNK)))
                if not chunk:
                    raise httpx.RemoteProtocolError("the answer ended early", request=self._request)
                left -= len(chunk)
                yield chunk
        else:  # no length: the server closes when done
            while chunk := await self._read(reader.read(CHUNK)):
                yield chunk

    async def _read(self, pending: Any) -> Any:
        return await _timed(pending, self._timeout, self._request)


async def _timed(pending: Any, limit_s: float | None, request: httpx.Request) -> Any:
    try:
        async with asyncio.timeout(limit_s):
            return await pending
    except TimeoutError as exc:
        raise httpx.ReadTimeout(f"no answer within {limit_s:g} s", request=request) from exc
    except asyncio.IncompleteReadError as exc:
        raise httpx.RemoteProtocolError("the answer ended early", request=request) from exc
    except asyncio.LimitOverrunError as exc:
        raise httpx.RemoteProtocolError("an answer line is too long", request=request) from exc
    except (OSError, ValueError) as exc:
        raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc


def _head(request: httpx.Request, body: bytes) -> bytes:
    url = request.url
    target = url.raw_path.decode("ascii") or "/"
    lines = [f"{request.method} {target} HTTP/1.1"]
    names = {k.lower() for k in request.headers}
    if "host" not in names:
        lines.append(f"Host: {url.netloc.decode('ascii')}")
    for name, value in request.headers.multi_items():
        if name.lower() not in ("content-length", "transfer-encoding", "connection"):
            lines.append(f"{name}: {value}")
    if body or request.method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: keep-alive")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _read_head(
    reader: asyncio.StreamReader, request: httpx.Request, limit_s: float | None
) -> tuple[int, str, list[tuple[str, str]]]:
    while True:
        try:
            raw: bytes = await _timed(reader.readuntil(b"\r\n\r\n"), limit_s, request)
        except httpx.RemoteProtocolError as exc:
            cause = exc.__cause__
            if isinstance(cause, asyncio.IncompleteReadError) and not cause.partial:
                raise _StaleConnection("closed with no answer", request=request) from cause
            raise
        if len(raw) > MAX_HEADER_BYTES:
            raise httpx.RemoteProtocolError("the answer's headers are too long", request=request)
        lines = raw.decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        code = rest.partition(" ")[0]
        if not version.startswith("HTTP/1.") or not code.isdigit():
            raise httpx.RemoteProtocolError(f"not an HTTP/1 answer: {lines[0][:60]!r}",
                                            request=request)  # fmt: skip
        if int(code) != 100:  # "100 Continue" is followed by the real answer
            break
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    return int(code), version, headers
