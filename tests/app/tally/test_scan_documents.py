"""The compiled scanner against the exact path, on tally documents and hub pages.

The fast path (``parse_tally_bytes``, ``decode_vote_page``) must give what the exact path
(``parse_exact_bytes``, ``exact_vote_page``) gives: the same table array for array, bit for bit,
with the same odd choices, or the same error. Documents are written as text so that they can hold
what a JSON library would not write: repeated and escaped keys, numbers like 1e400 or 1_0, deep
nesting, any whitespace, and syntax errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import AppError, InputError
from app.snapshot.vote_columns import VoteColumns, decode_vote_page, exact_vote_page
from app.tally import VOTING_TYPES, VoteTable, tally
from app.tally.document import TallyRequest, parse_exact_bytes, parse_tally_bytes
from app.tally.scan import HUB_PATH, TALLY_PATH, _scan, scan_votes
from tests.app.tally.bits import result_bits
from tests.app.tally.strategies import json_values

pytestmark = pytest.mark.skipif(_scan is None, reason="built without a C compiler")
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
TABLE_ARRAYS = ("kinds", "ints", "list_offsets", "list_items", "map_offsets", "map_keys",
                "map_values", "powers")  # fmt: skip


class Raw(str):
    """JSON text written as it is (a literal no encoder would write, or a syntax error)."""


class Members(list[tuple[str, Any]]):
    """An object as (key text, value) pairs: keys may repeat or be escaped."""


def key(name: str) -> str:
    return json.dumps(name)


WHITESPACE = st.sampled_from(["", "", "", " ", "\n", "\t", " \r\n "])
NUMBER_LITERALS = st.sampled_from(
    ["1e400", "-1e400", "-0", "-0.0", "1E2", "1.0", "2.5", "1e-400", "5e-324", "4294967294",
     "4294967295", "123456789012345678901234567890", "9223372036854775807",
     "9223372036854775808", "-9223372036854775809", "0.1", "7", "3"]
)  # fmt: skip
NOT_JSON = st.sampled_from(["1_0", "01", "NaN", "Infinity", "+1", "1.", ".5", "tru", "[1,]", "{"])
KEY_TEXTS = st.sampled_from(
    ['"1"', '"2"', '"3"', '"0"', '"01"', '"a"', '"\\u0031"', '"1 "', '"4294967294"',
     '"4294967295"', '"-1"', '""']
)  # fmt: skip


def render(draw: st.DrawFn, value: object) -> str:
    """``value`` as JSON text, with whitespace drawn between tokens."""

    def ws() -> str:
        return draw(WHITESPACE)

    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, Members):
        inner = ",".join(f"{ws()}{k}{ws()}:{ws()}{render(draw, v)}{ws()}" for k, v in value)
        return "{" + inner + ws() + "}"
    if isinstance(value, dict):
        return render(draw, Members((key(str(k)), v) for k, v in value.items()))
    if isinstance(value, list):
        return "[" + ",".join(ws() + render(draw, v) + ws() for v in value) + ws() + "]"
    return json.dumps(value)


def numbers(*, messy: bool = True) -> st.SearchStrategy[object]:
    literals = NUMBER_LITERALS if messy else NUMBER_LITERALS.filter(lambda t: "e400" not in t)
    return st.one_of(
        st.floats(0, 1e6, allow_nan=False),
        st.integers(0, 10**6),
        st.floats(allow_nan=False, allow_infinity=False),
        literals.map(Raw),
    )


def choices(*, messy: bool) -> st.SearchStrategy[object]:
    plain_ints = st.integers(-2, 7)
    plain = st.one_of(
        plain_ints,
        st.lists(plain_ints, max_size=6),
        st.dictionaries(st.sampled_from(["1", "2", "3", "4"]), numbers(), max_size=4),
    )
    mapping_pairs = st.lists(st.tuples(KEY_TEXTS, st.one_of(numbers(), json_values)), max_size=4)
    odd = st.one_of(
        mapping_pairs.map(Members),  # repeated, escaped, odd keys
        json_values,
        NUMBER_LITERALS.map(Raw),
        st.lists(st.one_of(plain_ints, NUMBER_LITERALS.map(Raw), json_values), max_size=4),
        st.integers(1, 80).map(lambda depth: Raw("[" * depth + "1" + "]" * depth)),
        st.just(Raw('"a\\"b\\\\"')),
    )
    if not messy:
        return st.one_of(*[plain] * 6, odd)
    return st.one_of(*[plain] * 6, *[odd] * 3, NOT_JSON.map(Raw))


def powers(*, messy: bool) -> st.SearchStrategy[object]:
    if not messy:
        return numbers(messy=False)
    odd = st.sampled_from([True, None, "1", Raw("1e400"), Raw("NaN"), Raw("01"), [1]])
    return st.one_of(*[numbers()] * 6, odd)


@st.composite
def vote_object(
    draw: st.DrawFn, fields: dict[str, st.SearchStrategy[object]], *, messy: bool
) -> Members:
    members = Members((key(name), draw(strategy)) for name, strategy in fields.items())
    members = Members(draw(st.permutations(members)))
    troubles = ["none"] * 10 + (["repeat", "extra", "missing", "escaped"] if messy else [])
    trouble = draw(st.sampled_from(troubles))
    if trouble == "repeat" and members:
        members.append(draw(st.sampled_from(members)))
    elif trouble == "extra":
        members.append((key("reason"), "why"))
    elif trouble == "missing" and members:
        members.pop(draw(st.integers(0, len(members) - 1)))
    elif trouble == "escaped" and members:
        name = json.loads(members[0][0])
        members[0] = ('"\\u00' + f"{ord(name[0]):02x}" + name[1:] + '"', members[0][1])
    return members


@st.composite
def tally_documents(draw: st.DrawFn) -> bytes:
    """Mostly documents the scanner reads (with odd choices), a quarter with every trouble."""
    messy = draw(st.integers(0, 3)) == 3
    strategies = draw(st.integers(0, 3))
    score_lists = st.lists(powers(messy=messy), min_size=strategies, max_size=strategies)
    any_length = st.lists(powers(messy=messy), max_size=4)
    scores = st.one_of(score_lists, any_length) if messy else score_lists
    fields = {"choice": choices(messy=messy), "balance": powers(messy=messy), "scores": scores}
    votes = draw(st.lists(vote_object(fields, messy=messy), max_size=12))
    header = {
        "type": draw(st.sampled_from(VOTING_TYPES)),
        "choices": [f"choice {i}" for i in range(draw(st.integers(1, 5)))],
        "strategies": draw(st.sampled_from([strategies] * 4 + [[{}] * strategies, 9])),
    }
    members = Members((key(k), v) for k, v in header.items())
    members.append((key("votes"), votes))
    if draw(st.booleans()):
        members.append((key("copeland_variant"), draw(st.sampled_from(["current", "legacy"]))))
    members = Members(draw(st.permutations(members)))
    if messy and draw(st.booleans()):
        members.append((key("votes"), []))  # the last "votes" wins in JSON
    return render(draw, members).encode()


def _canonical(value: object) -> object:
    """A value that compares equal only for the same JSON value of the same Python types."""
    if isinstance(value, dict):
        return ("dict", [(k, _canonical(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return ("list", [_canonical(v) for v in value])
    return (type(value).__name__, repr(value))


def table_fingerprint(table: VoteTable) -> tuple[object, ...]:
    arrays = [getattr(table, name) for name in TABLE_ARRAYS]
    return (
        *((a.dtype.str, a.shape, a.tobytes()) for a in arrays),
        sorted((row, _canonical(choice)) for row, choice in table.others.items()),
    )


def _request_outcome(parse: Callable[[bytes], TallyRequest], data: bytes) -> object:
    try:
        request = parse(data)
    except InputError as exc:
        return ("error", exc.user_message)
    votes = request.votes
    try:
        table = (
            votes
            if isinstance(votes, VoteTable)
            else VoteTable.from_votes(votes, request.strategies_count)
        )
    except InputError as exc:
        table_part: object = ("table error", exc.user_message)
    else:
        table_part = table_fingerprint(table)
    header = (
        request.voting_type,
        request.choices,
        request.strategies_count,
        request.copeland_variant,
    )
    return header, table_part


@EXAMPLES
@given(tally_documents())
def test_tally_documents_read_fast_give_the_exact_paths_table_or_error(data: bytes) -> None:
    assert _request_outcome(parse_tally_bytes, data) == _request_outcome(parse_exact_bytes, data)


@EXAMPLES
@given(tally_documents())
def test_tally_documents_read_fast_count_as_the_exact_path_counts(data: bytes) -> None:
    def outcome(parse: Callable[[bytes], TallyRequest]) -> object:
        try:
            request = parse(data)
            return result_bits(
                tally(
                    request.voting_type,
                    request.choices,
                    request.votes,
                    request.strategies_count,
                    copeland_variant=request.copeland_variant,
                )
            )
        except InputError as exc:
            return ("error", exc.user_message)

    assert outcome(parse_tally_bytes) == outcome(parse_exact_bytes)


@st.composite
def hub_pages(draw: st.DrawFn) -> tuple[bytes, int]:
    """Mostly pages the scanner reads (with odd choices), a quarter with every trouble."""
    messy = draw(st.integers(0, 3)) == 3
    strategies = draw(st.integers(0, 3))
    score_lists = st.lists(powers(messy=messy), min_size=strategies, max_size=strategies)
    voters = st.sampled_from(["0xAbC", "0xdef", "0xabc", ""])
    odd_voters = st.sampled_from([Raw('"0x\\u0041"'), Raw('"0x\u00e9"'), 7, None])
    fields = {
        "voter": st.one_of(voters, odd_voters) if messy else voters,
        "created": st.one_of(st.integers(0, 2**40), NUMBER_LITERALS.map(Raw))
        if messy
        else st.integers(0, 2**40),
        "choice": choices(messy=messy),
        "vp": powers(messy=messy),
        "vp_by_strategy": st.one_of(
            *[score_lists] * 4, st.none(), st.just([]), powers(messy=messy)
        ),
    }
    votes = draw(st.lists(vote_object(fields, messy=messy), max_size=10))
    data = Members([(key("votes"), votes)])
    envelope = Members([(key("data"), data)])
    extras = ["none"] + (["errors", "extensions", "twice", "null"] if messy else [])
    extra = draw(st.sampled_from(extras))
    if extra == "errors":
        envelope.append((key("errors"), [{"message": "no"}]))
    elif extra == "extensions":
        envelope.append((key("extensions"), {"cost": [1, {"a": None}]}))
    elif extra == "twice":
        data.append((key("votes"), []))
    elif extra == "null":
        envelope = Members([(key("data"), Members([(key("votes"), None)]))])
    return render(draw, envelope).encode(), strategies


def _page_outcome(decode: Callable[[bytes, int], VoteColumns], body: bytes, s: int) -> object:
    try:
        columns = decode(body, s)
    except AppError as exc:
        return (type(exc).__name__, exc.user_message)
    voters = columns.voters
    return (
        voters.dtype.str,
        voters.tobytes(),
        columns.created.tolist(),
        table_fingerprint(columns.table),
    )


@EXAMPLES
@given(hub_pages())
def test_hub_pages_read_fast_give_the_exact_paths_columns_or_error(page: tuple[bytes, int]) -> None:
    body, strategies = page
    assert _page_outcome(decode_vote_page, body, strategies) == _page_outcome(
        exact_vote_page, body, strategies
    )


def _document(votes: list[object], **header: object) -> bytes:
    return json.dumps({"type": "weighted", "choices": ["A", "B", "C"], "strategies": 1,
                       **header, "votes": votes}).encode()  # fmt: skip


def test_plain_documents_take_the_fast_path() -> None:
    votes = [{"choice": {"1": 2, "3": 0.5}, "balance": 2.5, "scores": [2.5]},
             {"choice": [3, 1], "balance": 1e-300, "scores": [1e-300]},
             {"choice": 2, "balance": 7, "scores": [7]},
             {"choice": "2", "balance": 1, "scores": [1]}]  # fmt: skip
    data = _document(votes)
    scanned = scan_votes(data, TALLY_PATH, decode=json.loads)
    assert scanned is not None
    assert scanned.table.kinds.tolist() == [2, 1, 0, 3]
    assert scanned.table.others == {3: "2"}  # an odd choice, decoded by the exact decoder
    exact = parse_exact_bytes(data).votes
    assert not isinstance(exact, VoteTable)  # the odd choice sends the exact path to records
    fast = parse_tally_bytes(data).votes
    assert isinstance(fast, VoteTable)
    assert table_fingerprint(fast) == table_fingerprint(VoteTable.from_votes(exact, 1))


@pytest.mark.parametrize(
    "votes",
    [
        '[{"choice": 1, "choice": 2, "balance": 1, "scores": [1]}]',  # a repeated field
        '[{"choice": 1, "balance": 1, "scores": [1], "reason": ""}]',  # an unknown field
        '[{"ch\\u006fice": 1, "balance": 1, "scores": [1]}]',  # an escaped field name
        '[{"choice": 1, "balance": 1e400, "scores": [1e400]}]',  # power beyond the doubles
        '[{"choice": 1, "balance": 1, "scores": [1, 2]}]',  # score count differs from header
        '[{"choice": {"1": 1, "1": 2}, "balance": 1, "scores": [1]}]',  # a mapping key twice
        '[{"choice": {"\\u0031": 1}, "balance": 1, "scores": [1]}]',  # an escaped mapping key
        '[{"choice": 1_0, "balance": 1, "scores": [1]}]',  # not JSON
    ],
)
def test_unusual_documents_are_left_to_the_exact_path(votes: str) -> None:
    data = _document([]).replace(b'"votes": []', b'"votes": ' + votes.encode())
    scanned = scan_votes(data, TALLY_PATH, decode=json.loads)
    assert scanned is None or scanned.strategies != 1  # left, or refused by parse_tally_bytes
    assert _request_outcome(parse_tally_bytes, data) == _request_outcome(parse_exact_bytes, data)


def test_hostile_nesting_in_a_choice_is_bounded() -> None:
    deep = "[" * 200_000 + "]" * 200_000
    data = _document([]).replace(
        b'"votes": []',
        b'"votes": [{"choice": ' + deep.encode() + b', "balance": 1, "scores": [1]}]',
    )
    assert scan_votes(data, TALLY_PATH, decode=json.loads) is None  # past the skip depth
    with pytest.raises(InputError):
        parse_tally_bytes(data)


def test_a_plain_hub_page_takes_the_fast_path() -> None:
    votes = [{"voter": "0xAbC", "created": 5, "choice": [1, 2], "vp": 2.5,
              "vp_by_strategy": [1.5, 1.0]},
             {"voter": "0xdef1", "created": 6, "choice": "x", "vp": 1, "vp_by_strategy": None},
             {"voter": "0x12", "created": 7, "choice": 1, "vp": 3}]  # fmt: skip
    body = json.dumps({"data": {"votes": votes}}).encode()
    scanned = scan_votes(body, HUB_PATH, decode=json.loads, hub=True, strategies=2)
    assert scanned is not None
    assert scanned.voters is not None
    assert scanned.voters.tolist() == [b"0xabc", b"0xdef1", b"0x12"]
    assert scanned.table.powers.tolist() == [[2.5, 1.5, 1.0], [1.0, 1.0, 1.0], [3.0, 3.0, 3.0]]
    assert _page_outcome(decode_vote_page, body, 2) == _page_outcome(exact_vote_page, body, 2)


def test_a_hub_error_beside_the_votes_is_still_reported() -> None:
    body = b'{"data": {"votes": [{"voter": "0xa", "created": 1, "choice": 1, "vp": 1}]},' \
           b' "errors": [{"message": "rate limited"}]}'  # fmt: skip
    assert scan_votes(body, HUB_PATH, decode=json.loads, hub=True, strategies=1) is not None
    outcome = _page_outcome(decode_vote_page, body, 1)
    assert outcome == ("NetworkError", "The Snapshot hub refused the query.")
    assert outcome == _page_outcome(exact_vote_page, body, 1)


def test_large_documents_read_fast_equal_the_exact_path() -> None:
    rng = np.random.default_rng(3)
    count = 20_000
    balances = rng.lognormal(5, 3, count).tolist()
    rankings = (np.argsort(rng.random((count, 4)), axis=1) + 1).tolist()
    votes = [
        {"choice": r, "balance": b, "scores": [b]} for r, b in zip(rankings, balances, strict=True)
    ]
    data = _document(votes, type="copeland", choices=["A", "B", "C", "D"])
    assert scan_votes(data, TALLY_PATH, decode=json.loads) is not None
    assert _request_outcome(parse_tally_bytes, data) == _request_outcome(parse_exact_bytes, data)


@pytest.mark.parametrize("choice", ["1", '"odd"'])
def test_a_creation_time_past_int64_is_a_clear_error(choice: str) -> None:
    # Left by the scanner to the exact path (typed, or general for an odd choice), which
    # raised OverflowError here before.
    body = b'{"data": {"votes": [{"voter": "0xa", "created": 1180591620717411303424, "choice": '
    body += choice.encode() + b', "vp": 1}]}}'
    assert _page_outcome(decode_vote_page, body, 1) == (
        "NetworkError",
        "The Snapshot hub sent votes in an unknown format.",
    )
