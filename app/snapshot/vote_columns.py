"""A proposal's votes as columns, decoded straight from the hub's GraphQL pages.

``decode_vote_page`` turns one response body into ``VoteColumns``: who voted (voters, creation
times) and the ``VoteTable`` the tally counts from. The usual page's votes are read by the
compiled scanner straight into columns (``app/tally/scan.py``); a page it leaves is read by
msgspec's typed decoder (structs, no dicts), and one with an odd choice somewhere by its general
decoder, so the table keeps snapshot.js's semantics for it. ``merge_votes`` appends newer
pages and keeps one vote per voter, the latest: on Snapshot a re-vote replaces the earlier one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

from app.errors import InputError, NetworkError
from app.tally.decode import Choice, choices_decoder, no_collection, table_from_columns
from app.tally.rows import concat_tables, take_rows
from app.tally.scan import HUB_PATH, scan_votes
from app.tally.table import VoteTable

IntArray = npt.NDArray[np.int64]
BytesArray = npt.NDArray[np.bytes_]


class HubVote(msgspec.Struct, gc=False):
    """The fields of a hub vote that verification reads."""

    voter: str
    created: int
    choice: Choice
    vp: float
    vp_by_strategy: list[float] | None = None


class _Data(msgspec.Struct, gc=False):
    votes: list[HubVote] | None = None


class _Body(msgspec.Struct, gc=False):
    data: _Data | None = None
    errors: Any = None


_PAGE = msgspec.json.Decoder(_Body)
_ODD_CHOICES = choices_decoder(msgspec.json.decode)


@dataclass(frozen=True, eq=False)
class VoteColumns:
    """Votes in hub order (oldest first): who voted and when, next to the tally's table.

    ``voters`` holds each voter's address in lower case, UTF-8, as fixed-width bytes.
    """

    voters: BytesArray
    created: IntArray
    table: VoteTable
    unique: bool = False  # one vote per voter already (merged)

    @property
    def size(self) -> int:
        return int(self.voters.shape[0])

    @property
    def strategies_count(self) -> int:
        return self.table.strategies_count

    @property
    def last_created(self) -> int:
        return int(self.created[-1]) if self.size else 0


def empty_columns(strategies_count: int) -> VoteColumns:
    table = table_from_columns([], np.zeros(0), [], strategies_count)
    return VoteColumns(_voter_array([]), np.zeros(0, dtype=np.int64), table, unique=True)


def _voter_array(voters: list[str]) -> BytesArray:
    return np.array([v.lower().encode() for v in voters], dtype=np.bytes_).reshape(-1)


def decode_vote_page(body: bytes, strategies_count: int) -> VoteColumns:
    """The votes of one ``votes`` query answer; NetworkError if it is not one.

    The compiled scanner reads the usual page's votes into columns and msgspec reads the
    envelope around them (``errors``); a page it leaves goes the exact way (``exact_vote_page``).
    """
    scanned = None
    if strategies_count >= 0:
        scanned = scan_votes(
            body, HUB_PATH, decode=_ODD_CHOICES, hub=True, strategies=strategies_count
        )
    if (
        scanned is not None
        and scanned.voters is not None
        and scanned.created is not None
        and _envelope_is_plain(scanned.without_votes(body))
    ):
        return VoteColumns(scanned.voters, scanned.created, scanned.table)
    return exact_vote_page(body, strategies_count)


def _envelope_is_plain(envelope: bytes) -> bool:
    """True for ``{"data": {"votes": []}}`` as msgspec reads it; NetworkError for hub errors."""
    try:
        page = _PAGE.decode(envelope)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return False
    if page.errors:
        raise NetworkError("The Snapshot hub refused the query.", detail=str(page.errors)[:500])
    return page.data is not None and page.data.votes == []


def exact_vote_page(body: bytes, strategies_count: int) -> VoteColumns:
    """The exact path: msgspec's typed decoder for the usual page, else the general one."""
    try:
        with no_collection():
            page = _PAGE.decode(body)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return _general_page(body, strategies_count)
    if page.errors:
        raise NetworkError("The Snapshot hub refused the query.", detail=str(page.errors)[:500])
    votes = page.data.votes if page.data is not None else None
    if votes is None:
        raise NetworkError("The Snapshot hub sent no votes in its answer.")
    return _columns(
        [v.voter for v in votes],
        [v.created for v in votes],
        [v.choice for v in votes],
        [v.vp for v in votes],
        [v.vp_by_strategy for v in votes],
        strategies_count,
    )


def _general_page(body: bytes, strategies_count: int) -> VoteColumns:
    try:
        with no_collection():
            raw = msgspec.json.decode(body)
        votes = raw["data"]["votes"]
        if raw.get("errors"):
            raise NetworkError(
                "The Snapshot hub refused the query.", detail=str(raw["errors"])[:500]
            )
        for row in votes:
            scores = row.get("vp_by_strategy")
            if scores is not None and (
                type(scores) is not list or not all(type(x) in (int, float) for x in scores)
            ):
                raise InputError("A vote's strategy scores must be a list of numbers.")
        return _columns(
            [str(v["voter"]) for v in votes],
            [int(v["created"]) for v in votes],
            [v["choice"] for v in votes],
            [_number(v.get("vp")) for v in votes],
            [v.get("vp_by_strategy") for v in votes],
            strategies_count,
        )
    except (msgspec.DecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NetworkError("The Snapshot hub sent votes in an unknown format.") from exc


def _number(value: object) -> float:
    if value is None:
        return 0.0
    if type(value) not in (int, float):
        raise InputError(f"A vote's voting power is not a usable number: {value!r}.")
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:
        return float("inf")


def _columns(
    voters: list[str],
    created: list[int],
    choices: list[object],
    vp: list[float],
    by_strategy: list[Any],
    strategies_count: int,
) -> VoteColumns:
    """Columns of decoded votes; a vote without per-strategy scores counts its vp per strategy."""
    scores = by_strategy
    if not all(by_strategy):  # None or [] somewhere: as the records path, (vp,) per strategy
        scores = [s if s else [p] * strategies_count for s, p in zip(by_strategy, vp, strict=True)]
    balances = np.array(vp, dtype=np.float64)
    table = table_from_columns(choices, balances, scores, strategies_count)
    try:
        times = np.array(created, dtype=np.int64)
    except OverflowError as exc:  # a hostile hub: a creation time past any real clock
        raise NetworkError("The Snapshot hub sent votes in an unknown format.") from exc
    return VoteColumns(_voter_array(voters), times, table)


def strategies_of_page(body: bytes) -> int:
    """How many strategy scores the page's votes carry (at least 1), for a first page."""
    try:
        with no_collection():
            page = _PAGE.decode(body)
        votes = (page.data.votes if page.data else None) or []
        return max((len(v.vp_by_strategy or ()) for v in votes), default=0) or 1
    except (msgspec.ValidationError, msgspec.DecodeError):
        try:
            rows: list[Any] = msgspec.json.decode(body)["data"]["votes"] or []
            return max((len(v.get("vp_by_strategy") or ()) for v in rows), default=0) or 1
        except (msgspec.DecodeError, KeyError, TypeError, AttributeError) as exc:
            raise NetworkError("The Snapshot hub sent votes in an unknown format.") from exc


def merge_votes(parts: Sequence[VoteColumns], strategies_count: int) -> VoteColumns:
    """The parts one after the other, keeping only each voter's last vote (a re-vote replaces).

    The same vote fetched twice (pages overlap at the cursor's second) is the same voter too.
    When the first part is already one vote per voter (what the store holds), only the later
    parts' voters are looked up in it. Voters are compared in lower case (decoders lower them).
    """
    parts = [p for p in parts if p.size]
    if not parts:
        return empty_columns(strategies_count)
    with no_collection():
        return _merge(parts, strategies_count)


def concat_columns(parts: Sequence[VoteColumns], strategies_count: int) -> VoteColumns:
    """The parts one after the other, as fetched (not merged: a voter may appear twice)."""
    parts = [p for p in parts if p.size]
    if not parts:
        return empty_columns(strategies_count)
    if len(parts) == 1:
        return VoteColumns(parts[0].voters, parts[0].created, parts[0].table)
    return VoteColumns(
        np.concatenate([p.voters for p in parts]),
        np.concatenate([p.created for p in parts]),
        concat_tables([p.table for p in parts], strategies_count),
    )


def _voter_keys(voters: BytesArray) -> npt.NDArray[np.uint64]:
    """A 64-bit key per voter (equal voters, equal keys), for fast set tests; confirm by name."""
    width = voters.dtype.itemsize
    words = -(-width // 8)
    padded = np.zeros((voters.shape[0], words * 8), dtype=np.uint8)
    padded[:, :width] = voters.view(np.uint8).reshape(voters.shape[0], width)
    lanes = padded.view(np.uint64)
    key = np.zeros(voters.shape[0], dtype=np.uint64)
    for lane in range(words):
        key = key * np.uint64(0x9E3779B97F4A7C15) ^ lanes[:, lane]
    return key


def _among(keys: npt.NDArray[np.uint64], few: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """``np.isin(keys, few)`` for a few keys: a binary search in them, not a sort of all."""
    few = np.sort(few)
    at = np.minimum(np.searchsorted(few, keys), few.shape[0] - 1)
    found: npt.NDArray[np.bool_] = few[at] == keys
    return found


def _merge(parts: list[VoteColumns], strategies_count: int) -> VoteColumns:
    voters = np.concatenate([p.voters for p in parts])
    created = np.concatenate([p.created for p in parts])
    tables = [p.table for p in parts]
    table = tables[0] if len(tables) == 1 else concat_tables(tables, strategies_count)
    head = parts[0].size if parts[0].unique else 0
    # The last vote of each voter among the newer rows (the reversed array's first occurrence).
    newer = voters[head:]
    _, first_reversed = np.unique(newer[::-1], return_index=True)
    kept = np.zeros(voters.shape[0], dtype=np.bool_)
    kept[:head] = True
    kept[head + newer.shape[0] - 1 - first_reversed] = True
    if head and newer.shape[0]:  # stored votes replaced by a newer vote of the same voter
        maybe = np.flatnonzero(_among(_voter_keys(voters[:head]), _voter_keys(newer)))
        if maybe.size:
            names = set(newer.tolist())
            pairs = zip(maybe.tolist(), voters[maybe].tolist(), strict=True)
            replaced = [row for row, name in pairs if name in names]
            kept[np.array(replaced, dtype=np.int64)] = False
    if bool(kept.all()):
        return VoteColumns(voters, created, table, unique=True)
    keep = np.flatnonzero(kept)
    return VoteColumns(voters[keep], created[keep], take_rows(table, keep), unique=True)
