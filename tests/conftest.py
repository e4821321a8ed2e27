"""Shared test fixtures: nothing global, everything injected."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

# Qt must never need a display in tests; screenshots use Xvfb explicitly (scripts/screenshots).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def _session_qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    # One loop object for the whole session: qasync's stop() on an "already running" loop calls
    # QApplication.exit(), which would break the loops of later tests. Its executor is ours, so
    # its worker threads are joined before Qt goes away (else: "QThread: Destroyed while ...").
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.events._set_running_loop(None)
    executor = qasync.QThreadExecutor(2)
    loop.set_default_executor(executor)
    yield loop
    executor.shutdown(wait=True)


@pytest.fixture
def qloop(_session_qloop: qasync.QEventLoop) -> Iterator[qasync.QEventLoop]:
    """The qasync loop, seen as running by run_task code during this test only (toolchain.md §2)."""
    asyncio.set_event_loop(_session_qloop)
    asyncio.events._set_running_loop(_session_qloop)
    yield _session_qloop
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def process_keyring() -> Iterator[Callable[[Any], None]]:
    """Sets the backend ``keyring`` hands every caller in this process, as a person's system
    would choose it, through keyring's public ``set_keyring``; the previous one is put back."""
    import keyring

    before = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(before)
