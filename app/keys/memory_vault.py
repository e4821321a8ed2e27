"""MemoryVault: a KeyVault in a dict, for tests and throw-away dev runs."""

from __future__ import annotations

from eth_utils.address import to_checksum_address

from app.keys.errors import AccountNotFoundError


class MemoryVault:
    """Holds sealed envelopes in memory; gone when the process ends."""

    def __init__(self) -> None:
        self._sealed: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"MemoryVault({len(self._sealed)} keys)"

    async def check_available(self) -> None:
        return None

    async def put(self, address: str, sealed: str) -> None:
        self._sealed[to_checksum_address(address)] = sealed

    async def get(self, address: str) -> str:
        try:
            return self._sealed[to_checksum_address(address)]
        except KeyError:
            raise AccountNotFoundError(f"No key is stored for {address}.") from None

    async def has(self, address: str) -> bool:
        return to_checksum_address(address) in self._sealed

    async def delete(self, address: str) -> None:
        if self._sealed.pop(to_checksum_address(address), None) is None:
            raise AccountNotFoundError(f"No key is stored for {address}.")
