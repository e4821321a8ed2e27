"""Committed contract artifacts: loadable, current with their sources, and shaped like the
interfaces clients expect (exact selectors and event topics from the reference)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from eth_utils import event_abi_to_log_topic, function_abi_to_4byte_selector

from app.artifacts import (
    RESOURCES_ENV,
    artifact_names,
    compute_source_hash,
    load_artifact,
    project_root,
    read_artifact_json,
)
from app.errors import ConfigError

EXPECTED = {
    "CompTimelock",
    "CompToken",
    "DelegateRegistry",
    "GovToken",
    "GovTokenTimestamp",
    "GovTokenV4",
    "GovernanceDecisions",
    "GovernorAlpha",
    "GovernorBravoDelegate",
    "GovernorBravoDelegator",
    "Multicall3",
    "OzGovernor",
    "OzGovernorV4",
    "OzTimelock",
    "OzTimelockV4",
    "SplitDelegateRegistry",
}


def _selectors(name: str) -> set[str]:
    abi = load_artifact(name).abi
    return {
        "0x" + function_abi_to_4byte_selector(item).hex()
        for item in abi
        if item["type"] == "function"
    }


def _topics(name: str) -> dict[str, str]:
    abi = load_artifact(name).abi
    return {
        str(item["name"]): "0x" + event_abi_to_log_topic(item).hex()
        for item in abi
        if item["type"] == "event"
    }


def test_every_expected_contract_has_an_artifact() -> None:
    assert set(artifact_names()) == EXPECTED


def test_artifacts_are_current_with_their_sources() -> None:
    fresh = compute_source_hash()
    stale = [n for n in artifact_names() if read_artifact_json(n)["sourceHash"] != fresh]
    assert not stale, (
        f"{stale} were compiled from other sources; run `node scripts/compile_contracts.js`"
    )


def test_source_hash_changes_when_a_source_changes(tmp_path: Path) -> None:
    root = project_root()
    shutil.copy(root / "package.json", tmp_path / "package.json")
    shutil.copytree(root / "resources" / "contracts" / "src", tmp_path / "resources/contracts/src")
    before = compute_source_hash(tmp_path)
    assert before == compute_source_hash()
    source = tmp_path / "resources/contracts/src/common/Multicall3.sol"
    source.write_text(source.read_text() + "\n// edited\n")
    assert compute_source_hash(tmp_path) != before


def test_load_artifact_gives_abi_and_creation_bytecode() -> None:
    artifact = load_artifact("OzGovernor")
    assert artifact.name == "OzGovernor"
    code = bytes.fromhex(artifact.bytecode.removeprefix("0x"))
    assert 10_000 < len(code) < 40_000
    assert any(item.get("name") == "propose" for item in artifact.abi)


def test_unknown_artifact_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError, match="no contract artifact named 'Nope'") as info:
        load_artifact("Nope")
    assert "OzGovernor" in info.value.user_message


def test_resources_env_var_points_at_another_artifacts_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "contracts" / "artifacts"
    folder.mkdir(parents=True)
    (folder / "Only.json").write_text(json.dumps({"abi": [], "bytecode": "0x00"}))
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path))
    assert artifact_names() == ("Only",)
    assert load_artifact("Only").bytecode == "0x00"
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="artifacts folder"):
        artifact_names()


def test_alpha_matches_the_braintrust_governor_interface() -> None:
    selectors = _selectors("GovernorAlpha")
    # propose, castVote(uint256,bool), castVoteBySig(uint256,bool,...), queue, execute, cancel,
    # getActions, getReceipt (governor.md §2)
    expected = {"0xda95691a", "0x15373e3d", "0x4634c61f", "0xddf0b009", "0xfe0d94c1"}
    assert expected | {"0x40e58ee5", "0x328dd982", "0xe23a9a52"} <= selectors
    assert _topics("GovernorAlpha")["VoteCast"].startswith("0x87785633")
    assert _topics("GovernorAlpha")["ProposalCreated"] == (
        "0x7d84a6263ae0d98d3329bd7b46bb4e8d6f98cd35a7adb45c274c8b7fd5ebd5e0"
    )


def test_bravo_matches_the_compound_governor_interface() -> None:
    selectors = _selectors("GovernorBravoDelegate")
    # propose with signatures, castVote(uint256,uint8), castVoteWithReason, castVoteBySig v4-style
    expected = {"0xda95691a", "0x56781388", "0x7b3c71d3", "0x3bccf4fd", "0xddf0b009"}
    assert expected | {"0xfe0d94c1", "0x40e58ee5", "0x328dd982", "0xe23a9a52"} <= selectors
    assert _topics("GovernorBravoDelegate")["VoteCast"] == (
        "0xb8e138887d0aa13bab447e82de9d5c1777041ecd21ca36ba824ff1e6c07ddda4"
    )


def test_oz_governor_has_the_v5_entry_points() -> None:
    selectors = _selectors("OzGovernor")
    # propose, queue, execute (full data), castVoteBySig(uint256,uint8,address,bytes), state
    assert {"0x7d5e81e2", "0x160cbed7", "0x2656227d", "0x8ff262e3", "0x3e4f49e6"} <= selectors


def test_oz_v4_governor_has_the_v4_entry_points() -> None:
    selectors = _selectors("OzGovernorV4")
    # castVoteBySig(uint256,uint8,uint8,bytes32,bytes32), not the v5 (…,address,bytes) form
    assert {"0x7d5e81e2", "0x160cbed7", "0x2656227d", "0x3bccf4fd", "0x3e4f49e6"} <= selectors
    assert "0x8ff262e3" not in selectors
    assert "TIMELOCK_ADMIN_ROLE" in {item.get("name") for item in load_artifact("OzTimelockV4").abi}


@pytest.mark.integration
def test_recompiling_reproduces_the_committed_artifacts(tmp_path: Path) -> None:
    root = project_root()
    subprocess.run(
        ["node", str(root / "scripts" / "compile_contracts.js"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = sorted(path.name for path in tmp_path.glob("*.json"))
    assert fresh == sorted(f"{name}.json" for name in EXPECTED)
    committed = root / "resources" / "contracts" / "artifacts"
    for name in fresh:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


@pytest.mark.integration
def test_compile_script_refuses_a_v4_source_importing_the_v5_package(tmp_path: Path) -> None:
    root = project_root()
    shutil.copytree(root / "scripts", tmp_path / "scripts")
    shutil.copy(root / "package.json", tmp_path / "package.json")
    v4_dir = tmp_path / "resources/contracts/src/ozv4"
    v4_dir.mkdir(parents=True)
    (v4_dir / "Mixed.sol").write_text(
        'pragma solidity ^0.8.24;\nimport {Governor} from\n    "@openzeppelin/contracts/governance/Governor.sol";\n'
    )
    result = subprocess.run(
        [
            "node",
            str(tmp_path / "scripts" / "compile_contracts.js"),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ["PATH"], "GOVDESK_NODE_MODULES": str(root / "node_modules")},
    )
    assert result.returncode == 1
    assert "src/ozv4/Mixed.sol imports @openzeppelin/contracts (v5)" in result.stderr
    assert not (tmp_path / "out").exists()
