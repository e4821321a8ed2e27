"""Start the built-in devnet for the window, off the UI thread, and stop it when the app quits."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from app.errors import AppError
from app.orgs import Organisation, devnet_organisations

if TYPE_CHECKING:  # the devnet pulls in web3 and the hub: import it only when it starts
    from app.devnet.network import Devnet

log = logging.getLogger(__name__)
DEVNET_STACKS = ("alpha", "bravo", "oz")


class DevnetSession:
    def __init__(self) -> None:
        self.devnet: Devnet | None = None

    async def start(self) -> list[Organisation]:
        """Start anvil and deploy the stacks (blocking work runs in a thread)."""
        from app.devnet.network import Devnet

        devnet = Devnet(stacks=DEVNET_STACKS)
        await asyncio.to_thread(devnet.start)
        self.devnet = devnet
        return devnet_organisations(devnet.describe())

    def stop(self) -> None:
        if self.devnet is not None:
            try:
                self.devnet.stop()
            except AppError as exc:  # stopping must never block quitting
                log.warning("devnet did not stop cleanly: %s", exc.user_message)
            self.devnet = None
