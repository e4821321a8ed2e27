"""Delegation use cases: who holds the votes (the delegates page), who delegates to me, and
Snapshot delegation through the Delegate Registry next to the token's own delegation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.errors import AppError
from app.orgs import Organisation
from app.ports import Factories, HubSource
from app.usecases.signing import FundedSigner, PreviewHints, SignerSource

if TYPE_CHECKING:
    from app.chain.transactions import TxReceipt
    from app.governor.delegates import Delegate, DelegateBook
    from app.snapshot.delegation import SnapshotDelegation
    from app.snapshot.records import Statement


@dataclass(frozen=True)
class DelegatesPage:
    """What the delegates page shows: the ranking, in the token's units, who delegates to the
    chosen account, and the delegates' Snapshot statements (by lower-case address; empty with a
    ``statements_problem`` when the hub could not be read)."""

    symbol: str
    decimals: int
    delegates: list[Delegate]
    to_me: list[str]
    statements: dict[str, Statement] = field(default_factory=dict)
    statements_problem: str = ""

    def statement_of(self, address: str) -> Statement | None:
        return self.statements.get(address.lower())


SNAPSHOT_PROFILE = "https://snapshot.box/#/s:{space}/profile/{address}"


def statement_url(org: Organisation, address: str) -> str | None:
    """Where snapshot.org's own app shows a delegate's statement; None for other hubs (the
    devnet's), whose statements govdesk shows itself."""
    from app.domain.endpoints import hub_or_default
    from app.snapshot.hub_client import DEFAULT_HUB

    if not org.snapshot_space or hub_or_default(org.snapshot_hub).rstrip("/") != DEFAULT_HUB:
        return None
    return SNAPSHOT_PROFILE.format(space=org.snapshot_space, address=address)


class Delegation:
    def __init__(self, factories: Factories, hubs: HubSource | None = None) -> None:
        self.factories = factories
        self.hubs = hubs or factories.hubs(None)  # Services gives the store's: its API key
        self._books: dict[tuple[int, str], DelegateBook] = {}  # kept for incremental syncs

    async def page(
        self, org: Organisation, account: str | None = None, *, recent: int = 10,
        statements: bool = True,
    ) -> DelegatesPage:  # fmt: skip
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
            ranked = book.ranked(recent=recent)
        found: dict[str, Statement] = {}
        problem = ""
        if statements:
            found, problem = await self._statements(org, [d.address for d in ranked])
        return DelegatesPage(info.token.symbol, info.token.decimals, ranked, to_me,
                             found, problem)  # fmt: skip

    async def _statements(
        self, org: Organisation, delegates: list[str]
    ) -> tuple[dict[str, Statement], str]:
        """The delegates' statements on ``org``'s Snapshot space, if it has one."""
        from app.domain.endpoints import hub_or_default

        if not org.snapshot_space or not delegates:
            return {}, ""
        try:
            async with self.hubs.client(hub_or_default(org.snapshot_hub)) as hub:
                found = await hub.statements(org.snapshot_space, delegates)
        except AppError as exc:  # the ranking stands without them
            return {}, f"Delegate statements could not be read: {exc.user_message}"
        return {s.delegate.lower(): s for s in found if s.status == "ACTIVE"}, ""

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
