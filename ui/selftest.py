"""`govdesk --self-test`: prove an installed copy works, without network and without user data.

Checks, in order: the version metadata, the bundled resources (icons), every contract artifact,
the keyring backend, and the main window — opened offscreen (unless QT_QPA_PLATFORM says
otherwise) over a throw-away store holding one draft, which must reach the board.

The keyring check never fails the run. A machine without a usable Secret Service (a server, a
CI runner, a desktop whose keyring is locked) can still browse and tally; it only cannot hold
keys, and govdesk says so when someone tries. The self-test therefore reports the backend it
found and, when it is unusable, prints a NOTE explaining why instead of a FAIL.

Exit code 0 when nothing failed, 1 otherwise. ``--json`` prints one JSON object instead.
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.artifacts import artifact_names, artifacts_dir, load_artifact, resources_dir
from app.errors import AppError

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

SELFTEST_ORG = "selftest"
WINDOW_TIMEOUT_S = 20.0
ICON_FILES = ("icons/govdesk.svg", "icons/govdesk.png")


class Status(enum.Enum):
    PASS = "PASS"  # noqa: S105 - a check status, not a password
    NOTE = "NOTE"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def check_version() -> Check:
    if __version__ == "0+unknown":
        return Check("version", Status.FAIL, "no installed metadata for govdesk")
    return Check("version", Status.PASS, f"govdesk {__version__}")


def check_resources() -> Check:
    root = resources_dir()
    missing = [name for name in ICON_FILES if not (root / name).is_file()]
    if missing:
        return Check("resources", Status.FAIL, f"missing in {root}: {', '.join(missing)}")
    return Check("resources", Status.PASS, f"{root}")


def check_artifacts() -> Check:
    names = artifact_names()
    if not names:
        return Check("artifacts", Status.FAIL, f"no contract artifacts in {artifacts_dir()}")
    for name in names:
        artifact = load_artifact(name)
        if not artifact.abi or not artifact.bytecode.startswith("0x"):
            return Check("artifacts", Status.FAIL, f"{name} has no ABI or bytecode")
    return Check("artifacts", Status.PASS, f"{len(names)} contracts loaded from {artifacts_dir()}")


def check_keyring() -> Check:
    import keyring

    from app.ports import Factories

    backend = keyring.get_keyring()
    label = f"{type(backend).__module__}.{type(backend).__name__}"
    try:
        asyncio.run(Factories().vault().check_available())  # the production vault
    except AppError as exc:
        return Check("keyring", Status.NOTE, f"{label} is not usable here: {exc.user_message}")
    return Check("keyring", Status.PASS, f"{label}")


def check_window() -> Check:
    """Open the main window over a temporary store with one draft, which must reach the board."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="govdesk-selftest-") as tmp:
        return _open_window(Path(tmp))


def _open_window(tmp: Path) -> Check:
    import qasync
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.orgs import Network, Organisation
    from app.services import Services
    from ui.views.main_window import MainWindow

    started = time.monotonic()
    # Keep the user's own window settings out of it (and untouched) where Qt allows.
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp / "qt"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # noqa: S101 - narrows the type for the checker
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with Services.open(data_dir=tmp / "data", config_dir=tmp / "config") as services:
            # No hub URL and no RPC URL: the board reads the local store only, nothing goes out.
            org = Organisation(SELFTEST_ORG, "Self-test", Network(31337, "none"), "selftest.eth")
            services.orgs.save(org)
            services.drafts.create(SELFTEST_ORG, "Self-test draft", "", "", needs_onchain=False)
            cards = loop.run_until_complete(_show_and_wait(MainWindow(services)))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    elapsed = time.monotonic() - started
    if cards != 1:
        return Check("window", Status.FAIL, f"the board shows {cards} cards, expected 1")
    detail = f"platform={app.platformName()}, board loaded in {elapsed:.2f} s"
    return Check("window", Status.PASS, detail)


async def _show_and_wait(window: MainWindow) -> int:
    loaded: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_loaded(cards: int) -> None:
        if not loaded.done():
            loaded.set_result(cards)

    window.board_loaded.connect(on_loaded)
    current = window.current_org()
    if current is None or current.slug != SELFTEST_ORG:
        window.reload_orgs(select=SELFTEST_ORG)  # a saved choice picked another organisation
    window.show()
    try:
        if not window.isVisible():
            return -1
        return await asyncio.wait_for(loaded, WINDOW_TIMEOUT_S)
    finally:
        window.hide()  # not close(): closing saves the geometry into the user's settings
        window.deleteLater()


CHECKS: tuple[Callable[[], Check], ...] = (
    check_version,
    check_resources,
    check_artifacts,
    check_keyring,
    check_window,
)


def run_checks() -> list[Check]:
    results = []
    for check in CHECKS:
        name = check.__name__.removeprefix("check_")
        try:
            results.append(check())
        except AppError as exc:
            results.append(Check(name, Status.FAIL, exc.user_message))
        except Exception as exc:  # noqa: BLE001 - a self-test reports every failure, never a traceback
            lines = [line for line in str(exc).splitlines() if line.strip()] or [""]
            # Long messages (numpy's import advice) end with the cause; keep that line.
            results.append(Check(name, Status.FAIL, f"{type(exc).__name__}: {lines[-1].strip()}"))
    return results


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(
        prog="govdesk --self-test", description="Check that this copy of govdesk works."
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(list(argv))
    results = run_checks()
    ok = all(r.status is not Status.FAIL for r in results)
    if args.json:
        rows = [{**asdict(r), "status": r.status.value} for r in results]
        sys.stdout.write(json.dumps({"ok": ok, "checks": rows}) + "\n")
    else:
        for r in results:
            sys.stdout.write(f"{r.status.value:<5} {r.name:<10} {r.detail}\n")
        sys.stdout.write("self-test passed\n" if ok else "self-test FAILED\n")
    return 0 if ok else 1
