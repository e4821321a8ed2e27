"""The local Snapshot-compatible hub: one HTTP server on 127.0.0.1 with the sequencer's ingest
endpoint (``POST /``) and the hub's GraphQL API (``POST /graphql``), in a background thread.

Test hooks: ``hold_seconds`` delays every ingest answer (the message is stored first, so a client
killed while waiting finds it there on resend); ``received`` counts ingest requests and
``refused_in_flight`` the 425 answers (an identical body arriving while the first is still being
processed gets 425, as on the real sequencer).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from app.devnet.hub.config import SpaceConfig
from app.devnet.hub.graphql_api import HubQueries, make_schema, run_query
from app.devnet.hub.ingest import Ingestor, IngestResult, client_error
from app.devnet.hub.scores import update_scores
from app.devnet.hub.store import HubStore
from app.devnet.hub.voting_power import VotingPowerSource
from app.errors import AppError

log = logging.getLogger(__name__)
MAX_REQUEST = 1_000_000


class LocalHub:
    """Start with ``start()`` (or ``with LocalHub(...) as hub``); ``hub.url`` is the base URL."""

    def __init__(
        self,
        spaces: Iterable[SpaceConfig],
        power: VotingPowerSource,
        *,
        db_path: str = ":memory:",
        port: int = 0,
        clock: Callable[[], float] = time.time,
        hold_seconds: float = 0.0,
    ) -> None:
        self.spaces = {s.id: s for s in spaces}
        self.store = HubStore(db_path)
        self.ingestor = Ingestor(self.store, self.spaces, power, clock, self._rescore)
        self.queries = HubQueries(self.store, self.spaces, power, clock)
        self.schema = make_schema()
        self.hold_seconds = hold_seconds
        self.received = 0
        self.refused_in_flight = 0
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def graphql_url(self) -> str:
        return self.url + "graphql"

    def start(self) -> LocalHub:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._thread = None
        self.store.close()

    def __enter__(self) -> LocalHub:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _rescore(self, proposal_id: str) -> None:
        try:
            update_scores(self.store, proposal_id)
        except AppError:  # a tally failure must not turn an accepted vote into an error
            log.exception("could not recompute scores of %s", proposal_id)

    def ingest(self, raw: bytes) -> IngestResult:
        """Handle one ``POST /`` body, refusing an identical body already in flight (425)."""
        key = hashlib.sha256(raw).hexdigest()
        with self._lock:
            self.received += 1
            if key in self._in_flight:
                self.refused_in_flight += 1
                return client_error("request already being processed", 425)
            self._in_flight.add(key)
        try:
            result = self.ingestor.ingest(raw)
            if self.hold_seconds:
                time.sleep(self.hold_seconds)
            return result
        finally:
            with self._lock:
                self._in_flight.discard(key)

    def graphql(self, raw: bytes) -> tuple[int, dict[str, Any]]:
        try:
            request = json.loads(raw)
            query, variables = request["query"], request.get("variables")
        except (ValueError, KeyError, TypeError):
            return 400, {"errors": [{"message": "Must provide query string."}]}
        return 200, run_query(self.schema, self.queries, query, variables)


def _handler_for(hub: LocalHub) -> type[BaseHTTPRequestHandler]:
    class HubHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("hub: " + format, *args)

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "":
                self._send(200, {"name": "govdesk local hub", "version": "1", "relayer": ""})
            else:
                self._send(404, {"error": "not_found", "error_description": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            if length > MAX_REQUEST:
                self._send(413, {"error": "client_error", "error_description": "too large"})
                return
            raw = self.rfile.read(length)
            path = self.path.split("?")[0].rstrip("/")
            if path == "":
                result = hub.ingest(raw)
                self._send(result.status, result.body)
            elif path in ("/graphql", "/api/graphql"):
                self._send(*hub.graphql(raw))
            else:
                self._send(404, {"error": "not_found", "error_description": "not found"})

    return HubHandler
