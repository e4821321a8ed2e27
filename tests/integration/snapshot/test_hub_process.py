"""The local hub runs on its own: ``python -m app.devnet.hub --rpc URL --token ADDR``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from app.devnet.network import Devnet

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


def _post_json(url: str, body: dict[str, object]) -> dict[str, object]:
    request = urllib.request.Request(  # noqa: S310 - loopback URL printed by the hub
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        answer: dict[str, object] = json.load(response)
        return answer


def test_hub_module_serves_graphql_and_stops_on_sigterm(devnet: Devnet) -> None:
    token = devnet.stack("alpha")["token"]
    command = [
        sys.executable,
        "-m",
        "app.devnet.hub",
        "--rpc",
        devnet.rpc_url,
        "--token",
        token,
        "--method",
        "getPriorVotes",
        "--chain-id",
        str(devnet.chain_id),
        "--space",
        "btrst.eth",
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        url = banner.split()[2]
        assert url.startswith("http://127.0.0.1:")
        query = '{ space(id: "btrst.eth") { id strategies { params } } }'
        answer = _post_json(url + "graphql", {"query": query})
        space = answer["data"]["space"]  # type: ignore[index]
        assert space["strategies"][0]["params"]["address"] == token
        vp_query = f'{{ vp(voter: "{devnet.accounts[0].address}", space: "btrst.eth") {{ vp }} }}'
        assert _post_json(url + "graphql", {"query": vp_query})["data"] == {
            "vp": {"vp": 100_000_000.0}
        }
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
