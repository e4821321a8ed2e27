"""UnlockSession: password unlock, idle timeout, throttled wrong passwords, redacted reprs."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.keys.errors import AccountLockedError, WrongPasswordError
from app.keys.keystore import seal_private_key
from app.keys.memory_vault import MemoryVault
from app.keys.unlock import StoredFailures, ThrottlePolicy, UnlockSession
from app.store.database import connect
from tests.app.keys.conftest import (
    FAST_KDF,
    HARDHAT_ADDRESS_0,
    HARDHAT_KEY_0,
    FakeClock,
    RecordingSleep,
)

PASSWORD = "correct horse battery"


@pytest.fixture
async def sealed_vault() -> MemoryVault:
    vault = MemoryVault()
    sealed = seal_private_key(bytes.fromhex(HARDHAT_KEY_0[2:]), PASSWORD, kdf=FAST_KDF)
    await vault.put(HARDHAT_ADDRESS_0, sealed)
    return vault


async def test_unlock_then_idle_timeout_locks_again(sealed_vault: MemoryVault) -> None:
    clock = FakeClock()
    session = UnlockSession(sealed_vault, idle_timeout=60, clock=clock)
    assert not session.is_unlocked(HARDHAT_ADDRESS_0)
    await session.unlock(HARDHAT_ADDRESS_0, PASSWORD)
    clock.advance(59)
    assert session.use(HARDHAT_ADDRESS_0).address == HARDHAT_ADDRESS_0  # use resets the timer
    clock.advance(59)
    assert session.is_unlocked(HARDHAT_ADDRESS_0)
    clock.advance(1)
    assert not session.is_unlocked(HARDHAT_ADDRESS_0)
    with pytest.raises(AccountLockedError, match="locked"):
        session.use(HARDHAT_ADDRESS_0)


async def test_lock_drops_the_key(sealed_vault: MemoryVault) -> None:
    session = UnlockSession(sealed_vault)
    await session.unlock(HARDHAT_ADDRESS_0, PASSWORD)
    session.lock(HARDHAT_ADDRESS_0)
    assert not session.is_unlocked(HARDHAT_ADDRESS_0)
    await session.unlock(HARDHAT_ADDRESS_0, PASSWORD)
    session.lock_all()
    assert not session.is_unlocked(HARDHAT_ADDRESS_0)


async def test_wrong_passwords_are_slowed_down_more_each_time(sealed_vault: MemoryVault) -> None:
    sleep = RecordingSleep()
    session = UnlockSession(
        sealed_vault, sleep=sleep, throttle=ThrottlePolicy(base_delay=0.5, max_delay=3.0)
    )
    for _ in range(5):
        with pytest.raises(WrongPasswordError):
            await session.unlock(HARDHAT_ADDRESS_0, "nope nope")
    assert sleep.delays == [0.5, 1.0, 2.0, 3.0]
    assert session.failures(HARDHAT_ADDRESS_0) == 5
    await session.unlock(HARDHAT_ADDRESS_0, PASSWORD)  # still waits once more, then resets
    assert sleep.delays[-1] == 3.0
    assert session.failures(HARDHAT_ADDRESS_0) == 0
    with pytest.raises(WrongPasswordError):
        await session.unlock(HARDHAT_ADDRESS_0, "nope nope")
    assert len(sleep.delays) == 5  # the first failure after a success waits nothing


async def test_reprs_and_logs_never_show_the_key(
    sealed_vault: MemoryVault, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    session = UnlockSession(sealed_vault)
    await session.unlock(HARDHAT_ADDRESS_0, PASSWORD)
    with pytest.raises(WrongPasswordError):
        await session.unlock(HARDHAT_ADDRESS_0, "other password")
    key = session._keys[HARDHAT_ADDRESS_0]
    for text in (repr(session), repr(key), str(key), caplog.text):
        assert HARDHAT_KEY_0[2:] not in text.lower()
        assert PASSWORD not in text
    assert "<redacted>" in repr(key)


async def test_wrong_password_delay_grows_across_processes(
    sealed_vault: MemoryVault, tmp_path: Path
) -> None:
    """Each CLI command is a new process: the count lives in the store (issue #22, finding 10)."""
    path = tmp_path / "store.sqlite3"
    sleep = RecordingSleep()
    for _ in range(4):  # four separate "processes": a new connection and session each time
        conn = connect(path)
        session = UnlockSession(sealed_vault, sleep=sleep, ledger=StoredFailures(conn))
        with pytest.raises(WrongPasswordError):
            await session.unlock(HARDHAT_ADDRESS_0, "nope nope")
        conn.close()
    assert sleep.delays == [1.0, 2.0, 4.0]
    conn = connect(path)
    session = UnlockSession(sealed_vault, sleep=sleep, ledger=StoredFailures(conn))
    await session.unlock(HARDHAT_ADDRESS_0, PASSWORD)
    assert sleep.delays[-1] == 8.0
    assert StoredFailures(connect(path)).failures(HARDHAT_ADDRESS_0) == 0
