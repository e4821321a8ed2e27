"""The KeyVault contract: every implementation stores, replaces, reads and deletes sealed keys alike.

``tests/integration/keys`` runs this same module against the real Secret Service.
"""

from __future__ import annotations

import pytest

from app.keys.errors import AccountNotFoundError
from app.keys.keyring_vault import KeyringVault
from app.keys.memory_vault import MemoryVault
from app.keys.vault import KeyVault
from tests.app.keys.conftest import MemoryKeyring

ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
OTHER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"


@pytest.fixture(params=["memory", "keyring-memory-backend"])
def contract_vault(request: pytest.FixtureRequest) -> KeyVault:
    if request.param == "memory":
        return MemoryVault()
    return KeyringVault(MemoryKeyring(), service="govdesk-test")


def test_vault_implements_the_protocol(contract_vault: KeyVault) -> None:
    assert isinstance(contract_vault, KeyVault)


async def test_vault_is_available(contract_vault: KeyVault) -> None:
    await contract_vault.check_available()


async def test_vault_put_then_get_returns_the_sealed_value(contract_vault: KeyVault) -> None:
    await contract_vault.put(ADDRESS, '{"sealed": 1}')
    assert await contract_vault.get(ADDRESS) == '{"sealed": 1}'
    assert await contract_vault.has(ADDRESS)
    assert not await contract_vault.has(OTHER)


async def test_vault_keys_are_case_insensitive_addresses(contract_vault: KeyVault) -> None:
    await contract_vault.put(ADDRESS.lower(), "x")
    assert await contract_vault.get(ADDRESS) == "x"


async def test_vault_put_replaces(contract_vault: KeyVault) -> None:
    await contract_vault.put(ADDRESS, "first")
    await contract_vault.put(ADDRESS, "second")
    assert await contract_vault.get(ADDRESS) == "second"


async def test_vault_get_missing_raises_account_not_found(contract_vault: KeyVault) -> None:
    with pytest.raises(AccountNotFoundError) as info:
        await contract_vault.get(OTHER)
    assert OTHER in info.value.user_message


async def test_vault_delete_removes_and_second_delete_fails(contract_vault: KeyVault) -> None:
    await contract_vault.put(ADDRESS, "x")
    await contract_vault.delete(ADDRESS)
    assert not await contract_vault.has(ADDRESS)
    with pytest.raises(AccountNotFoundError):
        await contract_vault.delete(ADDRESS)


async def test_vault_keeps_accounts_apart(contract_vault: KeyVault) -> None:
    await contract_vault.put(ADDRESS, "a")
    await contract_vault.put(OTHER, "b")
    await contract_vault.delete(ADDRESS)
    assert await contract_vault.get(OTHER) == "b"
