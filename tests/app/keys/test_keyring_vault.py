"""KeyringVault specifics: refuses unusable or plaintext backends, maps keyring errors, stores
under service name + checksum address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keyring.backends.fail
import pytest
from keyring.errors import InitError

from app.keys.errors import KeyringUnavailableError
from app.keys.keyring_vault import KeyringVault
from tests.app.keys.conftest import MemoryKeyring

ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


class LockedKeyring(MemoryKeyring):
    """Behaves like a Secret Service whose unlock prompt was dismissed."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise InitError("Failed to create the collection: Prompt dismissed.")

    def get_password(self, service: str, username: str) -> str | None:
        raise InitError("Failed to unlock the collection!")


class PlaintextLikeKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's PlaintextKeyring (same module path, so the same verdict)."""


PlaintextLikeKeyring.__module__ = "keyrings.alt.file"


async def test_keyring_vault_stores_under_service_and_checksum_address() -> None:
    backend = MemoryKeyring()
    await KeyringVault(backend).put(ADDRESS.lower(), "sealed")
    assert backend.items == {("govdesk", ADDRESS): "sealed"}


@pytest.mark.parametrize(
    "backend",
    [keyring.backends.fail.Keyring(), PlaintextLikeKeyring()],
    ids=["fail-backend", "plaintext-file-backend"],
)
async def test_keyring_vault_refuses_unusable_backends(backend: object) -> None:
    vault = KeyringVault(backend)  # type: ignore[arg-type]
    with pytest.raises(KeyringUnavailableError) as info:
        await vault.put(ADDRESS, "sealed")
    assert "never stores keys in plaintext" in info.value.user_message
    assert "Secret Service" in info.value.user_message
    with pytest.raises(KeyringUnavailableError):
        await vault.check_available()
    if isinstance(backend, MemoryKeyring):
        assert backend.items == {}


async def test_keyring_vault_maps_keyring_errors_to_unavailable() -> None:
    vault = KeyringVault(LockedKeyring())
    with pytest.raises(KeyringUnavailableError) as info:
        await vault.put(ADDRESS, "sealed")
    assert "Prompt dismissed" in (info.value.detail or "")
    with pytest.raises(KeyringUnavailableError):
        await vault.has(ADDRESS)


def test_keyring_vault_repr_names_backend_only() -> None:
    assert repr(KeyringVault(MemoryKeyring())) == (
        "KeyringVault(service='govdesk', backend=MemoryKeyring)"
    )


async def test_default_selection_with_nothing_usable_is_refused(
    process_keyring: Callable[[Any], None],
) -> None:
    process_keyring(keyring.backends.fail.Keyring())  # what keyring finds on a bare system
    with pytest.raises(KeyringUnavailableError) as info:
        await KeyringVault().check_available()
    assert "keyring.backends.fail" in (info.value.detail or "")


def test_memory_test_backend_never_wins_automatic_selection() -> None:
    assert MemoryKeyring.priority < keyring.backends.fail.Keyring.priority


class VanishedBusKeyring(MemoryKeyring):
    """The D-Bus socket went away: jeepney raises a plain OSError, not a KeyringError."""

    def get_password(self, service: str, username: str) -> str | None:
        raise FileNotFoundError(2, "No such file or directory")


async def test_keyring_vault_maps_os_errors_to_unavailable() -> None:
    with pytest.raises(KeyringUnavailableError) as info:
        await KeyringVault(VanishedBusKeyring()).get(ADDRESS)
    assert "FileNotFoundError" in (info.value.detail or "")
