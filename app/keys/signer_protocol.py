"""The signer interface the Snapshot and Governor code sign through.

Only signatures and raw transactions come out of a signer; key material never does. Callers check
the chain id of their RPC endpoint before asking for a signature; a signer additionally refuses a
transaction or typed-data domain whose chain id differs from the one it was created for.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount

from app.errors import SigningError


@runtime_checkable
class Signer(Protocol):
    """Something that signs for one address on one chain."""

    @property
    def address(self) -> str:
        """The EIP-55 checksum address that signatures recover to."""
        ...

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        """Sign a full EIP-712 message (``types``, ``primaryType``, ``domain``, ``message``).

        Returns the 65-byte signature as ``0x``-prefixed hex.
        """
        ...

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        """Sign a transaction dict (``chainId``, ``nonce``, fees, gas); return the raw bytes."""
        ...


def check_domain_chain(typed_data: dict[str, Any], chain_id: int | None) -> None:
    """Refuse typed data whose domain names another chain than ``chain_id``."""
    domain_chain = typed_data.get("domain", {}).get("chainId")
    if domain_chain is not None and chain_id is not None and int(domain_chain) != chain_id:
        raise SigningError(
            f"Refusing to sign: the message is for chain {int(domain_chain)}, "
            f"but this account is set up for chain {chain_id}."
        )


def check_transaction_chain(transaction: dict[str, Any], chain_id: int | None) -> None:
    tx_chain = transaction.get("chainId")
    if tx_chain is None:
        raise SigningError("Refusing to sign a transaction without a chain id (EIP-155).")
    if chain_id is not None and int(tx_chain) != chain_id:
        raise SigningError(
            f"Refusing to sign: the transaction is for chain {int(tx_chain)}, "
            f"but this account is set up for chain {chain_id}."
        )


class LocalKeySigner:
    """A signer over an in-memory eth-account key (dev accounts, tests, and the unlocked vault)."""

    def __init__(self, private_key: str | bytes, *, chain_id: int | None = None) -> None:
        self._account: LocalAccount = Account.from_key(private_key)
        self._chain_id = chain_id

    def __repr__(self) -> str:  # never show the key
        return f"LocalKeySigner({self._account.address}, chain_id={self._chain_id})"

    @property
    def address(self) -> str:
        return str(self._account.address)

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        check_domain_chain(typed_data, self._chain_id)
        signed = self._account.sign_message(encode_typed_data(full_message=typed_data))
        return "0x" + bytes(signed.signature).hex()

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        check_transaction_chain(transaction, self._chain_id)
        signed = self._account.sign_transaction(transaction)
        return bytes(signed.raw_transaction)
