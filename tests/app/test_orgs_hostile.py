"""`org add` refuses what it should and says so, never with a traceback (#22, 8-9)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import ConfigError
from app.orgs import Conventions, Network, Organisation, url_warnings, validate


def _org(rpc: str = "https://rpc.example", **network: object) -> Organisation:
    fields = {"chain_id": 1, "name": "x", "rpc_urls": (rpc,), **network}
    return Organisation("dao", "DAO", Network(**fields), "dao.eth")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "rpc",
    [
        "http://[::1",
        "http://169.254.169.254/latest",
        "http://[fe80::1]:8545",
        "http://0.0.0.0:8545",
        "http://metadata.google.internal/",
        "http://rpc .example",
        "http://rpc\u202e.example",
        "http://rpc.example:99999",
        "http://rpc.example:0",
        "http://\u200brpc.example",
    ],
)
def test_bad_rpc_hosts_are_refused(rpc: str) -> None:
    with pytest.raises(ConfigError):
        validate(_org(rpc))


@pytest.mark.parametrize("value", [math.nan, 0.0, -1.0, math.inf])
def test_bad_block_times_are_refused(value: float) -> None:
    with pytest.raises(ConfigError, match="block time"):
        validate(_org(block_time_s=value))


@pytest.mark.parametrize("value", [math.nan, -0.5, math.inf])
def test_bad_quorums_are_refused(value: float) -> None:
    org = _org()
    bad = Organisation(
        org.slug,
        org.name,
        org.network,
        org.snapshot_space,
        conventions=Conventions(temperature_quorum=value),
    )
    with pytest.raises(ConfigError, match="quorum"):
        validate(bad)


@pytest.mark.parametrize("chain_id", [0, -1, 2**256, 2**53])
def test_chain_ids_out_of_range_are_refused(chain_id: int) -> None:
    with pytest.raises(ConfigError, match="Chain id"):
        validate(_org(chain_id=chain_id))


def test_private_ranges_are_allowed_with_a_warning() -> None:
    org = validate(_org("http://192.168.1.20:8545"))
    assert url_warnings(org) == [
        "http://192.168.1.20:8545 is on a private network: other people cannot check it."
    ]
    assert url_warnings(validate(_org("http://127.0.0.1:8545"))) == []


@pytest.mark.parametrize(
    "extra",
    [
        ["--rpc", "http://[::1"],
        ["--rpc", "http://x.example", "--chain-id", str(2**256)],
        ["--rpc", "http://x.example", "--block-time", "nan"],
    ],
)
def test_org_add_cli_gives_messages(tmp_path: Path, extra: list[str]) -> None:
    args = ["org", "add", "dao", "--name", "DAO", "--chain-id", "1", "--space", "dao.eth", *extra]
    out = subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "GOVDESK_CONFIG_DIR": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("govdesk:")
    assert "Traceback" not in out.stderr
