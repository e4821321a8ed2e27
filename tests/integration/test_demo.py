"""`govdesk demo` end to end for each stack: a real subprocess, exit 0, nothing left running."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
GOVDESK = Path(sys.executable).with_name("govdesk")


def _listening(url: str) -> bool:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.parametrize("stack", ["alpha", "bravo", "oz"])
def test_demo_runs_one_initiative_through_all_four_phases(stack: str) -> None:
    result = subprocess.run(
        [str(GOVDESK), "demo", "--stack", stack],
        capture_output=True, text=True, timeout=180, env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    steps = [line.split(" ", 1)[0] for line in lines if line[:1].isdigit()]
    assert steps == [f"{i}/9" for i in range(1, 10)]
    out = result.stdout
    assert "Temperature check passed" in out
    assert out.count("local recount of 5 votes matches") == 2  # both Snapshot checks verified
    assert "Consensus: 8% wins the instant runoff" in out
    assert "Voting closed: Succeeded" in out
    assert lines[-1] == "9/9 Executed: the marketplace fee went from 10% to 8%"
    # The demo's own anvil and hub are gone: nothing answers on the ports it printed.
    started = re.search(r"anvil (http://\S+), hub (http://\S+),", lines[0])
    assert started is not None
    assert not _listening(started.group(1))
    assert not _listening(started.group(2))
