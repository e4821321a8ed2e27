"""The devnet's dev accounts: derived from anvil's public test mnemonic, so their keys are public.

These keys exist only for the local devnet. They are printed by ``govdesk devnet up`` on purpose,
and must never hold value on a real network.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account

from app.devnet.anvil import DEV_MNEMONIC

Account.enable_unaudited_hdwallet_features()


@dataclass(frozen=True)
class DevAccount:
    address: str
    dev_key: str  # hex private key of a public test mnemonic; devnet only

    def __repr__(self) -> str:  # keep keys out of logs even for dev accounts
        return f"DevAccount({self.address})"


def dev_accounts(count: int = 10, mnemonic: str = DEV_MNEMONIC) -> list[DevAccount]:
    """The first ``count`` accounts anvil funds for ``mnemonic`` (path m/44'/60'/0'/0/i)."""
    result = []
    for index in range(count):
        acct = Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{index}")
        result.append(DevAccount(acct.address, acct.key.to_0x_hex()))
    return result
