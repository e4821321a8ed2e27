"""Screenshots of the real window on a real devnet (called by scripts/screenshots).

A fresh devnet (alpha stack and its local hub) gets a few initiatives in different phases —
drafts, an open temperature check, a passed one, an on-chain proposal being voted — then the
window opens on a virtual X screen and each view is saved as a PNG.
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
    await demo.publish(tc.title, tc.body, tc.choices, tc.voting_type)
    onchain_idea = services.drafts.create(org.slug, "Add foundation member: Acme Labs", "Why.")
    description = advance.onchain_proposal(
        initiative_id=onchain_idea.initiative_id, title=onchain_idea.title, body="Details.",
        consensus_id="0x00", resolution="Add Acme Labs",
    ).description  # fmt: skip
    await demo.propose_member(description, "Acme Labs")


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
    from ui.views.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
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
            path = out / "board.png"
            window.grab().save(str(path))
            print(f"wrote {path}")
            loop.run_until_complete(demo.close())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
