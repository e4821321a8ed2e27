"""Names for the addresses a simulation shows, and what is known about each token."""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_utils.address import to_checksum_address

from app.simulate.units import format_amount


@dataclass(frozen=True)
class TokenMeta:
    symbol: str
    decimals: int


@dataclass
class Labels:
    """Address -> a short name ("Timelock", "DBTRST", "GovernanceDecisions")."""

    names: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, TokenMeta] = field(default_factory=dict)

    def name(self, address: str, label: str) -> None:
        self.names.setdefault(to_checksum_address(address), label)

    def known(self, address: str) -> bool:
        return to_checksum_address(address) in self.names

    def of(self, address: str) -> str:
        checksum = to_checksum_address(address)
        label = self.names.get(checksum)
        short = f"{checksum[:6]}…{checksum[-4:]}"
        return f"{label} ({short})" if label else checksum

    def amount(self, token: str, raw: int) -> str:
        meta = self.tokens.get(to_checksum_address(token))
        if meta is None:
            return f"{raw:,} (raw units of {self.of(token)})"
        return f"{format_amount(raw, meta.decimals)} {meta.symbol}"
