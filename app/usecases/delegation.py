"""Delegation use cases: who holds the votes (the delegates page), who delegates to me, and
Snapshot delegation through the Delegate Registry next to the token's own delegation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.orgs import Organisation
from app.ports import Factories
from app.usecases.signing import FundedSigner, PreviewHints, SignerSource

if TYPE_CHECKING:
    from app.chain.transactions import TxReceipt
    from app.governor.delegates import Delegate, DelegateBook
    from app.snapshot.delegation import SnapshotDelegation


@dataclass(frozen=True)
class DelegatesPage:
    """What the delegates page shows: the ranking, in the token's units, and who delegates to
    the chosen account."""

    symbol: str
    decimals: int
    delegates: list[Delegate]
    to_me: list[str]


class Delegation:
    def __init__(self, factories: Factories) -> None:
        self.factories = factories
        self._books: dict[tuple[int, str], DelegateBook] = {}  # kept for incremental syncs

    async def page(
        self, org: Organisation, account: str | None = None, *, recent: int = 10
    ) -> DelegatesPage:
        """``org``'s delegates, most voting power first, synced from the last block seen; and
        who delegates to ``account``."""
        from app.governor.delegates import DelegateBook

        async with self.factories.governor(org) as governor:
            info = governor.info
            key = (org.network.chain_id, info.address)
            book = self._books.get(key)
            if book is None:
                book = self._books[key] = DelegateBook(info.token.address, info.address)
            await book.sync(governor.rpc)
            to_me = book.delegators_of(account) if account else []
            return DelegatesPage(info.token.symbol, info.token.decimals,
                                 book.ranked(recent=recent), to_me)  # fmt: skip

    async def snapshot_delegation(self, org: Organisation, account: str) -> SnapshotDelegation:
        """``account``'s delegation on ``org``'s Snapshot space (space-specific or global)."""
        from app.snapshot.delegation import read_delegation

        async with self.factories.chain(org) as rpc:
            return await read_delegation(rpc, account, org.snapshot_space)

    async def set_snapshot_delegate(
        self, org: Organisation, sign: SignerSource, delegate: str | None, *,
        all_spaces: bool = False,
    ) -> TxReceipt:  # fmt: skip
        """Delegate on ``org``'s space (or every space) to ``delegate``; None clears it."""
        from app.chain.transactions import TxSender
        from app.keys.preview.calls import GOVERNANCE_ABI
        from app.snapshot.delegation import (
            DELEGATE_REGISTRY,
            clear_delegate_request,
            set_delegate_request,
        )

        space = None if all_spaces else org.snapshot_space
        request = (
            clear_delegate_request(space)
            if delegate is None
            else set_delegate_request(space, delegate)
        )
        hints = PreviewHints({DELEGATE_REGISTRY: GOVERNANCE_ABI}, {})
        async with self.factories.chain(org) as rpc:
            signer = FundedSigner(sign(org, hints), rpc)
            return await TxSender(rpc, signer).send_and_wait(request)
