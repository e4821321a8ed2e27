"""`govdesk --self-test` from the source checkout: passes offscreen without a display, and fails
clearly (no traceback, exit 1) when the resources are missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import __version__
from app.artifacts import RESOURCES_ENV, artifact_names, project_root

SELFTEST = "from ui.launcher import main; raise SystemExit(main(['--self-test', *__import__('sys').argv[1:]]))"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    drop = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", RESOURCES_ENV}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "-c", SELFTEST, *args],
        capture_output=True, text=True, env={**clean, **env}, timeout=120,
    )  # fmt: skip


def test_self_test_passes_from_the_checkout_without_a_display() -> None:
    result = _run("--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert report["ok"] is True
    assert list(checks) == ["version", "resources", "artifacts", "keyring", "window"]
    assert checks["version"] == {
        "name": "version",
        "status": "PASS",
        "detail": f"govdesk {__version__}",
    }
    assert checks["resources"]["detail"] == str(project_root() / "resources")
    assert checks["artifacts"]["detail"].startswith(f"{len(artifact_names())} contracts loaded")
    assert "platform=offscreen" in checks["window"]["detail"]
    # No Secret Service is a note, never a failure; either way the backend is named.
    assert checks["keyring"]["status"] in {"PASS", "NOTE"}
    assert checks["keyring"]["detail"].startswith("keyring.backends.")


def test_self_test_fails_clearly_without_resources(tmp_path: Path) -> None:
    result = _run(**{RESOURCES_ENV: str(tmp_path)})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "self-test FAILED"
    by_name = {line.split()[1]: line.split()[0] for line in lines[:-1]}
    assert by_name["resources"] == "FAIL"
    assert by_name["artifacts"] == "FAIL"
    assert by_name["version"] == "PASS"
    assert any("contract artifacts folder" in line for line in lines)
