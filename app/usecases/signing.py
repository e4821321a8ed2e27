"""How use cases get signatures: a ``SignerSource`` the front end supplies, and the funds check
that refuses a transaction the account cannot pay for before anything is shown or signed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.errors import AppError
from app.orgs import Organisation

if TYPE_CHECKING:
    from app.chain.rpc import RpcClient
    from app.governor.client import GovernorClient
    from app.keys.signer_protocol import Signer

Abi = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class PreviewHints:
    """What the signing preview may know: trusted contracts (address -> ABI) and context
    (``proposal_title``, ``choices``, ``tokens``: address -> (symbol, decimals))."""

    abis: Mapping[str, Abi] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)


# (organisation, preview hints) -> the signer for the current account (the dialog in the app).
SignerSource = Callable[[Organisation, PreviewHints], "Signer"]


class InsufficientFundsError(AppError):
    """The account cannot pay the most this transaction may cost; nothing was signed."""


def governor_hints(
    governor: GovernorClient, context: Mapping[str, Any] | None = None
) -> PreviewHints:
    """The governor and its token as trusted contracts, and the token for readable amounts."""
    from app.keys.preview.calls import GOVERNANCE_ABI  # the preview package needs eth_abi

    info = governor.info
    abis: dict[str, Abi] = {info.address: GOVERNANCE_ABI, info.token.address: GOVERNANCE_ABI}
    tokens = {info.token.address: (info.token.symbol, info.token.decimals)}
    return PreviewHints(abis, {"tokens": tokens, **(context or {})})


def max_cost(transaction: Mapping[str, Any]) -> int:
    """Wei the transaction may cost at most: gas limit x max fee per gas, plus its value."""
    gas = int(transaction.get("gas") or 0)
    price = int(transaction.get("maxFeePerGas", transaction.get("gasPrice")) or 0)
    return gas * price + int(transaction.get("value") or 0)


class FundedSigner:
    """A ``Signer`` that first checks the account's ETH covers the transaction's maximum cost."""

    def __init__(self, inner: Signer, rpc: RpcClient) -> None:
        self._inner = inner
        self._rpc = rpc

    @property
    def address(self) -> str:
        return self._inner.address

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        return await self._inner.sign_typed_data(typed_data)

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        from app.keys.preview.calls import format_units

        balance = int(str(await self._rpc.request("eth_getBalance", [self.address, "latest"])), 16)
        needed = max_cost(transaction)
        if balance < needed:
            raise InsufficientFundsError(
                f"{self.address} has {format_units(balance, 18, 'ETH')}, and this transaction "
                f"may cost up to {format_units(needed, 18, 'ETH')} in fees. Add ETH to the "
                "account, then try again. Nothing was signed."
            )
        return await self._inner.sign_transaction(transaction)
