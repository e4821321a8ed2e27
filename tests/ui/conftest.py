"""UI test fixtures: services on temp folders (the qasync loop fixtures live in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.keys.memory_vault import MemoryVault
from app.orgs import BRAINTRUST
from app.ports import Factories
from app.services import Services
from tests.app.keys.conftest import FAST_KDF

# Real local parts instead of the OS keyring: an in-memory vault and a fast KDF, injected at the
# composition root (no library internals patched). Tests of the real Secret Service build theirs.
LOCAL_FACTORIES = Factories(vault=MemoryVault, kdf=FAST_KDF)


@pytest.fixture
def services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    # QSettings must not touch the developer's real settings.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    # The Braintrust preset without its remote sources: a window test that shows it reads only the
    # local store and never looks up a public host (tests talk to 127.0.0.1 only).
    offline_braintrust = replace(
        BRAINTRUST, network=replace(BRAINTRUST.network, rpc_urls=()), snapshot_hub="", governor=""
    )
    with Services.open(
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        presets=[offline_braintrust],
        factories=LOCAL_FACTORIES,
    ) as svc:
        yield svc
