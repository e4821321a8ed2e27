"""The composition root: builds the core's services for a data folder (no Qt, no globals).

Front ends (the CLI, the Qt window, the demo) call ``Services.open()`` and pass what they need
onwards. Everything replaceable in tests (folders, clock) is a constructor argument.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from app.config import default_data_dir
from app.orgs import Organisation, OrgBook, default_config_dir
from app.pipeline.board import Card, build_board
from app.pipeline.drafts import DraftsRepo
from app.pipeline.model import AccountContext, Initiative, TemperatureRule
from app.store.recovery import OpenedStore, open_store

log = logging.getLogger(__name__)
STORE_FILE = "govdesk.db"


@dataclass
class Services:
    data_dir: Path
    store: OpenedStore
    orgs: OrgBook
    drafts: DraftsRepo
    clock: Callable[[], float] = field(default=time.time)

    @classmethod
    def open(
        cls,
        *,
        data_dir: Path | None = None,
        config_dir: Path | None = None,
        presets: Sequence[Organisation] = (),
        clock: Callable[[], float] = time.time,
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
        )

    def close(self) -> None:
        self.store.conn.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def initiatives(self, org: str) -> list[Initiative]:
        """Every initiative of ``org`` known locally (drafts; synced phases join as they land)."""
        return [
            Initiative(
                d.initiative_id, d.title, d.body, d.discussion_url, needs_onchain=d.needs_onchain
            )
            for d in self.drafts.list(org)
        ]

    async def board(self, org: Organisation, account: AccountContext) -> list[Card]:
        conventions = org.conventions
        rule = TemperatureRule(conventions.temperature_yes_choice, conventions.temperature_quorum)
        drafts = self.initiatives(org.slug)
        return build_board(
            drafts,
            account,
            int(self.clock()),
            rule,
            authored=frozenset(i.initiative_id for i in drafts),
        )
