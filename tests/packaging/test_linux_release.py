"""The Linux .deb and .tar.xz: installed into a scratch root, the app reports its version, passes
its self-test, resolves every shared library, and carries no dev or test tooling."""

from __future__ import annotations

import json
import os
import subprocess
import tarfile

import pytest

from tests.packaging.conftest import VERSION, Release

# The first test builds the release (its own 900 s limit), inside pytest-timeout's count.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

DEV_TOOLS = ("pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "ruff", "importlinter", "yaml")


def _clean_env(**extra: str) -> dict[str, str]:
    """No display and no platform override: the installed app must cope on its own."""
    drop = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH", "VIRTUAL_ENV"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def _run(release: Release, *args: str) -> subprocess.CompletedProcess[str]:
    exe = release.installed / "usr/bin/govdesk"
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=_clean_env(), timeout=120
    )


def test_installed_version_comes_from_pyproject(release: Release) -> None:
    result = _run(release, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"govdesk {VERSION}"


def test_installed_self_test_passes_offscreen(release: Release) -> None:
    result = _run(release, "--self-test", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    checks = {c["name"]: c for c in report["checks"]}
    assert report["ok"] is True
    assert [checks[n]["status"] for n in ("version", "resources", "artifacts", "window")] == [
        "PASS"
    ] * 4
    # Resources are the bundled ones, not the checkout's.
    assert checks["resources"]["detail"].startswith(str(release.installed / "opt/govdesk"))
    assert "platform=offscreen" in checks["window"]["detail"]
    assert checks["keyring"]["status"] in {"PASS", "NOTE"}
    assert checks["keyring"]["detail"].startswith("keyring.backends.")


def test_deb_installs_launcher_desktop_entry_and_icons(release: Release) -> None:
    root = release.installed
    assert (root / "usr/bin/govdesk").is_symlink()
    assert os.readlink(root / "usr/bin/govdesk") == "../../opt/govdesk/govdesk"
    desktop = (root / "usr/share/applications/govdesk.desktop").read_text(encoding="utf-8")
    assert "Exec=govdesk\n" in desktop
    assert "Icon=govdesk\n" in desktop
    icons = root / "usr/share/icons/hicolor"
    assert (icons / "scalable/apps/govdesk.svg").is_file()
    assert (icons / "256x256/apps/govdesk.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    control = subprocess.run(
        ["dpkg-deb", "-f", str(release.deb), "Package", "Version"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert control.splitlines() == ["Package: govdesk", f"Version: {VERSION}"]


def test_tarball_holds_the_bundle_and_desktop_files(release: Release) -> None:
    with tarfile.open(release.tarball) as tar:
        names = set(tar.getnames())
    top = f"govdesk-{VERSION}"
    for name in ("govdesk", "share/govdesk.desktop", "share/govdesk.png", "share/govdesk.svg"):
        assert f"{top}/{name}" in names
    assert f"{top}/_internal/resources/contracts/artifacts/OzGovernor.json" in names


def test_every_bundled_library_resolves(release: Release) -> None:
    internal = release.installed / "opt/govdesk/_internal"
    libraries = [
        p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()
    ]  # fmt: skip
    assert len(libraries) > 50
    missing = {}
    for lib in libraries:
        # As at run time: the bootloader puts _internal on the library path, and a wheel's
        # vendored folder (hidapi.libs/) is reached through its parent module's RPATH.
        env = {**os.environ, "LD_LIBRARY_PATH": f"{lib.parent}:{internal}"}
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, env=env).stdout
        gone = [line.split()[0] for line in out.splitlines() if "not found" in line]
        if gone:
            missing[str(lib.relative_to(internal))] = gone
    assert missing == {}


def test_bundle_has_no_dev_tools_or_unused_qt(release: Release) -> None:
    internal = release.installed / "opt/govdesk/_internal"
    top = {p.name.split("-")[0].lower() for p in internal.iterdir()}
    assert not top & set(DEV_TOOLS)
    qt = internal / "PySide6"
    assert not list(qt.glob("QtQml*"))
    assert not list(qt.glob("QtQuick*"))
    assert not (qt / "Qt/plugins/platformthemes").exists()
    assert not list(internal.glob("libgtk-3*"))
    # Pure-Python modules live in the PYZ archive; the build's table of contents lists them.
    toc = release.out / "build/govdesk/PYZ-00.toc"
    if toc.is_file():
        text = toc.read_text(encoding="utf-8")
        for tool in DEV_TOOLS:
            assert f"('{tool}'" not in text, tool
            assert f"('{tool}." not in text, tool
