"""Screenshots of the real window on a real devnet (called by scripts/screenshots).

A fresh devnet (alpha stack and its local hub) gets a few initiatives in different phases —
drafts, an open temperature check, a passed one, an on-chain proposal being voted — then the
window opens on a virtual X screen and each view is saved as a PNG: board.png, detail.png (the
open temperature check's detail view) and accounts.png (the accounts window).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    if not shutil.which("Xvfb"):
        sys.exit("Xvfb is not installed: run `bash scripts/setup` first.")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1400x860x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        return proc, f":{pipe.readline().strip()}"


async def populate(demo, services, org) -> None:  # type: ignore[no-untyped-def]
    from app.pipeline import advance

    conv = org.conventions
    services.drafts.create(org.slug, "Add a 'Data Science' marketplace category", "More roles.")
    services.drafts.create(org.slug, "Fund a community tooling grant", "B-0007.")
    open_idea = services.drafts.create(org.slug, "Lower the marketplace fee to 8%", "Why.")
    tc = advance.temperature_check(
        initiative_id=open_idea.initiative_id,
        title=open_idea.title,
        body=open_idea.body,
        discussion="",
        conventions=conv,
    )
    check = await demo.publish(tc.title, tc.body, tc.choices, tc.voting_type)
    for index, choice in ((1, 1), (2, 1), (3, 2), (4, 1)):  # a few votes for the detail view
        await demo.vote(check, tc.voting_type, index, choice, len(tc.choices))
    onchain_idea = services.drafts.create(org.slug, "Add foundation member: Acme Labs", "Why.")
    description = advance.onchain_proposal(
        initiative_id=onchain_idea.initiative_id, title=onchain_idea.title, body="Details.",
        consensus_id="0x00", resolution="Add Acme Labs",
    ).description  # fmt: skip
    await demo.propose_member(description, "Acme Labs")


def save(widget, path: Path) -> None:  # type: ignore[no-untyped-def]
    widget.grab().save(str(path))
    print(f"wrote {path}")


def shoot_detail(loop, window, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The open temperature check's detail view (results, voters, the vote panel)."""
    from PySide6.QtWidgets import QSplitter

    from app.pipeline.model import Phase
    from ui.models.board_model import CardRole

    column = window.board.columns[Phase.OFFCHAIN].proxy
    card = column.index(0, 0).data(CardRole.CARD)
    view = window.open_detail(card)
    view.resize(1240, 820)
    view.findChild(QSplitter).setSizes([560, 680])
    loaded = asyncio.Event()
    view.detail_loaded.connect(lambda _detail: loaded.set())
    loop.run_until_complete(asyncio.wait_for(loaded.wait(), 30))
    loop.run_until_complete(asyncio.sleep(0.5))
    save(view, path)
    view.close()


async def accounts_keys(services, devnet):  # type: ignore[no-untyped-def]
    """Accounts for the picture: one devnet key (in memory, not the OS keyring), one watched."""
    from app.keys.accounts import AccountManager
    from app.keys.memory_vault import MemoryVault
    from app.keys.metadata import AccountsRepo
    from ui.signing import Keys

    manager = AccountManager(MemoryVault(), AccountsRepo(services.store.conn))
    voter = devnet.accounts[2].dev_key
    await manager.import_private_key(voter, "screenshot password", label="Voter (devnet #2)")
    await manager.watch(devnet.accounts[0].address, label="Foundation multisig (watch-only)")
    return Keys.over(manager)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    xvfb, display = start_xvfb()
    os.environ.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    try:
        return shoot(args.out)
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def shoot(out: Path) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.devnet.demo import Demo, SharedClock
    from app.devnet.network import Devnet
    from app.orgs import devnet_organisations
    from app.pipeline.model import AccountContext
    from app.services import Services
    from ui.theme import ThemeFollower
    from ui.views.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    ThemeFollower(app, parent=app)
    app.setQuitOnLastWindowClosed(False)  # the loop outlives the window until the end
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executor = qasync.QThreadExecutor(2)  # ours, so its threads are joined before Qt goes away
    loop.set_default_executor(executor)
    clock = SharedClock()
    with (
        tempfile.TemporaryDirectory() as tmp,
        Devnet(stacks=("alpha",), hub_clock=clock.now) as devnet,
    ):
        presets = devnet_organisations(devnet.describe())
        with Services.open(data_dir=Path(tmp, "d"), config_dir=Path(tmp, "c"), presets=presets,
                           clock=clock.now) as services:  # fmt: skip
            org = services.orgs.get("devnet-alpha")
            demo = Demo(devnet, "alpha", services, print, clock)
            loop.run_until_complete(populate(demo, services, org))
            window = MainWindow(services)
            voter = devnet.accounts[2].address
            window.account = AccountContext(
                voter, delegated=True, offchain_power=1.0, onchain_power=1
            )
            window.reload_orgs(select="devnet-alpha")
            window.resize(1400, 820)
            window.show()
            done = asyncio.Event()
            window.board_loaded.connect(lambda _n: done.set())
            loop.run_until_complete(asyncio.wait_for(done.wait(), 30))
            loop.run_until_complete(asyncio.sleep(0.5))
            save(window, out / "board.png")
            shoot_detail(loop, window, out / "detail.png")
            window.keys = loop.run_until_complete(accounts_keys(services, devnet))
            dialog = window.show_accounts()
            loop.run_until_complete(asyncio.sleep(1.5))  # the list and delegation box load
            save(dialog, out / "accounts.png")
            loop.run_until_complete(demo.close())
            window.deleteLater()  # cancels the window's background tasks while the loop runs
            loop.run_until_complete(asyncio.sleep(0.5))
    executor.shutdown(wait=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
