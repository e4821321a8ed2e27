"""Locate the project-local tools installed from npm (anvil, node packages)."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path

from app.errors import ToolMissingError

SETUP_HINT = "Run `bash scripts/setup` from the govdesk source folder to install it."


def project_root() -> Path:
    """The source checkout this package runs from (where package.json and node_modules live)."""
    return Path(__file__).resolve().parents[2]


def node_modules_dir() -> Path:
    override = os.environ.get("GOVDESK_NODE_MODULES")
    path = Path(override) if override else project_root() / "node_modules"
    if not path.is_dir():
        raise ToolMissingError(
            f"The project's npm packages are not installed ({path}). {SETUP_HINT}"
        )
    return path


def _anvil_platform_package() -> str:
    system = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}.get(platform.system(), "")
    machine = platform.machine().lower()
    arch = "arm64" if machine in {"arm64", "aarch64"} else "amd64"
    return f"anvil-{system}-{arch}"


def anvil_binary() -> Path:
    """The anvil executable from npm `@foundry-rs/anvil` (or GOVDESK_ANVIL)."""
    override = os.environ.get("GOVDESK_ANVIL")
    if override:
        return Path(override)
    exe = "anvil.exe" if platform.system() == "Windows" else "anvil"
    candidate = node_modules_dir() / "@foundry-rs" / _anvil_platform_package() / "bin" / exe
    if candidate.is_file():
        return candidate
    on_path = shutil.which("anvil")
    if on_path:
        return Path(on_path)
    raise ToolMissingError(f"anvil is not installed (looked for {candidate}). {SETUP_HINT}")


def node_binary() -> Path:
    found = shutil.which("node")
    if not found:
        raise ToolMissingError("Node.js (`node`) is not on PATH. Install Node.js 18 or newer.")
    return Path(found)
