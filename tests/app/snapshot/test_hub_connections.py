"""The hub's connections are closed however its request ends (the leaked-socket flake).

A window's background task is cancelled when the window goes; qasync (and pytest-qt between
tests) may step that task after the asyncio loop has stopped, with no loop running. httpx's own
transport (httpcore over anyio) then failed in its cleanup with anyio's NoEventLoopError and left
the socket open, for the garbage collector to report later (``ResourceWarning: unclosed
transport``) during whichever test ran then. These tests run a real hub client against a real
server on 127.0.0.1 and count this process's sockets connected to it.
"""

from __future__ import annotations

import asyncio
import gc
import os
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from app.errors import NetworkError
from app.snapshot.hub_client import HubClient
from tests.hostile_server import HostileServer


def _client_sockets(server_port: int) -> int:
    """Open sockets of this process whose far end is ``server_port`` (the client's side)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == server_port and fields[9] in inodes:
                count += 1
    return count


@pytest.fixture
def silent_hub() -> HostileServer:
    with HostileServer() as server:
        server.silent = True  # accepts the request, never answers
        yield server


async def _sent(server: HostileServer) -> None:
    """Until the server (on its own thread) has the request: it is in flight."""
    async with asyncio.timeout(10):
        while not server.requests:  # noqa: ASYNC110 - a list another thread fills
            await asyncio.sleep(0.01)


def _port(server: HostileServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def test_a_request_cancelled_after_the_loop_stopped_closes_its_socket(
    qapp: QApplication, silent_hub: HostileServer
) -> None:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    task: asyncio.Task[object] | None = None

    async def read() -> None:
        async with HubClient(silent_hub.url) as hub:
            await hub.space("x")

    async def window() -> None:
        nonlocal task
        task = asyncio.ensure_future(read())
        await _sent(silent_hub)
        assert _client_sockets(_port(silent_hub)) == 1
        task.cancel()  # the window closes; its loop stops before the task is stepped

    try:
        loop.run_until_complete(window())  # steps the task once more with no loop running
        loop.run_until_complete(asyncio.sleep(0.05))  # the loop runs on (the next test's turn)
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    assert task is not None
    assert task.cancelled(), "cancelled cleanly, not failed in cleanup"
    del task
    gc.collect()
    assert _client_sockets(_port(silent_hub)) == 0


async def test_a_cancelled_request_and_a_closed_client_leave_no_socket(
    silent_hub: HostileServer,
) -> None:
    hub = HubClient(silent_hub.url)
    task = asyncio.ensure_future(hub.space("x"))
    await _sent(silent_hub)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await hub.aclose()
    assert _client_sockets(_port(silent_hub)) == 0


async def test_aclose_has_closed_kept_alive_connections_when_it_returns() -> None:
    """A loop closed right after aclose() leaves no socket open (as the RPC transport)."""
    body = b'{"data": {"space": null}}'
    requests = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal requests
        while True:  # an HTTP/1.1 server: one connection for every request
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))  # fmt: skip
            await reader.readexactly(length)
            requests += 1
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))  # fmt: skip
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        hub = HubClient(f"http://127.0.0.1:{port}")
        assert await hub.space("x") is None
        assert await hub.space("y") is None
        assert requests == 2
        assert _client_sockets(port) == 1, "one connection, kept alive and reused"
        await hub.aclose()
        assert _client_sockets(port) == 0


async def test_errors_callers_handle_are_unchanged() -> None:
    with HostileServer() as server:
        server.silent = True
        hub = HubClient(server.url, timeout=0.3)
        with pytest.raises(NetworkError, match="did not answer in time"):
            await hub.space("x")
        await hub.aclose()
    hub = HubClient("http://127.0.0.1:9")
    with pytest.raises(NetworkError, match="cannot be reached"):
        await hub.space("x")
    await hub.aclose()


async def _raw_server(answers: list[bytes], seen: list[bytes]) -> asyncio.Server:
    """An HTTP/1.1 server that sends ``answers`` in turn, raw, one per request."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while answers:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))  # fmt: skip
            seen.append(head + await reader.readexactly(length))
            writer.write(answers.pop(0))
        writer.close()

    return await asyncio.start_server(serve, "127.0.0.1", 0)


async def test_key_header_chunked_bodies_and_rate_limits_over_the_wire() -> None:
    body = b'{"data": {"space": null}}'
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunked += b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (5, body[:5], len(body) - 5, body[5:])
    limited = b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n"
    seen: list[bytes] = []
    server = await _raw_server([limited, chunked], seen)
    port = server.sockets[0].getsockname()[1]
    async with server, HubClient(f"http://127.0.0.1:{port}", api_key="k-123") as hub:
        assert await hub.space("x") is None  # the 429 waited out, then the chunked answer read
        assert hub.requests == 2
    assert len(seen) == 2
    assert b"\r\nx-api-key: k-123\r\n" in seen[0]
    assert seen[0].startswith(b"POST /graphql HTTP/1.1\r\n")
    assert b'"variables":{"id":"x"}' in seen[0].replace(b" ", b"")


async def test_a_broken_answer_is_a_network_error_not_a_traceback() -> None:
    bad = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
    server = await _raw_server([bad], [])
    port = server.sockets[0].getsockname()[1]
    async with server, HubClient(f"http://127.0.0.1:{port}") as hub:
        with pytest.raises(NetworkError, match="cannot be reached"):
            await hub.space("x")


async def test_a_kept_alive_connection_the_server_closed_is_not_reused() -> None:
    body = b'{"data": {"space": null}}'
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    served = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal served
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))  # fmt: skip
        await reader.readexactly(length)
        writer.write(answer)  # says keep-alive (HTTP/1.1), then hangs up all the same
        served += 1
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server, HubClient(f"http://127.0.0.1:{port}") as hub:
        assert await hub.space("x") is None
        await asyncio.sleep(0.05)  # the hang-up arrives
        assert await hub.space("y") is None
        assert served == 2, "each request was sent once"
