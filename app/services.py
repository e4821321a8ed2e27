"""The composition root: builds the core's services for a data folder (no Qt, no globals).

Front ends (the CLI, the Qt window, the demo) call ``Services.open()`` and pass what they need
onwards. Everything replaceable in tests is a constructor argument: folders, the clock, and the
``Factories`` (``app.ports``) for the vault, HTTP, RPC and the sequencer, so a test injects an
in-memory vault or clients bound to a devnet without patching any library. Every user action is
a use case in ``services.actions`` (``app.usecases``).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from app.config import STORE_FILE, default_data_dir
from app.orgs import Organisation, OrgBook, default_config_dir
from app.pipeline.assemble import assemble
from app.pipeline.board import Card, build_board
from app.pipeline.drafts import DraftsRepo
from app.pipeline.model import AccountContext, Initiative, TemperatureRule
from app.pipeline.notifications import Notice, notices
from app.ports import Factories, HubSource
from app.store.recovery import OpenedStore, open_store

if TYPE_CHECKING:  # the use cases pull in eth-account and httpx: loaded when first needed
    from app.avatars import AvatarCache
    from app.keys.accounts import AccountManager
    from app.keys.metadata import AccountInfo
    from app.pipeline.detail import ProposalDetail
    from app.pipeline.detail_checks import Verification
    from app.pipeline.sources import Fetched
    from app.snapshot.outbox import Outbox
    from app.snapshot.send import SnapshotService
    from app.snapshot.vote_sync import ProgressCallback
    from app.usecases import Offchain, UseCases

log = logging.getLogger(__name__)


@dataclass
class Services:
    data_dir: Path
    store: OpenedStore
    orgs: OrgBook
    drafts: DraftsRepo
    clock: Callable[[], float] = field(default=time.time)
    factories: Factories = field(default_factory=Factories)
    _manager: AccountManager | None = field(default=None, init=False, repr=False)
    _actions: UseCases | None = field(default=None, init=False, repr=False)
    _offchain: Offchain | None = field(default=None, init=False, repr=False)
    _warm: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    @classmethod
    def open(
        cls,
        *,
        data_dir: Path | None = None,
        config_dir: Path | None = None,
        presets: Sequence[Organisation] = (),
        clock: Callable[[], float] = time.time,
        factories: Factories | None = None,
    ) -> Services:
        data = data_dir or default_data_dir()
        data.mkdir(parents=True, exist_ok=True)
        store = open_store(data / STORE_FILE)
        if store.recovered:
            log.warning(
                "the local store was damaged and rebuilt; a copy is at %s", store.damaged_copy
            )
        return cls(
            data_dir=data,
            store=store,
            orgs=OrgBook(config_dir or default_config_dir(), presets),
            drafts=DraftsRepo(store.conn, clock),
            clock=clock,
            factories=factories or Factories(),
        )

    def close(self) -> None:
        self.store.conn.close()

    @property
    def hubs(self) -> HubSource:
        """Snapshot hub clients for this data folder (``Factories.hub``): each sends the stored
        API key and caches its answers in this store."""
        return self.factories.hubs(self.store.conn, self.clock)

    def account_manager(self) -> AccountManager:
        """The accounts of this data folder; their sealed keys live in the factory's vault
        (the OS keyring unless a test gave another). One manager per services."""
        if self._manager is None:
            from app.keys.accounts import AccountManager  # keyring loads only when keys are used
            from app.keys.metadata import AccountsRepo

            self._manager = AccountManager(
                self.factories.vault(), AccountsRepo(self.store.conn), kdf=self.factories.kdf,
                clock=self.clock,
            )  # fmt: skip
        return self._manager

    async def list_accounts(self) -> list[AccountInfo]:
        """The accounts of this data folder (labels and kinds, nothing secret), read from the
        store without loading the vault or eth-account: the toolbar lists them at start-up."""
        from app.keys.metadata import AccountsRepo

        if self._manager is not None:
            return await self._manager.list_accounts()
        return await asyncio.to_thread(AccountsRepo(self.store.conn).list)

    @property
    def actions(self) -> UseCases:
        """Every user action (``app.usecases``), over this data folder and these factories."""
        if self._actions is None:
            from app.usecases import (
                Accounts,
                Delegation,
                Ideas,
                Onchain,
                Safes,
                Simulations,
                UseCases,
            )

            conn, clock = self.store.conn, self.clock
            self._actions = UseCases(
                ideas=Ideas(self.drafts),
                offchain=self._offchain_cases(),
                onchain=Onchain(self.factories),
                accounts=Accounts(self.account_manager(), conn, self.factories, clock),
                safes=Safes(self.factories, conn, clock),
                delegation=Delegation(self.factories, self.hubs),
                simulation=Simulations(self.factories),
            )
        return self._actions

    def _offchain_cases(self) -> Offchain:
        # Built on its own so the outbox (``snapshot()``) needs none of the other use cases.
        if self._offchain is None:
            from app.usecases.offchain import Offchain

            self._offchain = Offchain(self.factories, self.store.conn, self.clock)
        return self._offchain

    async def warm_up(self) -> None:
        """Load what reading the network and signing need (web3, eth-account, httpx, numpy) in
        a worker thread, once; the board's refresh waits for it, the event loop does not.

        Started by the desktop app as soon as its window shows (issue #20), so neither the
        refresh nor the first signature or verification pays for these imports on the UI thread.
        """
        if all(name in sys.modules for name in NETWORK_STACK):
            return  # loaded (or loading: an import in progress is waited for by the next one)
        loop = asyncio.get_running_loop()
        if self._warm is None or self._warm.get_loop() is not loop:
            self._warm = loop.create_task(asyncio.to_thread(_import_network_stack))
        await asyncio.shield(self._warm)

    def avatar_cache(self) -> AvatarCache:
        """Organisation avatars, fetched and checked by the core; views read the files only."""
        from app.avatars import AvatarCache

        return AvatarCache(self.data_dir / "avatars", clock=self.clock)

    async def org_avatar(self, org: Organisation) -> Path | None:
        """The cached Snapshot space avatar of ``org``, refreshed from its hub when stale.

        Only an organisation that names its hub is asked (no lookup goes to a default host).
        """
        cache = self.avatar_cache()
        if not org.snapshot_space or not org.snapshot_hub:
            return cache.cached(org.snapshot_space) if org.snapshot_space else None
        await self.warm_up()  # httpx loads in a worker thread, not on the event loop
        import httpx

        from app.stream_http import StreamTransport
        from app.tls import shared_context

        transport = StreamTransport(verify=shared_context())
        async with httpx.AsyncClient(transport=transport) as client:
            return await cache.refresh(client, org.snapshot_hub, org.snapshot_space)

    def __enter__(self) -> Services:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def outbox(self) -> Outbox:
        """The signed Snapshot messages of this data folder (stored before they are sent)."""
        from app.snapshot.outbox import Outbox

        return Outbox(self.store.conn, clock=self.clock)

    async def detail(
        self, org: Organisation, initiative: Initiative, account: str | None
    ) -> ProposalDetail:
        """What the detail view shows for ``initiative``, read through this folder's factories
        (the hub with the stored API key and cache)."""
        from app.pipeline.detail import load_detail

        return await load_detail(org, initiative, account, self.factories, self.hubs)

    async def verify(
        self, org: Organisation, detail: ProposalDetail, progress: ProgressCallback | None = None
    ) -> tuple[Verification, ...]:
        """Recount ``detail`` from its votes; Snapshot votes are cached in this store, so a
        second verification fetches only what is new."""
        from app.pipeline.detail import verify_results

        return await verify_results(
            org, detail, self.factories, conn=self.store.conn, progress=progress
        )

    async def voter_names(self, org: Organisation, addresses: Sequence[str]) -> dict[str, str]:
        """Verified ENS names of ``addresses`` on ``org``'s network (cached for a day)."""
        from app.pipeline.names import NameCache, ens_names

        cache = NameCache(self.store.conn, self.clock)
        return await ens_names(self.factories, org, addresses, cache)

    def snapshot(self) -> SnapshotService:
        """Snapshot for this data folder: space rules, signing, the outbox and the sequencer
        (the one the off-chain use cases send through)."""
        return self._offchain_cases().snapshot

    def voted_offchain(self, account: str | None) -> set[str]:
        """Snapshot proposals ``account`` has voted on through govdesk (from the outbox)."""
        if not account:
            return set()
        from app.snapshot.outbox import Outbox

        return Outbox(self.store.conn).voted_proposals(account)

    async def refresh_forum_stats(self, org: str) -> int:
        """Read the discussion threads of ``org``'s ideas (Discourse); return how many changed."""
        from app.pipeline.forum import fetch_thread_stats

        drafts = [d for d in self.drafts.list(org) if d.discussion_url]
        if not drafts:
            return 0
        async with self.factories.http() as client:
            found = await asyncio.gather(
                *(fetch_thread_stats(client, d.discussion_url) for d in drafts)
            )
        changed = 0
        for draft, stats in zip(drafts, found, strict=True):
            if stats is None:
                continue
            if (draft.forum_replies, draft.forum_last_activity) != (
                stats.replies,
                stats.last_activity,
            ):
                self.drafts.set_forum_stats(draft.initiative_id, stats.replies, stats.last_activity)
                changed += 1
        return changed

    async def initiatives(self, org: Organisation, account: str | None = None) -> Assembled:
        """Every initiative of ``org``: local drafts linked with its Snapshot and on-chain work."""
        from app.pipeline.sources import fetch_governor, fetch_snapshot

        await self.warm_up()  # web3 and httpx load in a worker thread, not on the event loop
        offchain, onchain = await asyncio.gather(
            fetch_snapshot(org, self.voted_offchain(account), self.hubs),
            fetch_governor(org, account, self.store.conn, self.factories, self.clock),
        )
        return self._assemble(org, offchain, onchain)

    def _assemble(self, org: Organisation, *found: Fetched) -> Assembled:
        from app.pipeline.sources import tags_of

        drafts = self.drafts.list(org.slug)
        artefacts = [a for fetched in found for a in fetched.artefacts]
        initiatives = assemble(
            drafts, artefacts, manual=self.drafts.manual_links(org.slug), tags=tags_of(org)
        )
        authored = frozenset(d.initiative_id for d in drafts)
        problems = [p for fetched in found for p in fetched.problems]
        return Assembled(initiatives, problems, authored)

    def saved_board(
        self, org: Organisation, account: AccountContext | str | None = None
    ) -> BoardResult:
        """The board of ``org`` from this store alone: its drafts, and the Snapshot checks and
        governor proposals as last read. No network and no web3, eth-account or httpx: the
        window shows this at once (issue #20), then ``board()`` brings it up to date.

        The account's power is not known here (it is read from the chain and hub), so its
        "Needs my vote" and next steps are those of an account with none, until the refresh.
        """
        from app.pipeline.sources import saved_artefacts

        context = account if isinstance(account, AccountContext) else AccountContext(account)
        address = context.address
        saved = saved_artefacts(org, self.voted_offchain(address), address, self.store.conn)
        return self._board(org, self._assemble(org, saved), context)

    def _board(self, org: Organisation, found: Assembled, context: AccountContext) -> BoardResult:
        conventions = org.conventions
        rule = TemperatureRule(conventions.temperature_yes_choice, conventions.temperature_quorum)
        now = int(self.clock())
        cards = build_board(found.initiatives, context, now, rule, authored=found.authored)
        alerts = notices(found.initiatives, context, now, rule)
        return BoardResult(cards, list(found.problems), alerts, context)

    async def board(
        self, org: Organisation, account: AccountContext | str | None = None
    ) -> BoardResult:
        """The board of ``org``. Given an address, the account's delegation, power and votes
        are read from the chain and the hub (``app.pipeline.account``) so its next steps and
        "Needs my vote" are right; given an ``AccountContext``, that one is used as is."""
        from app.pipeline.account import read_account, with_account_power

        address = account.address if isinstance(account, AccountContext) else account
        found = await self.initiatives(org, address)
        if isinstance(account, AccountContext):
            return self._board(org, found, account)
        now = int(self.clock())
        reading = await read_account(
            self.factories, org, address, found.initiatives, now, self.hubs
        )
        initiatives = with_account_power(found.initiatives, reading.offchain_power)
        found = Assembled(initiatives, [*found.problems, *reading.problems], found.authored)
        return self._board(org, found, reading.context)


@dataclass(frozen=True)
class Assembled:
    initiatives: list[Initiative]
    problems: list[str]  # sources that could not be read, in plain words
    authored: frozenset[str] = frozenset()  # ids of the local drafts (ideas drafted here)


@dataclass(frozen=True)
class BoardResult:
    cards: list[Card]
    problems: list[str]
    notices: list[Notice] = field(default_factory=list)
    account: AccountContext = field(default_factory=lambda: AccountContext(None))


# What the first network read, signature or verification imports: web3 and its providers,
# eth-account (py_ecc's pairing tables behind eth-keyfile), httpx, numpy and msgspec.
NETWORK_STACK = (
    "app.pipeline.sources",
    "app.pipeline.account",
    "app.governor.client",
    "app.snapshot.hub_client",
    "app.snapshot.send",
    "app.snapshot.envelope",
    "app.snapshot.messages",
    "app.keys.accounts",
    "app.keys.vault_signers",
    "app.keys.keyring_vault",
    "app.keys.preview",
    "app.usecases",
    "app.pipeline.detail",
    "app.pipeline.voting",
    "httpcore",  # httpx loads its transport with the first client
    "anyio",
)


def _import_network_stack() -> None:
    from app.tls import shared_context

    for name in NETWORK_STACK:
        importlib.import_module(name)
    shared_context()  # reads the CA bundle here, not on the event loop's thread
