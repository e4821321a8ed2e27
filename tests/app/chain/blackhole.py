"""A black-holed TCP endpoint on 127.0.0.1: its accept queue is full, so new SYNs are dropped."""

from __future__ import annotations

import contextlib
import socket
import time


class BlackHole:
    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self._fillers: list[socket.socket] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> BlackHole:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(self._listener.getsockname())
            self._fillers.append(filler)
        time.sleep(0.1)
        return self

    def __exit__(self, *exc: object) -> None:
        for sock in (*self._fillers, self._listener):
            sock.close()
