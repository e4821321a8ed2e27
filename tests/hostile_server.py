"""A real HTTP server on 127.0.0.1 that answers every request with what a test sets (issue #22).

``answer`` is a callable taking the request (method, path, body bytes) and returning
``(status, headers, body bytes)``; the default answers 200 with ``body``. ``silent=True`` accepts
connections and never answers (a black-holed endpoint). ``flood(n)`` makes every answer a 200 of
``n`` bytes of one JSON string, streamed with or without a ``Content-Length``; ``sent`` counts the
bytes of such bodies that reached the socket before the client hung up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[str, str, bytes], tuple[int, dict[str, str], bytes]]


class HostileServer:
    def __init__(self, body: bytes = b"{}", *, answer: Answer | None = None) -> None:
        self.body = body
        self.answer: Answer = answer or (lambda _m, _p, _b: (200, {}, self.body))
        self.requests: list[tuple[str, str, bytes]] = []
        self.silent = False
        self.flood_bytes = 0
        self.flood_declared = False
        self.sent = 0
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append((method, self.path, body))
                if server.silent:
                    server._release.wait(30)
                    return
                if server.flood_bytes:
                    self._flood()
                    return
                status, headers, data = server.answer(method, self.path, body)
                self.send_response(status)
                headers = {"Content-Type": "application/json", **headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _flood(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if server.flood_declared:
                    self.send_header("Content-Length", str(server.flood_bytes))
                self.end_headers()  # HTTP/1.0: without a length, the body ends when we hang up
                chunk = b'{"data":"' + b"a" * (64 * 1024 - 9)
                try:
                    while server.sent < server.flood_bytes:
                        self.wfile.write(chunk)
                        server.sent += len(chunk)
                        chunk = b"a" * len(chunk)
                except OSError:  # the client hung up: what we want
                    return

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def flood(self, size: int, *, declared: bool = False) -> HostileServer:
        self.flood_bytes, self.flood_declared = size, declared
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


DEEP = b"[" * 70_000 + b"]" * 70_000
