"""A real JSON-RPC HTTP proxy on 127.0.0.1 in front of anvil, with switchable misbehaviour.

Used to test what anvil itself never does: HTTP 503s, log range limits, another chain id.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class RpcProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.fail_next_http = 0
        self.fail_status = 503
        self.max_log_span: int | None = None
        self.max_log_results: int | None = None
        self.chain_id: int | None = None
        self.methods: list[str] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, payload = proxy.handle(json.loads(body))
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> RpcProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def handle(self, request: Any) -> tuple[int, Any]:
        with self._lock:
            if self.fail_next_http > 0:
                self.fail_next_http -= 1
                return self.fail_status, {"error": "refused"}
        if isinstance(request, list):
            return 200, [self._one(r) for r in request]
        return 200, self._one(request)

    def _one(self, request: dict[str, Any]) -> dict[str, Any]:
        self.methods.append(request["method"])
        if request["method"] == "eth_chainId" and self.chain_id is not None:
            return {"jsonrpc": "2.0", "id": request["id"], "result": hex(self.chain_id)}
        if request["method"] == "eth_getLogs" and self.max_log_span is not None:
            query = request["params"][0]
            low, high = int(query["fromBlock"], 16), int(query["toBlock"], 16)
            if high - low + 1 > self.max_log_span:
                suggestion = f"[{hex(low)}, {hex(low + self.max_log_span - 1)}]"
                message = f"Log response size exceeded. this block range should work: {suggestion}"
                return {
                    "jsonrpc": "2.0",
                    "id": request["id"],
                    "error": {"code": -32602, "message": message},
                }
        response = self._forward(request)
        limit = self.max_log_results
        too_many = limit is not None and len(response.get("result", [])) > limit
        if request["method"] == "eth_getLogs" and too_many:
            message = f"query returned more than {self.max_log_results} results"
            return {
                "jsonrpc": "2.0",
                "id": request["id"],
                "error": {"code": -32005, "message": message},
            }
        return response

    def _forward(self, request: dict[str, Any]) -> dict[str, Any]:
        req = urllib.request.Request(  # noqa: S310 - loopback anvil
            self.upstream,
            data=json.dumps(request).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
            result: dict[str, Any] = json.load(resp)
            return result
