"""Run anvil as a child process on a free loopback port, and stop it without leaving orphans.

Three guards keep anvil from outliving us: ``AnvilProcess`` is a context manager, an ``atexit`` hook
stops any instance still running, and on Linux the child asks the kernel for SIGTERM when its
parent dies (``PR_SET_PDEATHSIG``), which also covers ``kill -9`` of the parent.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import logging
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import weakref
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from app.devnet.tools import anvil_binary
from app.errors import DevnetError

log = logging.getLogger(__name__)

DEV_MNEMONIC = "test test test test test test test test test test test junk"
STATE_INTERVAL_S = 5  # a kept chain is also saved this often (not only when anvil exits)
DEFAULT_CHAIN_ID = 31337
START_TIMEOUT_S = 15.0
_PR_SET_PDEATHSIG = 1
_running: weakref.WeakSet[AnvilProcess] = weakref.WeakSet()


PRUNE_KEEP = 64  # past states anvil keeps in memory


@dataclass(frozen=True)
class AnvilOptions:
    chain_id: int = DEFAULT_CHAIN_ID
    accounts: int = 10
    balance_eth: int = 10_000
    mnemonic: str = DEV_MNEMONIC
    block_time: float | None = None  # None: mine a block per transaction (automine)
    state_path: str | None = None  # load the chain from here at start, save it there (kept)
    # Our contracts are compiled for cancun. On its default (prague) hardfork, with every past
    # state kept, anvil 1.x mines ever more slowly as history grows (a 17,280-block voting
    # period took minutes); cancun keeping only the last PRUNE_KEEP states mines it in seconds.
    # Blocks and logs stay; calls at blocks further back fail (govdesk reads votes at "latest";
    # a Snapshot balanceOf strategy reads recent snapshot blocks). None: keep every state.
    hardfork: str = "cancun"
    prune_history: int | None = PRUNE_KEEP


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _rpc_chain_id(url: str, timeout: float) -> int:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    request = urllib.request.Request(  # noqa: S310 - a loopback URL we built ourselves
        url, data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return int(json.load(response)["result"], 16)


class AnvilProcess:
    """One anvil instance. Use as a context manager, or call ``start()`` and ``stop()``."""

    def __init__(self, options: AnvilOptions | None = None, *, binary: Path | None = None) -> None:
        self.options = options or AnvilOptions()
        self._binary = binary
        self._proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def rpc_url(self) -> str:
        if not self.port:
            raise DevnetError("anvil is not running.")
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def _command(self, port: int) -> list[str]:
        opts = self.options
        cmd = [
            str(self._binary or anvil_binary()),
            "--host", "127.0.0.1", "--port", str(port), "--silent",
            "--chain-id", str(opts.chain_id), "--accounts", str(opts.accounts),
            "--balance", str(opts.balance_eth), "--mnemonic", opts.mnemonic,
        ]  # fmt: skip
        if opts.block_time is not None:
            cmd += ["--block-time", str(opts.block_time)]
        if opts.state_path is not None:
            cmd += ["--state", opts.state_path, "--state-interval", str(STATE_INTERVAL_S)]
        cmd += ["--hardfork", opts.hardfork]
        if opts.prune_history is not None:
            cmd += ["--prune-history", str(opts.prune_history)]
        return cmd

    def start(self) -> AnvilProcess:
        if self._proc is not None:
            return self
        last_error = ""
        for _attempt in range(3):  # a free port can be taken between our probe and anvil's bind
            port = _free_loopback_port()
            self._proc = subprocess.Popen(
                self._command(port),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
                start_new_session=True,  # Ctrl+C reaches us; we stop anvil in order
            )
            self.port = port
            _running.add(self)
            try:
                self._wait_ready()
                log.info("anvil ready at %s (pid %s)", self.rpc_url, self._proc.pid)
                return self
            except DevnetError as exc:
                last_error = exc.user_message
                self.stop()
        raise DevnetError("anvil did not start.", detail=last_error)

    def _wait_ready(self) -> None:
        if self._proc is None:
            raise DevnetError("anvil is not running.")
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                stderr = (
                    self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                )
                raise DevnetError(f"anvil exited at start (code {self._proc.returncode}): {stderr}")
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError, KeyError):
                if _rpc_chain_id(self.rpc_url, timeout=0.5) == self.options.chain_id:
                    return
            time.sleep(0.02)
        raise DevnetError(f"anvil did not answer within {START_TIMEOUT_S:.0f} s.")

    def stop(self, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        self.port = 0
        _running.discard(self)
        if proc is None or proc.poll() is not None:
            if proc is not None and proc.stderr:
                proc.stderr.close()
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
        if proc.stderr:
            proc.stderr.close()

    def __enter__(self) -> AnvilProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    for proc in list(_running):
        proc.stop()
