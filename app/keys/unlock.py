"""Unlocking: a password opens an account's sealed key for a bounded, idle-limited time.

``UnlockSession`` is the only object that holds decrypted keys. Each use of a key resets its idle
timer; after ``idle_timeout`` seconds without use the key is dropped. Wrong passwords are slowed
down per account: every failure doubles the wait before the next attempt (up to ``max_delay``).
The failure count lives in a ``FailureLedger``: in memory, or in the store (``StoredFailures``),
so that a new process (each CLI command is one) waits as long as the window would (issue #22).
Clock and sleep are injected so tests need not wait.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.address import to_checksum_address

from app.keys.errors import AccountLockedError, WrongPasswordError
from app.keys.keystore import open_sealed_key
from app.keys.vault import KeyVault

log = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
DEFAULT_IDLE_TIMEOUT = 300.0


class UnlockedKey:
    """A decrypted key and its last use. Its repr never shows the key."""

    __slots__ = ("_account", "last_used")

    def __init__(self, account: LocalAccount, last_used: float) -> None:
        self._account = account
        self.last_used = last_used

    def __repr__(self) -> str:
        return f"UnlockedKey({self._account.address}, key=<redacted>)"

    __str__ = __repr__

    @property
    def account(self) -> LocalAccount:
        return self._account


@dataclass(frozen=True)
class ThrottlePolicy:
    """Delay before attempt n+1 after n consecutive failures: base * 2**(n-1), capped."""

    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay_after(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        return float(min(self.base_delay * 2 ** (failures - 1), self.max_delay))


class FailureLedger(Protocol):
    """Consecutive wrong passwords per (checksummed) address."""

    def failures(self, address: str) -> int: ...

    def record_failure(self, address: str) -> int: ...

    def clear(self, address: str) -> None: ...


class MemoryFailures:
    """Failures counted for this process only."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def failures(self, address: str) -> int:
        return self._counts.get(address, 0)

    def record_failure(self, address: str) -> int:
        self._counts[address] = self.failures(address) + 1
        return self._counts[address]

    def clear(self, address: str) -> None:
        self._counts.pop(address, None)


class StoredFailures:
    """Failures kept in the store's ``unlock_failures`` table, shared by every process."""

    def __init__(self, conn: sqlite3.Connection, *, clock: Clock = time.time) -> None:
        self._conn = conn
        self._clock = clock

    def failures(self, address: str) -> int:
        row = self._conn.execute(
            "SELECT failures FROM unlock_failures WHERE address = ?", (address,)
        ).fetchone()
        return int(row[0]) if row else 0

    def record_failure(self, address: str) -> int:
        self._conn.execute(
            "INSERT INTO unlock_failures (address, failures, last_failure_at) VALUES (?, 1, ?)"
            " ON CONFLICT(address) DO UPDATE SET failures = failures + 1,"
            " last_failure_at = excluded.last_failure_at",
            (address, int(self._clock())),
        )
        return self.failures(address)

    def clear(self, address: str) -> None:
        self._conn.execute("DELETE FROM unlock_failures WHERE address = ?", (address,))


class UnlockSession:
    """Holds unlocked keys for one running app; lock() or the idle timeout drops them."""

    def __init__(
        self,
        vault: KeyVault,
        *,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        throttle: ThrottlePolicy | None = None,
        ledger: FailureLedger | None = None,
    ) -> None:
        self._vault = vault
        self._idle_timeout = idle_timeout
        self._clock = clock
        self._sleep = sleep
        self._throttle = throttle or ThrottlePolicy()
        self._keys: dict[str, UnlockedKey] = {}
        self._ledger: FailureLedger = ledger or MemoryFailures()

    def __repr__(self) -> str:
        return f"UnlockSession(unlocked={sorted(self._keys)}, idle_timeout={self._idle_timeout})"

    def failures(self, address: str) -> int:
        return self._ledger.failures(to_checksum_address(address))

    async def unlock(self, address: str, password: str) -> None:
        """Decrypt the account's key with ``password`` (off the event loop) and keep it."""
        address = to_checksum_address(address)
        delay = self._throttle.delay_after(self.failures(address))
        if delay:
            await self._sleep(delay)
        sealed = await self._vault.get(address)
        try:
            private_key = await asyncio.to_thread(open_sealed_key, sealed, password)
        except WrongPasswordError:
            count = self._ledger.record_failure(address)
            log.warning("wrong password for %s (%d in a row)", address, count)
            raise
        self._ledger.clear(address)
        self._keys[address] = UnlockedKey(Account.from_key(private_key), self._clock())
        log.info("unlocked %s", address)

    def lock(self, address: str) -> None:
        self._keys.pop(to_checksum_address(address), None)

    def lock_all(self) -> None:
        self._keys.clear()

    def _expire(self) -> None:
        now = self._clock()
        for address, key in list(self._keys.items()):
            if now - key.last_used >= self._idle_timeout:
                del self._keys[address]
                log.info("locked %s after %.0f s idle", address, self._idle_timeout)

    def is_unlocked(self, address: str) -> bool:
        self._expire()
        return to_checksum_address(address) in self._keys

    def use(self, address: str) -> LocalAccount:
        """The unlocked account (resets its idle timer); ``AccountLockedError`` if locked."""
        self._expire()
        key = self._keys.get(to_checksum_address(address))
        if key is None:
            raise AccountLockedError(
                f"The account {address} is locked. Unlock it with its password first."
            )
        key.last_used = self._clock()
        return key.account
