"""The core layers contract names every module of app/: nothing new escapes the import rules."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    core = next(c for c in contracts if c["type"] == "layers" and c["layers"][-1] == "app.errors")
    return [name.strip() for layer in core["layers"] for name in layer.split("|")]


def test_every_package_and_root_module_of_app_is_in_a_layer() -> None:
    app = ROOT / "app"
    found = {f"app.{p.stem}" for p in app.glob("*.py") if p.name != "__init__.py"}
    found |= {f"app.{p.parent.name}" for p in app.glob("*/__init__.py")}
    assert found, "no modules found: the test is looking in the wrong place"
    assert sorted(found - set(_layers())) == []


def test_the_layers_name_no_module_that_does_not_exist() -> None:
    for name in _layers():
        path = ROOT / name.replace(".", "/")
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), name
