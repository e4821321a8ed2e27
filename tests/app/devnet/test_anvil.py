"""The anvil launcher: starts on a free loopback port, answers RPC, and leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from app.devnet.anvil import AnvilOptions, AnvilProcess, _rpc_chain_id

pytestmark = pytest.mark.integration


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); treat it as gone.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def test_anvil_starts_answers_and_stops() -> None:
    with AnvilProcess(AnvilOptions(chain_id=31338)) as anvil:
        pid = anvil.pid
        assert pid is not None
        assert anvil.rpc_url.startswith("http://127.0.0.1:")
        assert _rpc_chain_id(anvil.rpc_url, timeout=2) == 31338
    assert not _alive(pid)


def test_anvil_dies_with_a_parent_killed_by_sigkill() -> None:
    script = textwrap.dedent(
        """
        import time
        from app.devnet.anvil import AnvilProcess
        a = AnvilProcess().start()
        print(a.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    anvil_pid = int(parent.stdout.readline())
    assert _alive(anvil_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 5
    while _alive(anvil_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(anvil_pid)
