"""scripts/code_metrics counts what it says on a small tree made for the purpose."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "code_metrics"

GOVERNOR = """
def build(info, flags):
    if info.family is Family.ALPHA:  # a branch
        return 1
    x = ABIS[info.family]  # a look-up keyed by the family
    y = 2 if info.family.is_oz else 3  # a flag test
    return x + y  # type: ignore[operator]
"""
VIEW = """
def show(self, rpc_url):
    self.button.clicked.connect(self.go)  # a Qt signal: not a connection
    rpc = RpcClient([rpc_url], chain_id=1)
    conn = sqlite3.connect(":memory:")
    governor = GovernorClient.open(rpc, "0x")
    return rpc, conn, governor
"""


def _tree(root: Path) -> None:
    (root / "app").mkdir()
    (root / "ui").mkdir()
    (root / "app" / "writer.py").write_text(GOVERNOR, encoding="utf-8")
    (root / "ui" / "view.py").write_text(VIEW, encoding="utf-8")


def test_the_metrics_count_branches_ignores_and_ui_constructions(tmp_path: Path) -> None:
    _tree(tmp_path)
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True,
                            text=True, check=True)  # fmt: skip
    out = result.stdout
    assert "| 6 | show | ui/view.py |" in out
    assert "| 6 | build | app/writer.py |" in out
    assert "| app/writer.py | 3 |" in out
    assert "| total outside families.py | 3 |" in out
    assert "| app/ | 1 |" in out
    assert "in ui/: 3" in out
    for call in ("| RpcClient |", "| sqlite3.connect |", "| GovernorClient.open |"):
        assert call in out
    assert "clicked.connect" not in out


def test_a_folder_without_app_and_ui_is_refused(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 2
    assert "has no app/ and ui/ folders" in result.stderr
