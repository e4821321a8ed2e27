"""The private Secret Service fixture works and leaves no daemon behind."""

from __future__ import annotations

import os

import pytest

from tests.integration.keys.conftest import SecretService

pytestmark = pytest.mark.integration
_SEEN_PIDS: list[int] = []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is dead for our purposes once reaped by Popen.wait.
    return True


def test_secret_service_round_trip(secret_service: SecretService) -> None:
    backend = secret_service.backend
    backend.set_password("govdesk-test", "alice", "s3cret")
    assert backend.get_password("govdesk-test", "alice") == "s3cret"
    assert list((secret_service.home / "share" / "keyrings").iterdir())  # keyring lives in tmp
    assert all(_alive(pid) for pid in secret_service.pids)
    _SEEN_PIDS.extend(secret_service.pids)


def test_no_orphan_daemons_after_teardown() -> None:
    if not _SEEN_PIDS:
        pytest.skip("runs only after test_secret_service_round_trip in the same session")
    assert not any(_alive(pid) for pid in _SEEN_PIDS)
