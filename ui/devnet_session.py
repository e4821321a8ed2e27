"""Start the built-in devnet for the window, off the UI thread, and stop it when the app quits.

With ``services``, the fresh devnet is seeded with the README's board (``app.devnet.seed``) and
then mines a block every two seconds; ``reset`` starts it again from that state.
"""

from __future__ import annotations

import asyncio
import logging
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

        devnet = Devnet(stacks=DEVNET_STACKS)
        await asyncio.to_thread(devnet.start)
        self.devnet = devnet
        orgs = devnet_organisations(devnet.describe())
        if self.services is not None:
            from app.devnet.seed import seed_board

            alpha = next(o for o in orgs if o.slug == "devnet-alpha")
            await seed_board(devnet, self.services, alpha)
        return orgs

    async def reset(self) -> list[Organisation]:
        """Stop the devnet and start it afresh, seeded again."""
        await asyncio.to_thread(self.stop)
        return await self.start()

    def stop(self) -> None:
        if self.devnet is not None:
            try:
                self.devnet.stop()
            except AppError as exc:  # stopping must never block quitting
                log.warning("devnet did not stop cleanly: %s", exc.user_message)
            self.devnet = None
