"""Compiled contract artifacts (ABI + creation bytecode) committed under resources/contracts.

``scripts/compile_contracts.js`` writes one ``<ContractName>.json`` per contract. Any module may
load them; this module imports nothing from the rest of ``app`` except the error tree, so the
core can use the ABIs without pulling in the devnet.

The artifacts folder is ``$GOVDESK_RESOURCES/contracts/artifacts`` when that variable is set
(a packaged build points it at its bundled resources), else the ``resources`` folder next to the
code in a PyInstaller bundle (``sys._MEIPASS``), else ``resources/contracts/artifacts`` in the
source checkout.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from app.errors import ConfigError

if TYPE_CHECKING:  # the About box reads resources_dir() at start-up; eth_typing is types only
    from eth_typing import ABI

RESOURCES_ENV = "GOVDESK_RESOURCES"
# Tool pins folded into every artifact's sourceHash; must match scripts/compile_contracts.js.
PINNED_PACKAGES = ("solc", "@openzeppelin/contracts", "@openzeppelin/contracts-v4")


@dataclass(frozen=True)
class Artifact:
    """One compiled contract: its ABI and its creation bytecode (0x-prefixed hex)."""

    name: str
    abi: ABI
    bytecode: str


def project_root() -> Path:
    """The source checkout (where package.json and resources/ live)."""
    return Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None) if getattr(sys, "frozen", False) else None
    return Path(bundle) / "resources" if bundle else project_root() / "resources"


def artifacts_dir() -> Path:
    return resources_dir() / "contracts" / "artifacts"


def artifact_names() -> tuple[str, ...]:
    """Names of every committed artifact, sorted."""
    folder = artifacts_dir()
    if not folder.is_dir():
        raise ConfigError(
            f"The contract artifacts folder {folder} is missing. "
            "Run `node scripts/compile_contracts.js` in the source folder, or set "
            f"{RESOURCES_ENV} to a folder with contracts/artifacts."
        )
    return tuple(sorted(path.stem for path in folder.glob("*.json")))


def load_artifact(name: str) -> Artifact:
    """The artifact called ``name`` (e.g. ``"OzGovernor"``); ConfigError if there is none."""
    return _load_artifact(artifacts_dir(), name)


def read_artifact_json(name: str) -> dict[str, Any]:
    """The raw JSON of one artifact, with its sourceHash and compiler fields."""
    path = artifacts_dir() / f"{name}.json"
    if not path.is_file():
        known = ", ".join(artifact_names()) or "none"
        raise ConfigError(f"There is no contract artifact named {name!r} (known: {known}).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"The contract artifact {path} cannot be read.", detail=str(exc)) from exc
    if not isinstance(data, dict) or not {"abi", "bytecode"} <= data.keys():
        raise ConfigError(f"The contract artifact {path} has no abi or bytecode.")
    return cast(dict[str, Any], data)


@functools.lru_cache(maxsize=64)
def _load_artifact(folder: Path, name: str) -> Artifact:
    # Keyed on the folder too, so a changed GOVDESK_RESOURCES is honoured.
    data = read_artifact_json(name)
    return Artifact(name=name, abi=cast("ABI", tuple(data["abi"])), bytecode=str(data["bytecode"]))


def compute_source_hash(root: Path | None = None) -> str:
    """sha256 over the pinned tool versions and every contract source; see compile_contracts.js."""
    root = root or project_root()
    pins = json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]
    digest = hashlib.sha256()
    for package in PINNED_PACKAGES:
        digest.update(f"pin {package}={pins[package]}\n".encode())
    src = root / "resources" / "contracts" / "src"
    names = sorted("src/" + path.relative_to(src).as_posix() for path in src.rglob("*.sol"))
    for name in names:
        content = (src / name.removeprefix("src/")).read_bytes()
        digest.update(f"file {name} {len(content)}\n".encode())
        digest.update(content)
        digest.update(b"\n")
    return digest.hexdigest()
