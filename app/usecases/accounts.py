"""Account use cases: create, import, back up, remove — and the balances shown beside them.

A key created here has no copy anywhere else until it is backed up (exported as a keystore
file); that is recorded (schema 8), so removing a never-backed-up key can warn first.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import AppError, InputError
from app.keys.metadata import AccountInfo, AccountKind, AccountSource
from app.orgs import Organisation
from app.ports import Factories

if TYPE_CHECKING:
    from app.keys.accounts import AccountManager

# anvil's public test phrase: every devnet funds its first accounts; never for real funds.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_ACCOUNT_COUNT = 10


def is_devnet(org: Organisation) -> bool:
    """The built-in devnet's organisations (where ready-made dev accounts make sense)."""
    return org.slug.startswith("devnet-") and org.network.chain_id == 31337


@dataclass(frozen=True)
class Balances:
    eth_wei: int
    token: int | None  # None: the organisation has no governor token to read
    symbol: str = ""
    decimals: int = 18

    @property
    def eth_text(self) -> str:
        """Rounded down to 4 decimals: a balance to read (the preview shows exact amounts)."""
        from app.keys.preview.calls import format_units  # eth_abi: loaded when shown

        shown = self.eth_wei - self.eth_wei % 10**14
        text = format_units(shown, 18, "ETH")
        return text if shown or not self.eth_wei else "< 0.0001 ETH"

    @property
    def token_text(self) -> str:
        from app.keys.preview.calls import format_units

        return "" if self.token is None else format_units(self.token, self.decimals, self.symbol)


class Accounts:
    def __init__(
        self,
        manager: AccountManager,
        conn: sqlite3.Connection,
        factories: Factories,
        clock: Callable[[], float],
    ) -> None:
        self.manager, self._conn, self.factories, self._clock = manager, conn, factories, clock

    # --- ready-made devnet accounts ---

    async def add_dev_account(self, index: int, password: str) -> AccountInfo:
        """Dev account ``index`` of the built-in devnet (anvil's public test phrase), sealed
        like any key. Its key is public: for the local devnet only."""
        if not 0 <= index < DEV_ACCOUNT_COUNT:
            raise InputError(f"The devnet has dev accounts 0 to {DEV_ACCOUNT_COUNT - 1}.")
        return await self.manager.import_mnemonic(
            DEV_MNEMONIC, password, index=index, label=f"Dev {index}"
        )

    # --- backups ---

    def _backed_up(self, address: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM account_backups WHERE address = ?", (address,)
        ).fetchone()
        return row is not None

    async def needs_backup(self, info: AccountInfo) -> bool:
        """A key created on this device that was never exported exists nowhere else."""
        if info.kind is not AccountKind.LOCAL or info.source is not AccountSource.CREATED:
            return False
        return not await asyncio.to_thread(self._backed_up, info.address)

    async def back_up(self, address: str, password: str, new_password: str, path: Path) -> Path:
        """Write a keystore file of ``address`` to ``path`` (owner-only) and record the backup."""
        from app.keys.accounts import keystore_to_json
        from app.keys.files import write_private_file

        keystore = await self.manager.export_keystore_unsafe(address, password, new_password)
        try:
            await asyncio.to_thread(write_private_file, path, keystore_to_json(keystore))
        except OSError as exc:
            raise AppError(f"Cannot write {path}.", detail=str(exc)) from None
        await asyncio.to_thread(self._record_backup, address)
        return path

    def _record_backup(self, address: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO account_backups (address, backed_up_at) VALUES (?, ?)",
            (address, int(self._clock())),
        )

    async def remove(self, address: str) -> None:
        await self.manager.remove(address)
        await asyncio.to_thread(
            self._conn.execute, "DELETE FROM account_backups WHERE address = ?", (address,)
        )

    # --- balances ---

    async def balances(self, org: Organisation, address: str) -> Balances:
        """ETH on ``org``'s network and the governor token's balance of ``address``."""
        if not org.governor:
            async with self.factories.chain(org) as rpc:
                wei = int(str(await rpc.request("eth_getBalance", [address, "latest"])), 16)
            return Balances(wei, None)
        from app.chain.abi_codec import fn
        from app.chain.multicall import Call

        balance_of = fn("balanceOf(address)", "uint256")
        async with self.factories.governor(org) as governor:
            wei = int(str(await governor.rpc.request("eth_getBalance", [address, "latest"])), 16)
            token = governor.info.token
            (result,) = await governor.multicall.run(
                [Call(token.address, balance_of.encode(address))]
            )
        amount = int(balance_of.decode_one(result.data)) if result.success else None
        return Balances(wei, amount, token.symbol, token.decimals)
