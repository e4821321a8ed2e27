"""The Linux release, built once per session by packaging/linux/build.sh (about 60 s).

CI may build it in its own step and point GOVDESK_RELEASE_DIR at the folder holding the .deb and
the .tar.xz; then nothing is rebuilt here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


@dataclass(frozen=True)
class Release:
    out: Path
    deb: Path
    tarball: Path
    installed: Path  # the .deb unpacked with dpkg-deb -x


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-deb"):
        pytest.skip("the Linux release needs Linux with dpkg-deb")
    prebuilt = os.environ.get("GOVDESK_RELEASE_DIR")
    out = Path(prebuilt) if prebuilt else ROOT / "out"
    if not prebuilt:
        env = {**os.environ, "GOVDESK_OUT": str(out)}
        subprocess.run(
            ["bash", str(ROOT / "packaging/linux/build.sh")], check=True, env=env, timeout=900
        )
    debs = sorted(out.glob(f"govdesk_{VERSION}_*.deb"))
    tarballs = sorted(out.glob(f"govdesk-{VERSION}-linux-*.tar.xz"))
    assert len(debs) == 1, f"expected one .deb in {out}, found {debs}"
    assert len(tarballs) == 1, f"expected one .tar.xz in {out}, found {tarballs}"
    root = tmp_path_factory.mktemp("scratch-root")
    subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(root)], check=True, timeout=300)
    return Release(out, debs[0], tarballs[0], root)
