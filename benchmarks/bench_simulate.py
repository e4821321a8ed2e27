"""Simulation of a 5-action proposal on the devnet: our local pyrevm fork against the same calls
as plain eth_call (the reference: no state carried between calls, no effects), and anvil
``--fork-url`` (the other candidate engine) where anvil is installed; plus the bundle cost.

    python benchmarks/bench_simulate.py [--runs 5] [--json]

Reported: wall time per simulation (median; "cold" = a new fork each run, as the app does),
the longest stall of a Python heartbeat thread during one simulation (pyrevm holds the GIL while
it fetches state over RPC), and pyrevm's size: wheel, installed, and stripped+gzipped (what it
adds to the .tar.gz bundle, next to the 90 MB target; the last measured bundle was 88.5 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import importlib.metadata
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from app.chain.rpc import RpcClient
from app.devnet.anvil import _free_loopback_port, _rpc_chain_id
from app.devnet.demo import decision_function
from app.devnet.deploy import STACK_PARAMS
from app.devnet.network import Devnet
from app.devnet.tools import anvil_binary
from app.governor.client import GovernorClient
from app.governor.writer import ProposedCall
from app.keys.signer_protocol import LocalKeySigner
from app.pipeline.actions_builder import build_action
from app.simulate.runner import calls_of, simulate_with

BUNDLE_TARGET_MB, BUNDLE_LAST_MB = 90.0, 88.5
MB = 1_000_000


def five_actions(target: str) -> list[ProposedCall]:
    def call(signature: str, arg: str) -> ProposedCall:
        return build_action(target, decision_function(signature), [arg])

    return [
        call("setMarketplaceFee(uint8)", "8"),
        call("addMarketplaceCategory(string)", "Design"),
        call("addFoundationMember(string)", "Alice"),
        call("addMarketplaceCategory(string)", "Data"),
        call("setMarketplaceFee(uint8)", "7"),
    ]


async def prepare(devnet: Devnet) -> tuple[int, list[ProposedCall]]:
    stack = devnet.stack("alpha")
    signer = LocalKeySigner(devnet.accounts[0].dev_key, chain_id=devnet.chain_id)
    calls = five_actions(stack["target"])
    async with RpcClient([devnet.rpc_url], chain_id=devnet.chain_id) as rpc:
        governor = await GovernorClient.open(
            rpc, stack["governor"], multicall_address=devnet.multicall
        )
        created = await governor.propose(signer, calls, "# Five decisions")
    devnet.control.mine(STACK_PARAMS["alpha"].voting_delay + 1)
    return created.proposal_id, calls


async def time_pyrevm(devnet: Devnet, proposal_id: int, runs: int) -> tuple[list[float], str]:
    stack = devnet.stack("alpha")
    times, headline = [], ""
    async with RpcClient([devnet.rpc_url], chain_id=devnet.chain_id) as rpc:
        governor = await GovernorClient.open(
            rpc, stack["governor"], multicall_address=devnet.multicall
        )
        calls = calls_of(await governor.created(proposal_id))
        for _ in range(runs):
            started = time.perf_counter()
            simulation = await simulate_with(rpc, governor, calls)
            times.append(time.perf_counter() - started)
            headline = simulation.headline
    return times, headline


async def time_eth_call(devnet: Devnet, calls: list[ProposedCall], runs: int) -> list[float]:
    timelock = devnet.stack("alpha")["timelock"]
    times = []
    async with RpcClient([devnet.rpc_url], chain_id=devnet.chain_id) as rpc:
        for _ in range(runs):
            started = time.perf_counter()
            for call in calls:
                request = {
                    "from": timelock,
                    "to": call.target,
                    "data": "0x" + call.calldata().hex(),
                }
                await rpc.request("eth_call", [request, "latest"])
            times.append(time.perf_counter() - started)
    return times


def _rpc(url: str, method: str, params: list[Any]) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return json.load(response)


def time_anvil_fork(devnet: Devnet, calls: list[ProposedCall], runs: int) -> list[float] | None:
    """anvil --fork-url: start, impersonate the timelock, send each action, read receipts."""
    try:
        binary = anvil_binary()
    except Exception:  # noqa: BLE001 - anvil is optional here
        return None
    timelock = devnet.stack("alpha")["timelock"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        port = _free_loopback_port()
        proc = subprocess.Popen([str(binary), "--fork-url", devnet.rpc_url, "--port", str(port),
                                 "--silent", "--chain-id", str(devnet.chain_id)])  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            while True:
                try:
                    _rpc_chain_id(url, 0.5)
                    break
                except OSError:
                    time.sleep(0.01)
            _rpc(url, "anvil_impersonateAccount", [timelock])
            _rpc(url, "anvil_setBalance", [timelock, hex(10**20)])
            for call in calls:
                tx = {"from": timelock, "to": call.target, "data": "0x" + call.calldata().hex()}
                sent = _rpc(url, "eth_sendTransaction", [tx])
                receipt = None
                while receipt is None:  # anvil answers before the block is stored
                    receipt = _rpc(url, "eth_getTransactionReceipt", [sent["result"]])["result"]
                assert int(receipt["status"], 16) == 1, receipt
            times.append(time.perf_counter() - started)
        finally:
            proc.terminate()
            proc.wait(10)
    return times


async def heartbeat_stall(devnet: Devnet, proposal_id: int) -> float:
    """The longest gap between ticks of a 1 ms Python thread while one simulation runs."""
    gaps: list[float] = []
    stop = threading.Event()

    def beat() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    thread = threading.Thread(target=beat)
    thread.start()
    try:
        await time_pyrevm(devnet, proposal_id, 1)
    finally:
        stop.set()
        thread.join()
    return max(gaps, default=0.0)


def pyrevm_sizes() -> dict[str, float]:
    dist = importlib.metadata.distribution("pyrevm")
    files = [Path(str(dist.locate_file(f))) for f in dist.files or ()]
    installed = sum(f.stat().st_size for f in files if f.is_file())
    library = next(f for f in files if f.suffix == ".so")
    with tempfile.TemporaryDirectory() as tmp:
        stripped = Path(tmp, library.name)
        shutil.copy(library, stripped)
        if shutil.which("strip"):
            subprocess.run(["strip", str(stripped)], check=True)  # the bundle strips .so files
        packed = len(gzip.compress(stripped.read_bytes(), 6))
    return {"installed_mb": round(installed / MB, 2), "gzip_stripped_mb": round(packed / MB, 2)}


async def measure(runs: int) -> dict[str, Any]:
    with Devnet(stacks=("alpha",), hub=False) as devnet:
        proposal_id, calls = await prepare(devnet)
        pyrevm_times, headline = await time_pyrevm(devnet, proposal_id, runs)
        eth_call_times = await time_eth_call(devnet, calls, runs)
        anvil_times = await asyncio.to_thread(time_anvil_fork, devnet, calls, runs)
        stall = await heartbeat_stall(devnet, proposal_id)
    sizes = pyrevm_sizes()
    return {
        "actions": len(calls),
        "headline": headline,
        "pyrevm_simulation_s": round(statistics.median(pyrevm_times), 4),
        "plain_eth_call_s": round(statistics.median(eth_call_times), 4),
        "anvil_fork_s": round(statistics.median(anvil_times), 4) if anvil_times else None,
        "longest_python_stall_s": round(stall, 4),
        "pyrevm_version": importlib.metadata.version("pyrevm"),
        **sizes,
        "bundle_last_mb": BUNDLE_LAST_MB,
        "bundle_with_simulator_mb": round(BUNDLE_LAST_MB + sizes["gzip_stripped_mb"], 1),
        "bundle_target_mb": BUNDLE_TARGET_MB,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(measure(args.runs))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"5-action proposal on the devnet ({result['headline']})")
    print(f"  pyrevm local fork, full simulation : {result['pyrevm_simulation_s'] * 1000:8.1f} ms")
    reference = result["plain_eth_call_s"] * 1000
    print(f"  same calls as plain eth_call      : {reference:8.1f} ms  (reference)")
    anvil = result["anvil_fork_s"]
    print(
        f"  anvil --fork-url, send + receipts : {anvil * 1000:8.1f} ms"
        if anvil
        else "  anvil: not installed"
    )
    print(
        f"  longest Python stall (GIL)        : {result['longest_python_stall_s'] * 1000:8.1f} ms"
    )
    print(f"pyrevm {result['pyrevm_version']}: installed {result['installed_mb']} MB, "
          f"+{result['gzip_stripped_mb']} MB in the .tar.gz")  # fmt: skip
    print(f"bundle: {result['bundle_last_mb']} MB + simulator = "
          f"{result['bundle_with_simulator_mb']} MB "
          f"(target {result['bundle_target_mb']} MB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
