"""`govdesk devnet up --stack all --json` as a real subprocess (Linux: reads /proc): prints the devnet, serves
working contracts, and on SIGINT exits 0 without leaving anvil behind.

The deadline only guards against a hang; how fast the devnet starts is not a test's business."""

from __future__ import annotations

import json
import selectors
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from app.cli.devnet import STACKS
from app.devnet.deploy import STACK_NAMES

pytestmark = pytest.mark.integration

READY_DEADLINE_S = 90.0  # a hang guard, not a speed target
STACK_KEYS = {"token", "governor", "timelock", "target", "kind", "clock"}


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.split()[2] != "Z"


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _read_line(proc: subprocess.Popen[str], deadline_s: float) -> str:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=deadline_s):
            return ""
    return proc.stdout.readline()


def _start_devnet() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "devnet", "up", "--stack", "all", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(5)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def _check_contracts_answer(info: dict[str, Any]) -> None:
    w3 = Web3(Web3.HTTPProvider(info["rpc_url"]))
    assert w3.eth.chain_id == info["chain_id"]
    for address in [
        info["multicall"],
        *(
            a
            for s in info["stacks"].values()
            for a in (s["token"], s["governor"], s["timelock"], s["target"])
        ),
    ]:
        assert len(w3.eth.get_code(Web3.to_checksum_address(address))) > 0


def test_cli_knows_exactly_the_deployable_stacks() -> None:
    assert STACKS == STACK_NAMES


def test_devnet_up_prints_all_stacks_and_stops_cleanly_on_sigint() -> None:
    proc = _start_devnet()
    try:
        line = _read_line(proc, READY_DEADLINE_S)
        assert line, f"no JSON within {READY_DEADLINE_S} s"
        info = json.loads(line)
        assert set(info["stacks"]) == set(STACK_NAMES)
        for stack in info["stacks"].values():
            assert set(stack) >= STACK_KEYS
        assert info["rpc_url"].startswith("http://127.0.0.1:")
        assert len(info["accounts"]) == 10
        _check_contracts_answer(info)

        anvil_pids = _children(proc.pid)
        assert anvil_pids
        assert all(_alive(pid) for pid in anvil_pids)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
        assert not any(_alive(pid) for pid in anvil_pids)
    finally:
        _stop(proc)


def test_devnet_up_stops_cleanly_on_sigterm() -> None:
    proc = _start_devnet()
    try:
        assert _read_line(proc, READY_DEADLINE_S)
        anvil_pids = _children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert not any(_alive(pid) for pid in anvil_pids)
    finally:
        _stop(proc)
