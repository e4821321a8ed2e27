"""The on-chain artefacts the board last read, kept in the store for offline reading."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence

from app.pipeline.assemble import Artefact
from app.pipeline.linking import Item, ItemKey, ItemKind
from app.pipeline.model import OnchainProposal, OnchainState
from app.store.database import transaction


def save_onchain(
    conn: sqlite3.Connection,
    chain_id: int,
    governor: str,
    artefacts: Sequence[Artefact],
    account: str | None,
) -> None:
    """Replace the cached proposals of one governor with ``artefacts``."""
    now = int(time.time())
    rows = [
        (chain_id, governor, str(p.proposal_id), a.item.title, a.item.text, int(p.state),
         p.vote_start, p.vote_end, p.eta, account or "", int(p.account_voted), a.sort_key, now)
        for a in artefacts
        if (p := a.onchain) is not None
    ]  # fmt: skip
    with transaction(conn):
        conn.execute(
            "DELETE FROM onchain_cache WHERE chain_id = ? AND governor = ?", (chain_id, governor)
        )
        conn.executemany(
            "INSERT INTO onchain_cache VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )


def load_onchain(
    conn: sqlite3.Connection, chain_id: int, governor: str, account: str | None
) -> list[Artefact]:
    """The cached proposals of one governor (``account_voted`` only for the same account)."""
    rows = conn.execute(
        "SELECT * FROM onchain_cache WHERE chain_id = ? AND governor = ? ORDER BY block_number",
        (chain_id, governor),
    ).fetchall()
    artefacts = []
    for row in rows:
        voted = bool(row["account_voted"]) and bool(account) and row["account"] == account
        proposal = OnchainProposal(
            proposal_id=int(row["proposal_id"]),
            state=OnchainState(row["state"]),
            vote_start=row["vote_start"],
            vote_end=row["vote_end"],
            eta=row["eta"],
            account_voted=voted,
        )
        item = Item(ItemKey(ItemKind.ONCHAIN, row["proposal_id"]), row["title"], row["description"])
        artefacts.append(Artefact(item, onchain=proposal, sort_key=row["block_number"]))
    return artefacts
