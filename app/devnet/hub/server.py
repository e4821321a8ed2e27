"""The local Snapshot-compatible hub: two HTTP servers on 127.0.0.1, as in production.

- the hub (``url``): GraphQL reads at ``POST /graphql``; like hub.snapshot.org it takes no
  ``POST /`` (404 with an HTML page), so a client that posts signed messages to the hub fails;
- the sequencer (``sequencer_url``): the ingest endpoint ``POST /`` with the sequencer's checks.

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
from typing import Any, Final

from app import jsonsafe
from app.devnet.hub.config import SpaceConfig
from app.devnet.hub.contract_signatures import ContractSignatures
from app.devnet.hub.graphql_api import Documents, HubQueries, make_schema, run_query
from app.devnet.hub.ingest import Ingestor, IngestResult, client_error
from app.devnet.hub.scores import refresh_vote_power, update_scores
from app.devnet.hub.store import HubStore
from app.devnet.hub.voting_power import VotingPowerSource
from app.errors import AppError

log = logging.getLogger(__name__)
# The real sequencer refuses a message longer than 100,000 characters ("too large message",
# snapshot-sequencer src/ingestor.ts; ingest.MAX_BODY). Bodies up to ten times that are read and
# given that answer; a larger one is refused from its Content-Length, before it is read.
MAX_REQUEST: Final = 1_000_000
TOO_LARGE: Final = "too large message"
REQUEST_TIMEOUT_S: Final = 30.0


class LocalHub:
    """Start with ``start()`` (or ``with LocalHub(...) as hub``); ``hub.url`` is the GraphQL hub's
    base URL, ``hub.sequencer_url`` the sequencer's (another port)."""

    def __init__(
        self,
        spaces: Iterable[SpaceConfig],
        power: VotingPowerSource,
        *,
        db_path: str = ":memory:",
        port: int = 0,
        sequencer_port: int = 0,
        clock: Callable[[], float] = time.time,
        hold_seconds: float = 0.0,
        contracts: ContractSignatures | None = None,
    ) -> None:
        self.spaces = {s.id: s for s in spaces}
        self.power = power
        self.store = HubStore(db_path)
        self.ingestor = Ingestor(
            self.store, self.spaces, power, clock, self._rescore, contracts=contracts
        )
        self.queries = HubQueries(self.store, self.spaces, power, clock)
        self.schema = make_schema()
        self.documents = Documents(self.schema)
        self.hold_seconds = hold_seconds
        self.received = 0
        self.refused_in_flight = 0
        # The ``x-api-key`` of each GraphQL request ("" without one), in order: the real hub
        # budgets requests by it, so tests check which key a reader sent.
        self.api_keys: list[str] = []
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _hub_handler(self))
        self._sequencer = ThreadingHTTPServer(
            ("127.0.0.1", sequencer_port), _sequencer_handler(self)
        )
        for server in (self._server, self._sequencer):
            server.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def sequencer_url(self) -> str:
        host, port = self._sequencer.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def pinning_down(self) -> bool:
        """Test switch: while True, the sequencer answers ``pinning failed`` (IPFS unreachable)."""
        return self.ingestor.pinning_down

    @pinning_down.setter
    def pinning_down(self, down: bool) -> None:
        self.ingestor.pinning_down = down

    @property
    def graphql_url(self) -> str:
        return self.url + "graphql"

    def start(self) -> LocalHub:
        for server in (self._server, self._sequencer):
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        if not self._threads:
            return
        for server in (self._server, self._sequencer):
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []
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
            refresh_vote_power(self.store, self.power, proposal_id)
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
            request = jsonsafe.loads(raw, source="a GraphQL request")
            query, variables = request["query"], request.get("variables")
        except (AppError, KeyError, TypeError):
            return 400, {"errors": [{"message": "Must provide query string."}]}
        if not isinstance(query, str):
            return 400, {"errors": [{"message": "Must provide query string."}]}
        return 200, run_query(self.documents, self.queries, query, variables)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT_S  # a client that stalls mid-request does not hold a thread

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("hub: " + format, *args)

    def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        self._send_bytes(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    def _body(self) -> bytes | None:
        """The request body, or None after refusing it (never more than MAX_REQUEST read)."""
        declared = self.headers.get("Content-Length", "0").strip()
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "a request body needs a Content-Length")
            return None
        if not declared.isdigit():  # also refuses "-1", which would read to the end of the stream
            self._refuse(400, "wrong envelope format")
            return None
        if int(declared) > MAX_REQUEST:
            self._refuse(413, TOO_LARGE)
            return None
        raw = self.rfile.read(int(declared))
        if len(raw) < int(declared):  # the client hung up, or stalled past the socket timeout
            self.close_connection = True
            return None
        return raw

    def _refuse(self, status: int, description: str) -> None:
        # The unread body would be taken for the next request: answer, then hang up.
        self.close_connection = True
        data = json.dumps({"error": "client_error", "error_description": description}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _path(self) -> str:
        return self.path.split("?")[0].rstrip("/")


_NOT_FOUND_HTML: Final = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Error</title>'
    b"</head>\n<body><pre>Cannot POST /</pre></body>\n</html>\n"
)


def _hub_handler(hub: LocalHub) -> type[BaseHTTPRequestHandler]:
    class HubHandler(_Handler):
        def do_GET(self) -> None:
            if self._path() == "":
                self._send(200, {"name": "govdesk local hub", "version": "1"})
            else:
                self._send(404, {"error": "not_found", "error_description": "not found"})

        def do_POST(self) -> None:
            raw = self._body()
            if raw is None:
                return
            if self._path() in ("/graphql", "/api/graphql"):
                hub.api_keys.append(self.headers.get("x-api-key", ""))
                self._send(*hub.graphql(raw))
            else:  # as hub.snapshot.org: an Express 404 page, not the sequencer's JSON
                self._send_bytes(404, _NOT_FOUND_HTML, "text/html; charset=utf-8")

    return HubHandler


def _sequencer_handler(hub: LocalHub) -> type[BaseHTTPRequestHandler]:
    class SequencerHandler(_Handler):
        def do_GET(self) -> None:
            if self._path() == "":
                body = {"name": "govdesk local sequencer", "version": "1", "relayer": ""}
                self._send(200, body)
            else:
                self._send(404, {"error": "not_found", "error_description": "not found"})

        def do_POST(self) -> None:
            raw = self._body()
            if raw is None:
                return
            if self._path() == "":
                result = hub.ingest(raw)
                self._send(result.status, result.body)
            else:
                self._send(404, {"error": "not_found", "error_description": "not found"})

    return SequencerHandler
