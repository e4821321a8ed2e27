"""The KeyVault protocol: where sealed (password-encrypted) keys are kept, one per address.

A vault stores only sealed envelopes from ``app.keys.keystore``, never a plaintext key. It does not
list accounts: OS keyrings cannot enumerate reliably, so the account list (labels, order, kind)
lives in the local store (``app.keys.metadata``).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

SERVICE_NAME = "govdesk"


@runtime_checkable
class KeyVault(Protocol):
    """Secret storage for sealed keys, keyed by checksum address."""

    async def check_available(self) -> None:
        """Raise ``KeyringUnavailableError`` if secrets cannot be stored here."""
        ...

    async def put(self, address: str, sealed: str) -> None:
        """Store (or replace) the sealed key for ``address``."""
        ...

    async def get(self, address: str) -> str:
        """The sealed key for ``address``; ``AccountNotFoundError`` if there is none."""
        ...

    async def has(self, address: str) -> bool: ...

    async def delete(self, address: str) -> None:
        """Remove the sealed key; ``AccountNotFoundError`` if there is none."""
        ...
