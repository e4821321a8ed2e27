"""Start the built-in devnet for the window, off the UI thread, and stop it when the app quits.

With ``services``, the devnet is kept in the data folder between launches (chain, hub, addresses);
a fresh one is seeded with the README's board (``app.devnet.seed``). It mines a block every two
seconds; ``reset`` forgets the kept state and starts again from the seeded board.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import AppError
from app.orgs import Organisation, devnet_organisations

if TYPE_CHECKING:  # the devnet pulls in web3 and the hub: import it only when it starts
    from app.devnet.network import Devnet
    from app.services import Services

log = logging.getLogger(__name__)
DEVNET_STACKS = ("alpha", "bravo", "oz")


class DevnetSession:
    def __init__(self) -> None:
        self.devnet: Devnet | None = None
        self.services: Services | None = None  # set: seed the board once started

    async def start(self) -> list[Organisation]:
        """Start anvil and deploy the stacks (blocking work runs in a thread), then seed."""
        from app.devnet.network import Devnet

        state = self.state_dir()
        devnet = Devnet(stacks=DEVNET_STACKS, state_dir=state)
        await asyncio.to_thread(devnet.start)
        self.devnet = devnet
        orgs = devnet_organisations(devnet.describe())
        if self.services is not None and not devnet.resumed:
            from app.devnet.seed import seed_board

            alpha = next(o for o in orgs if o.slug == "devnet-alpha")
            await seed_board(devnet, self.services, alpha, interval_s=None)
        if self.services is not None:  # the app's devnet moves on its own: countdowns change
            from app.devnet.seed import INTERVAL_S

            await asyncio.to_thread(devnet.control.request, "evm_setIntervalMining", [INTERVAL_S])
        return orgs

    def state_dir(self) -> Path | None:
        """Where the devnet is kept between launches (in the data folder), when there is one."""
        return self.services.data_dir / "devnet" if self.services is not None else None

    async def reset(self) -> list[Organisation]:
        """Stop the devnet, forget its kept state, and start it afresh, seeded again."""
        await asyncio.to_thread(self.stop)
        state = self.state_dir()
        if state is not None:
            await asyncio.to_thread(shutil.rmtree, state, True)
        return await self.start()

    def stop(self) -> None:
        if self.devnet is not None:
            try:
                self.devnet.stop()
            except AppError as exc:  # stopping must never block quitting
                log.warning("devnet did not stop cleanly: %s", exc.user_message)
            self.devnet = None
