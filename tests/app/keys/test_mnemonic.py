"""BIP-39 / BIP-44 derivation against published vectors."""

from __future__ import annotations

import pytest

from app.keys.errors import InvalidKeyMaterialError
from app.keys.mnemonic import list_addresses, normalize_mnemonic, resolve_path
from tests.app.keys.conftest import HARDHAT_MNEMONIC

ABANDON_ABOUT = "abandon " * 11 + "about"


def test_hardhat_anvil_mnemonic_gives_the_published_dev_accounts() -> None:
    # Hardhat/anvil document these as the first three default accounts.
    derived = list_addresses(HARDHAT_MNEMONIC, count=3)
    assert [d.address for d in derived] == [
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    ]
    assert [d.path for d in derived] == [f"m/44'/60'/0'/0/{i}" for i in range(3)]


def test_abandon_about_vector_gives_the_published_first_address() -> None:
    # The BIP-39 all-zero-entropy phrase; m/44'/60'/0'/0/0 is 0x9858…Da94 in ethers/MetaMask.
    assert list_addresses(ABANDON_ABOUT, count=1)[0].address == (
        "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"
    )


def test_bip39_passphrase_changes_the_addresses() -> None:
    plain = list_addresses(ABANDON_ABOUT, count=1)[0].address
    assert list_addresses(ABANDON_ABOUT, count=1, passphrase="TREZOR")[0].address != plain


def test_ledger_live_preset_moves_the_account_index() -> None:
    derived = list_addresses(HARDHAT_MNEMONIC, template="ledger-live", count=2)
    assert [d.path for d in derived] == ["m/44'/60'/0'/0/0", "m/44'/60'/1'/0/0"]
    assert derived[0].address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_fixed_path_lists_one_address() -> None:
    assert len(list_addresses(HARDHAT_MNEMONIC, template="m/44'/60'/0'/0/7", count=5)) == 1


def test_mnemonic_is_normalized_for_case_and_spacing() -> None:
    messy = "  TEST test\ttest test test test test test test test test   Junk "
    assert normalize_mnemonic(messy) == HARDHAT_MNEMONIC


def test_invalid_mnemonic_error_does_not_echo_the_words() -> None:
    bad = "test test test test test test test test test test test test"  # bad checksum
    with pytest.raises(InvalidKeyMaterialError) as info:
        list_addresses(bad)
    assert "test test" not in str(info.value)
    assert "recovery phrase" in info.value.user_message


@pytest.mark.parametrize("template", ["m/44'/60'/x/0", "44'/60'/0'/0/0", ""])
def test_bad_derivation_path_is_rejected(template: str) -> None:
    with pytest.raises(InvalidKeyMaterialError, match="derivation path"):
        resolve_path(template, 0)


def test_list_count_is_bounded() -> None:
    with pytest.raises(InvalidKeyMaterialError, match="between 1 and"):
        list_addresses(HARDHAT_MNEMONIC, count=0)


def test_resolve_path_refuses_indices_bip32_cannot_derive() -> None:
    assert resolve_path("bip44", 2**31 - 1) == "m/44'/60'/0'/0/2147483647"
    for index in (-1, 2**31, 2**32):
        with pytest.raises(InvalidKeyMaterialError, match="must be a whole number from 0 to"):
            resolve_path("ledger-live", index)
