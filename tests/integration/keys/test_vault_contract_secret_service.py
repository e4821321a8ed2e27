"""The KeyVault contract tests, run against KeyringVault on the real Secret Service."""

from __future__ import annotations

import pytest

from app.keys.keyring_vault import KeyringVault
from app.keys.vault import KeyVault
from tests.app.keys.test_vault_contract import (
    test_vault_delete_removes_and_second_delete_fails,
    test_vault_get_missing_raises_account_not_found,
    test_vault_implements_the_protocol,
    test_vault_is_available,
    test_vault_keeps_accounts_apart,
    test_vault_keys_are_case_insensitive_addresses,
    test_vault_put_replaces,
    test_vault_put_then_get_returns_the_sealed_value,
)
from tests.integration.keys.conftest import SecretService

pytestmark = pytest.mark.integration

__all__ = [
    "test_vault_delete_removes_and_second_delete_fails",
    "test_vault_get_missing_raises_account_not_found",
    "test_vault_implements_the_protocol",
    "test_vault_is_available",
    "test_vault_keeps_accounts_apart",
    "test_vault_keys_are_case_insensitive_addresses",
    "test_vault_put_replaces",
    "test_vault_put_then_get_returns_the_sealed_value",
]


@pytest.fixture
def contract_vault(secret_service: SecretService) -> KeyVault:
    return KeyringVault(secret_service.backend, service="govdesk-contract")
