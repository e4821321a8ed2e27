"""The JSON tally document (what ``govdesk tally`` reads and writes).

Input, the shape snapshot.js's voting classes take::

    {"type": "ranked-choice", "choices": ["A", "B"], "strategies": [{...}, {...}],
     "votes": [{"choice": [2, 1], "balance": 3.5, "scores": [3, 0.5]}],
     "copeland_variant": "current"}

``strategies`` may also be a plain count. Output: ``{"scores", "scores_by_strategy",
"scores_total"}`` with floats written in their shortest round-trip form.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import msgspec

from app import jsonsafe
from app.domain.voting import VotingType
from app.errors import InputError
from app.tally.decode import TallyRow, choices_decoder, no_collection, table_from_rows
from app.tally.engine import tally
from app.tally.jsvalue import is_js_number, number_value
from app.tally.records import TallyResult, TallyVote
from app.tally.scan import TALLY_PATH, scan_votes
from app.tally.table import VoteTable
from app.tally.validity import check_copeland_variant, check_voting_type


@dataclass(frozen=True)
class TallyRequest:
    """A parsed, checked tally document."""

    voting_type: str
    choices: tuple[str, ...]
    votes: Sequence[TallyVote] | VoteTable
    strategies_count: int
    copeland_variant: str


# Per voting type: Copeland and ranked choice build choice x choice tables (issue #22: 100,000
# Copeland choices asked for 18.6 GiB). Snapshot itself allows at most a few hundred.
MAX_CHOICES = {VotingType.COPELAND: 1_000, VotingType.RANKED_CHOICE: 1_000}
MAX_CHOICES_DEFAULT = 10_000
TALLY_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    ArithmeticError,
    RecursionError,
    MemoryError,
)


class _TypedDocument(msgspec.Struct, gc=False):
    votes: list[TallyRow]
    type: Any = None
    choices: Any = None
    strategies: Any = None
    copeland_variant: Any = "current"


_DOCUMENT = msgspec.json.Decoder(_TypedDocument)


def parse_tally_bytes(data: bytes) -> TallyRequest:
    """Parse and check a tally document from its bytes, votes straight into a ``VoteTable``.

    The compiled scanner reads the votes of the usual document into columns (``scan.py``), and
    the exact path reads the rest; any document it leaves, and every error, is the exact path's
    (``parse_exact_bytes``), so both give the same table and the same message.
    """
    scanned = scan_votes(data, TALLY_PATH, decode=_ODD_CHOICES)
    # The exact path reads a document with odd choices whole, within jsonsafe's size limit.
    if scanned is not None and not (scanned.table.others and len(data) > jsonsafe.MAX_BYTES):
        try:
            header = parse_exact_bytes(scanned.without_votes(data))
        except InputError:
            header = None  # the exact path says it again, with positions in the whole document
        if header is not None and scanned.strategies in (-1, header.strategies_count):
            table = scanned.table if scanned.strategies >= 0 else header.votes
            return replace(header, votes=table)
    return parse_exact_bytes(data)


def _general_choices(text: bytes) -> Any:
    return jsonsafe.loads(text, source="the tally input")


_ODD_CHOICES = choices_decoder(_general_choices)


def parse_exact_bytes(data: bytes) -> TallyRequest:
    """The exact path: msgspec's typed decoder for the usual document, else the general one.

    The typed decoder reads the usual document in one pass; anything it does not take (odd vote
    shapes, a missing field, invalid JSON) goes through ``parse_tally_document``, which gives the
    same table and the same errors.
    """
    try:
        with no_collection():
            typed = _DOCUMENT.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError("The tally input is not UTF-8 text.", detail=str(exc)) from exc
        return parse_tally_document(text)
    voting_type, choices, strategies, variant = _header(
        {
            "type": typed.type,
            "choices": typed.choices,
            "strategies": typed.strategies,
            "copeland_variant": typed.copeland_variant,
        }
    )
    table = table_from_rows(typed.votes, strategies)
    return TallyRequest(voting_type, choices, table, strategies, variant)


def _header(document: dict[str, Any]) -> tuple[str, tuple[str, ...], int, str]:
    voting_type = _field(document, "type", str)
    check_voting_type(voting_type)
    variant = document.get("copeland_variant", "current")
    if not isinstance(variant, str):
        raise InputError('"copeland_variant" must be "current" or "legacy".')
    check_copeland_variant(variant)
    choices = _field(document, "choices", list)
    if not all(isinstance(choice, str) for choice in choices):
        raise InputError('"choices" must be a list of strings.')
    limit = MAX_CHOICES.get(voting_type, MAX_CHOICES_DEFAULT)
    if len(choices) > limit:
        raise InputError(
            f"A {voting_type} tally takes at most {limit:,} choices ({len(choices):,})."
        )
    return voting_type, tuple(choices), _strategies_count(document.get("strategies")), variant


def parse_tally_document(text: str) -> TallyRequest:
    """Parse and check a tally document; raise InputError naming the first problem."""
    try:
        document = jsonsafe.loads(text, source="the tally input")
    except jsonsafe.HostileDataError as exc:
        raise InputError(f"The tally input is not valid JSON: {exc.problem}.") from exc
    if not isinstance(document, dict):
        raise InputError("The tally input must be a JSON object with type, choices and votes.")
    voting_type, choices, strategies, variant = _header(document)
    raw_votes = _field(document, "votes", list)
    with no_collection():
        votes = tuple(_vote(raw, position) for position, raw in enumerate(raw_votes, start=1))
    return TallyRequest(voting_type, choices, votes, strategies, variant)


def run_tally_document(text: str | bytes) -> str:
    """Parse a document (text or bytes), tally it, and return the result document as JSON."""
    request = parse_tally_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    try:
        result = tally(
            request.voting_type,
            request.choices,
            request.votes,
            request.strategies_count,
            copeland_variant=request.copeland_variant,
        )
    except TALLY_ERRORS as exc:  # every class the engines can raise on odd input (issue #22)
        raise InputError(
            "These votes cannot be counted.", detail=f"{type(exc).__name__}: {exc}"[:300]
        ) from exc
    return format_result(result)


def format_result(result: TallyResult) -> str:
    """The result as JSON; floats use repr, so they read back bit for bit."""
    numbers = [*result.scores, *(v for row in result.scores_by_strategy for v in row)]
    if not all(math.isfinite(v) for v in [*numbers, result.scores_total]):
        raise InputError("The voting power is so large that the result overflows to infinity.")
    return json.dumps(
        {
            "scores": list(result.scores),
            "scores_by_strategy": [list(row) for row in result.scores_by_strategy],
            "scores_total": result.scores_total,
        }
    )


def _field(document: dict[str, Any], name: str, kind: type) -> Any:
    value = document.get(name)
    if not isinstance(value, kind):
        raise InputError(f'The tally input needs "{name}" as a JSON {kind.__name__}.')
    return value


def _strategies_count(value: object) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise InputError('"strategies" must be the list of strategies (or their count).')


def _vote(raw: object, position: int) -> TallyVote:
    if not isinstance(raw, dict) or "choice" not in raw:
        raise InputError(f"Vote #{position} must be an object with choice, balance and scores.")
    balance = raw.get("balance")
    scores = raw.get("scores")
    if not is_js_number(balance):
        raise InputError(f'Vote #{position} needs "balance" as a number.')
    if not isinstance(scores, list) or not all(is_js_number(s) for s in scores):
        raise InputError(f'Vote #{position} needs "scores" as a list of numbers.')
    return TallyVote(
        choice=raw["choice"],
        balance=number_value(balance),
        scores=tuple(number_value(s) for s in scores),
    )
