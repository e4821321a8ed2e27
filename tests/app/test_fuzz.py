"""Fuzz suite (issue #22): CLI argument parsers, hub and RPC response parsers, the store reader.

Each property is "a clear error or a correct result, never a traceback": the only exceptions
allowed are the documented ones (AppError for people, SystemExit(2) from argparse, ValueError
where a parser's contract says an answer is malformed). Bounded: about 20 s in all.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.chain.logs import parse_log
from app.chain.multicall import decode_aggregate3
from app.chain.rpc import _EndpointDownError, _error_fields, parse_chain_id, parse_quantity
from app.cli import build_parser
from app.cli.snapshot import parse_choice
from app.errors import AppError, NetworkError
from app.snapshot.messages import VoteRequest, build_vote
from app.snapshot.records import parse_proposal, parse_space, parse_vote
from app.store import salvage
from app.store.recovery import open_store

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VOTER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)
WORDS = ["snapshot", "vote", "tally", "org", "add", "governor", "account", "--space", "--choice",
         "--proposal", "--type", "--chain-id", "--rpc", "--input", "-", "1", "[1]", "x", "--json",
         "pipeline", "idea", "offline", "--hub", "--dry-run", "0", "-1", "nan", "1e999"]  # fmt: skip


@FAST
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=10), max_size=8))
def test_fuzz_cli_argument_parser(argv: list[str]) -> None:
    parser = build_parser()
    code: object = None
    try:
        parser.parse_args(argv)
    except SystemExit as exc:
        code = exc.code
    assert code in (None, 0, 2)


@FAST
@given(
    st.text(max_size=40)
    | st.sampled_from(['{"1":1,"1":2}', '{"01":1}', "[1,1]", "1e400", "[[1]]"]),
    st.sampled_from(
        ["single-choice", "approval", "ranked-choice", "copeland", "weighted", "quadratic"]
    ),
    st.none() | st.integers(min_value=0, max_value=50),
)
def test_fuzz_choice_argument_then_vote(text: str, voting_type: str, count: int | None) -> None:
    try:
        choice = parse_choice(text)
        message = build_vote(
            VOTER, VoteRequest("s.eth", "0x" + "11" * 32, voting_type, choice, count)
        ).message
    except AppError:
        return
    assert message["space"] == "s.eth"


@FAST
@given(st.dictionaries(st.sampled_from(["id", "type", "choices", "start", "end", "title", "space",
                                        "scores", "voter", "created", "choice", "vp", "strategies",
                                        "admins", "name", "voting"]), json_value, max_size=12))  # fmt: skip
def test_fuzz_hub_record_parsers(raw: dict[str, Any]) -> None:
    for parse in (parse_proposal, parse_vote, parse_space):
        try:
            record = parse(raw)
        except NetworkError:
            continue
        assert all(isinstance(getattr(record, f), str) for f in ("id",))


@FAST
@given(json_value)
def test_fuzz_rpc_result_parsers(value: Any) -> None:
    for parse in (parse_quantity, parse_chain_id, parse_log):
        with contextlib.suppress(ValueError):
            parse(value)
    with contextlib.suppress(_EndpointDownError):
        _error_fields(value, "eth_call")


@FAST
@given(st.binary(max_size=600))
def test_fuzz_multicall_and_record_decoders(data: bytes) -> None:
    with contextlib.suppress(ValueError):
        decode_aggregate3(data)
    with contextlib.suppress(ValueError, IndexError, UnicodeError):
        salvage.decode_record(data)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=0, max_size=20_000))
def test_fuzz_store_reader_opens_any_file(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite3"
        path.write_bytes(data)
        opened = open_store(path)
        assert opened.conn.execute("SELECT count(*) FROM snapshot_outbox").fetchone()[0] >= 0
        opened.conn.close()
        list(salvage.scan_records(path))


@pytest.mark.parametrize("seed", range(10))
def test_fuzz_store_reader_on_damaged_real_stores(tmp_path: Path, seed: int) -> None:
    import random

    from app.store.database import connect

    path = tmp_path / "store.sqlite3"
    conn = connect(path)
    conn.execute(
        "INSERT INTO accounts VALUES (?, 'a', 'watch', 0, 'watch', NULL, 1)", ("0x" + "1" * 40,)
    )
    conn.close()
    rng = random.Random(seed)
    data = bytearray(path.read_bytes())
    for _ in range(200):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))
    open_store(path).conn.execute("SELECT * FROM accounts").fetchall()
