"""The gallery: the real window on a real devnet, every main screen and dialog, light and dark,
at 1024×700 and 1600×1000 (called by scripts/screenshots).

A fresh devnet (alpha stack and its local hub) gets a few initiatives in different phases —
drafts, an open temperature check, an on-chain proposal being voted — then the window opens on a
virtual X screen and each screen is saved as ``<screen>-<width>x<height>-<scheme>.png``: the
board, both detail views, the signing dialog for a Snapshot vote (typed data) and for an on-chain
vote (a transaction), the air-gap request of a watch-only account, the accounts window, and the
new-idea, add-organisation, unlock, shortcuts and about dialogs. The signing dialogs come from the
real vote buttons' code path (cast_offchain / cast_onchain through the signing requester) and are
cancelled, so nothing is signed. board.png, detail.png and accounts.png (light, 1600×1000) are
the README's pictures.
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
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
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


SIZES = ((1024, 700), (1600, 1000))
README_SHOTS = {"board", "detail", "accounts"}


def save(widget, out: Path, name: str, size: tuple[int, int], scheme: str) -> None:  # type: ignore[no-untyped-def]
    path = out / f"{name}-{size[0]}x{size[1]}-{scheme}.png"
    widget.grab().save(str(path))
    if name in README_SHOTS and size == SIZES[-1] and scheme == "light":
        widget.grab().save(str(out / f"{name}.png"))
    print(f"wrote {path}")


def settle(loop, seconds: float = 0.4) -> None:  # type: ignore[no-untyped-def]
    loop.run_until_complete(asyncio.sleep(seconds))


def wait_visible(loop, kind, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    """The newest visible top-level widget of ``kind``, once one shows."""
    from PySide6.QtWidgets import QApplication

    async def poll():  # type: ignore[no-untyped-def]
        while True:
            found = [
                w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()
            ]
            if found:
                return found[-1]
            await asyncio.sleep(0.05)

    return loop.run_until_complete(asyncio.wait_for(poll(), timeout))


def open_card_detail(loop, window, phase, size):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QSplitter

    from ui.models.board_model import CardRole

    card = window.board.columns[phase].proxy.index(0, 0).data(CardRole.CARD)
    view = window.open_detail(card)
    view.resize(*size)
    view.findChild(QSplitter).setSizes([size[0] * 45 // 100, size[0] * 55 // 100])
    loaded = asyncio.Event()
    view.detail_loaded.connect(lambda _detail: loaded.set())
    loop.run_until_complete(asyncio.wait_for(loaded.wait(), 30))
    settle(loop, 0.6)
    return view


def shoot_signing(loop, view, start, out, name, size, scheme, *, airgap: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Start a vote as the vote button would, picture the signing dialog(s), then cancel."""
    from ui.views.airgap_dialog import AirGapDialog
    from ui.views.signing_dialog import SigningDialog

    start()
    dialog = wait_visible(loop, SigningDialog)
    settle(loop)
    save(dialog, out, name, size, scheme)
    if airgap:
        dialog.accept()
        gap = wait_visible(loop, AirGapDialog)
        settle(loop)
        save(gap, out, "airgap", size, scheme)
        gap.reject()
    else:
        dialog.reject()
    settle(loop, 0.6)


def shoot_dialogs(loop, window, keys, out, size, scheme) -> None:  # type: ignore[no-untyped-def]
    from ui.views.about_dialog import AboutDialog
    from ui.views.idea_dialog import IdeaDialog
    from ui.views.org_dialog import OrgDialog
    from ui.views.shortcuts_dialog import ShortcutsDialog
    from ui.views.unlock_dialog import UnlockDialog

    infos = loop.run_until_complete(keys.manager.list_accounts())
    device = next(i for i in infos if i.kind.value != "watch")
    for name, make in (
        ("idea", lambda: IdeaDialog(window)),
        ("org", lambda: OrgDialog(window.services.orgs, parent=window)),
        ("unlock", lambda: UnlockDialog(device, keys, window)),
        ("shortcuts", lambda: ShortcutsDialog(window)),
        ("about", lambda: AboutDialog(window)),
    ):
        dialog = make()
        dialog.show()
        settle(loop, 0.3)
        save(dialog, out, name, size, scheme)
        dialog.close()
        dialog.deleteLater()
    _ = (AboutDialog, ShortcutsDialog)


def shoot_all(loop, window, services, devnet, keys, out, size, scheme) -> None:  # type: ignore[no-untyped-def]
    from app.governor.model import Support
    from app.pipeline.model import Phase
    from ui.signing import dialog_signer_source

    window.resize(*size)
    settle(loop, 0.6)
    save(window, out, "board", size, scheme)
    view = open_card_detail(loop, window, Phase.OFFCHAIN, size)
    save(view, out, "detail", size, scheme)
    voter, watched = devnet.accounts[2].address, devnet.accounts[0].address
    view.account = voter
    view.sign = dialog_signer_source(window, keys, lambda: voter)
    part = view.detail.offchain[-1]
    reason = "Lower fees bring more clients."
    shoot_signing(loop, view, lambda: view._offchain_voter(part)(1, reason), out, "signing-typed",
                  size, scheme)  # fmt: skip
    view.account = watched
    view.sign = dialog_signer_source(window, keys, lambda: watched)
    shoot_signing(loop, view, lambda: view._offchain_voter(part)(1, ""), out, "signing-offline",
                  size, scheme, airgap=True)  # fmt: skip
    view.close()
    onchain = open_card_detail(loop, window, Phase.ONCHAIN, size)
    save(onchain, out, "detail-onchain", size, scheme)
    if onchain.detail.onchain is not None:
        onchain.account = voter
        onchain.sign = dialog_signer_source(window, keys, lambda: voter)
        chain_part = onchain.detail.onchain
        shoot_signing(loop, onchain, lambda: onchain._onchain_voter(chain_part)(Support.FOR, ""),
                      out, "signing-transaction", size, scheme)  # fmt: skip
    onchain.close()
    dialog = window.show_accounts()
    dialog.resize(min(size[0] - 80, 1100), min(size[1] - 60, 760))
    settle(loop, 1.5)  # the list and delegation box load
    save(dialog, out, "accounts", size, scheme)
    dialog.hide()
    shoot_dialogs(loop, window, keys, out, size, scheme)


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
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.devnet.demo import Demo, SharedClock
    from app.devnet.network import Devnet
    from app.orgs import devnet_organisations
    from app.pipeline.model import AccountContext
    from app.services import Services
    from ui.theme import Appearance, ThemeFollower
    from ui.views.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the loop outlives the window until the end

    class GalleryLoop(qasync.QEventLoop):  # type: ignore[misc]
        """qasync's run_until_complete processes Qt events once more after the loop has stopped,
        when no asyncio loop is running: a task stepped then (an httpx client closing) fails
        with anyio's NoEventLoopError. The app runs its loop once; the gallery runs it in many
        short turns, so it leaves those events to the next turn instead."""

        def run_until_complete(self, future):  # type: ignore[no-untyped-def]
            future = asyncio.ensure_future(future, loop=self)
            future.add_done_callback(lambda _future: self.stop())
            self.run_forever()
            if not future.done():
                raise RuntimeError("the gallery's loop stopped before its step finished")
            return future.result()

    loop = GalleryLoop(app)
    asyncio.set_event_loop(loop)
    executor = qasync.QThreadExecutor(2)  # ours, so its threads are joined before Qt goes away
    loop.set_default_executor(executor)
    clock = SharedClock()
    with (
        tempfile.TemporaryDirectory() as tmp,
        Devnet(stacks=("alpha",), hub_clock=clock.now) as devnet,
    ):
        # The appearance switch below is saved in QSettings: keep it off the person's settings.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, f"{tmp}/qt")
        follower = ThemeFollower(app, parent=app)
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
            keys = loop.run_until_complete(accounts_keys(services, devnet))
            window._keys = keys  # the window builds its own on first use; the gallery brings one
            window.reload_orgs(select="devnet-alpha")
            window.resize(*SIZES[-1])
            window.show()
            done = asyncio.Event()
            window.board_loaded.connect(lambda _n: done.set())
            loop.run_until_complete(asyncio.wait_for(done.wait(), 30))
            settle(loop, 0.5)
            for scheme in (Appearance.LIGHT, Appearance.DARK):
                follower.set_appearance(scheme)
                for size in SIZES:
                    shoot_all(loop, window, services, devnet, keys, out, size, scheme.value)
            loop.run_until_complete(demo.close())
            window.deleteLater()  # cancels the window's background tasks while the loop runs
            settle(loop, 0.5)
    executor.shutdown(wait=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
