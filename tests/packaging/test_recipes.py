"""The release workflow and the Windows/macOS recipes cannot run here; keep them honest: the
workflow parses, builds on all three systems from a tag, and every repository path it or the
recipes name exists."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.packaging.conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/release.yml"
RECIPES = (
    ROOT / "packaging/linux/build.sh",
    ROOT / "packaging/windows/build.ps1",
    ROOT / "packaging/windows/govdesk.iss",
    ROOT / "packaging/macos/build.sh",
    ROOT / "packaging/govdesk.spec",
)
# Repository paths: a known top-level folder, then path characters. Build outputs (out/) and
# GitHub expressions are not repository paths; a templated name (govdesk-$size.png) is checked
# up to its folder.
REPO_PATH = re.compile(
    r"(?<![\w.$-])((?:packaging|scripts|resources|tests|benchmarks)[/\\][\w./\\-]*\w)(?![\w$-])"
)


def _workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _run_scripts(data: dict[Any, Any]) -> list[str]:
    return [
        str(step["run"])
        for job in data["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]  # fmt: skip


def _named_paths(text: str) -> set[str]:
    return {match.replace("\\", "/") for match in REPO_PATH.findall(text)}


def test_workflow_is_tag_triggered_and_builds_on_three_systems() -> None:
    data = _workflow()
    triggers = data[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers["push"]["tags"] == ["v*"]
    runners = {
        str(job["runs-on"])
        if "matrix" not in str(job["runs-on"])
        else " ".join(job["strategy"]["matrix"]["runner"])
        for job in data["jobs"].values()
    }
    text = " ".join(runners)
    for system in ("ubuntu", "windows", "macos"):
        assert system in text, system
    assert data["jobs"]["release"]["needs"] == ["linux", "windows", "macos"]


def test_every_path_the_workflow_names_exists() -> None:
    paths = set().union(*(_named_paths(script) for script in _run_scripts(_workflow())))
    assert {
        "packaging/linux/build.sh",
        "packaging/windows/build.ps1",
        "packaging/macos/build.sh",
    } <= paths
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert missing == []


def test_every_path_the_recipes_name_exists() -> None:
    for recipe in RECIPES:
        text = recipe.read_text(encoding="utf-8")
        # Paths relative to $ROOT / $Root / the .iss file's folder.
        named = _named_paths(text) | {
            f"packaging/windows/{m}" for m in re.findall(r"(?:SetupIconFile)=(\S+)", text)
        }
        missing = sorted(p for p in named if not (ROOT / p).exists())
        assert missing == [], recipe.name


def test_path_finder_catches_a_missing_path() -> None:
    # The checks above only mean something if a wrong path would be reported.
    assert _named_paths("bash packaging/linux/buidl.sh && x") == {"packaging/linux/buidl.sh"}
    assert not (ROOT / "packaging/linux/buidl.sh").exists()
