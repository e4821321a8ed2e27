"""The stdlib JSON-RPC transport against a real local HTTP server: framing, keep-alive, errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from app.chain.http_transport import HttpStatusError, HttpTransportError, JsonRpcHttpProvider
from app.errors import ConfigError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    connections: ClassVar[set[int]] = set()

    def do_POST(self) -> None:
        _Handler.connections.add(id(self.connection))
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/missing":
            self.send_error(404, "Not Found")
            return
        items = body if isinstance(body, list) else [body]
        answers = [{"jsonrpc": "2.0", "id": i["id"], "result": i["method"]} for i in items]
        data = json.dumps(list(reversed(answers)) if isinstance(body, list) else answers[0])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if self.path == "/chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            raw = data.encode()
            for start in range(0, len(raw), 7):
                part = raw[start : start + 7]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data.encode())

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("path", ["/", "/chunked"])
async def test_requests_and_batches_over_one_kept_alive_connection(server: str, path: str) -> None:
    _Handler.connections.clear()
    provider = JsonRpcHttpProvider(server + path, 5)
    try:
        assert (await provider.make_request("eth_chainId", []))["result"] == "eth_chainId"
        batch = await provider.make_batch_request([("a", []), ("b", [1])])
        assert [r["result"] for r in batch] == ["a", "b"]  # put back in request order
    finally:
        await provider.disconnect()
    assert len(_Handler.connections) == 1


async def test_errors_are_specific(server: str) -> None:
    provider = JsonRpcHttpProvider(server + "/missing", 5)
    with pytest.raises(HttpStatusError) as info:
        await provider.make_request("x", [])
    assert info.value.status == 404
    await provider.disconnect()
    closed = JsonRpcHttpProvider("http://127.0.0.1:9", 2)
    with pytest.raises(HttpTransportError):
        await closed.make_request("x", [])
    with pytest.raises(ConfigError, match="not an http"):
        JsonRpcHttpProvider("ftp://example.org", 1)


async def test_disconnect_has_closed_the_sockets_when_it_returns(server: str) -> None:
    """A loop closed right after disconnect() (a window's task at exit) leaves no socket open."""
    provider = JsonRpcHttpProvider(server, 5)
    await provider.make_request("eth_chainId", [])
    sockets = [writer.get_extra_info("socket") for _reader, writer in provider._idle]
    assert sockets, "the answered connection is kept alive"
    await provider.disconnect()
    assert all(sock.fileno() == -1 for sock in sockets)
