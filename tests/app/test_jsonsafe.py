"""The bounded JSON parser and the recursion-limit guard (issue #22, finding 1)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.jsonsafe import HostileDataError, loads, nesting_depth_exceeds
from tests.hostile_server import DEEP


def test_importing_eth_account_leaves_a_safe_recursion_limit() -> None:
    code = "import app, eth_account, py_ecc, sys; print(sys.getrecursionlimit())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) <= 10_000


def test_deep_json_after_eth_account_is_a_clear_error_not_a_crash() -> None:
    code = (
        "import app, eth_account, json\n"
        "from app.jsonsafe import loads, HostileDataError\n"
        "try:\n    loads('[' * 70000 + ']' * 70000, source='the test hub')\n"
        "except HostileDataError as e:\n    print(e.user_message)\n"
        "try:\n    json.loads('[' * 70000 + ']' * 70000)\n"
        "except RecursionError:\n    print('recursion error')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr  # a SIGSEGV gives -11
    assert "the test hub" in out.stdout
    assert "nested more than" in out.stdout
    assert "recursion error" in out.stdout  # even the plain parser no longer overflows the C stack


def test_loads_refuses_deep_documents_naming_the_source() -> None:
    with pytest.raises(HostileDataError, match="the hub http://x"):
        loads(DEEP, source="the hub http://x")


def test_loads_refuses_large_documents() -> None:
    with pytest.raises(HostileDataError, match="more than the 10 allowed"):
        loads(b'"' + b"a" * 20 + b'"', source="s", max_bytes=10)


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", "{", "\xff", "", "[1,]", '{"a" 1}'])
def test_loads_turns_every_bad_document_into_one_error(text: str) -> None:
    with pytest.raises(HostileDataError, match="from the file f"):
        loads(text, source="the file f")


def test_loads_accepts_brackets_and_escapes_inside_strings() -> None:
    text = json.dumps({"t": "[[[[{{{{" * 100, "e": '\\"[', "n": [[[1]]]})
    assert loads(text, source="s") == json.loads(text)


def test_depth_check_counts_levels_exactly() -> None:
    assert not nesting_depth_exceeds(b'{"a":[{"b":"]]]"}]}', 3)
    assert nesting_depth_exceeds(b'{"a":[{"b":"]]]"}]}', 2)
    assert nesting_depth_exceeds(b"[}", 5)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_fuzz_loads_round_trips_what_json_writes(value: object) -> None:
    text = json.dumps(value)
    assert loads(text, source="fuzz") == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(alphabet='[]{}",:\\0123 ae', max_size=200))
def test_fuzz_loads_gives_a_value_or_a_clear_error(data: bytes | str) -> None:
    message = "fuzz"
    try:
        loads(data, source="fuzz")
    except HostileDataError as exc:
        message = exc.user_message
    assert "fuzz" in message
