"""Deterministic CBOR: RFC 8949 Appendix A examples, round trips, and strict rejection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.keys import cbor
from app.keys.cbor import CborDecodeError, CborEncodeError, CborValue, Tagged


@pytest.mark.parametrize(
    ("value", "hex_"),
    [  # RFC 8949 Appendix A
        (0, "00"),
        (23, "17"),
        (24, "1818"),
        (100, "1864"),
        (1000, "1903e8"),
        (1000000, "1a000f4240"),
        (1000000000000, "1b000000e8d4a51000"),
        (18446744073709551615, "1bffffffffffffffff"),
        (-1, "20"),
        (-100, "3863"),
        (-1000, "3903e7"),
        (-18446744073709551616, "3bffffffffffffffff"),
        (False, "f4"),
        (True, "f5"),
        (None, "f6"),
        (b"", "40"),
        (b"\x01\x02\x03\x04", "4401020304"),
        ("", "60"),
        ("IETF", "6449455446"),
        ("\u00fc", "62c3bc"),
        ([], "80"),
        ([1, [2, 3], [4, 5]], "8301820203820405"),
        ({1: 2, 3: 4}, "a201020304"),
        ({"a": 1, "b": [2, 3]}, "a26161016162820203"),
        (Tagged(1, 1363896240), "c11a514b67b0"),
        (Tagged(37, bytes(16)), "d82550" + "00" * 16),
    ],
)
def test_cbor_matches_rfc_examples(value: CborValue, hex_: str) -> None:
    assert cbor.encode(value).hex() == hex_
    assert cbor.decode(bytes.fromhex(hex_)) == value


def test_seed_vector_from_bcr_2020_012() -> None:
    body = bytes.fromhex("d99d6ca20150c7098580125e2ab0981253468b2dbc5202c11947da")
    value = Tagged(
        40300, {1: bytes.fromhex("c7098580125e2ab0981253468b2dbc52"), 2: Tagged(1, 18394)}
    )
    assert cbor.decode(body) == value
    assert cbor.encode(value) == body


def test_map_keys_are_sorted_by_encoded_bytes() -> None:
    assert cbor.encode({10: 0, -1: 0, 1: 0, "a": 0}).hex() == "a401000a002000616100"


_leaves = (
    st.integers(-(2**64), 2**64 - 1)
    | st.binary(max_size=40)
    | st.text(max_size=20)
    | st.booleans()
    | st.none()
)
_values = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.integers(-50, 50) | st.text(max_size=5), inner, max_size=5)
        | st.builds(Tagged, st.integers(0, 2**32), inner)
    ),
    max_leaves=20,
)


@given(value=_values)
def test_cbor_round_trips(value: CborValue) -> None:
    assert cbor.decode(cbor.encode(value)) == value


@pytest.mark.parametrize(
    ("hex_", "message"),
    [
        ("", "ends too early"),
        ("1a0000", "ends too early"),
        ("5f4101ff", "unsupported length"),  # indefinite byte string
        ("1817", "shortest"),
        ("190017", "shortest"),
        ("f93c00", "float"),
        ("f7", "simple"),
        ("0000", "left over"),
        ("a203040102", "order"),
        ("a201020103", "order"),
        ("a1f401", "neither an integer"),
        ("62c328", "UTF-8"),
        ("81" * 40 + "00", "too deeply"),
    ],
)
def test_malformed_cbor_is_rejected_clearly(hex_: str, message: str) -> None:
    with pytest.raises(CborDecodeError, match=message) as info:
        cbor.decode(bytes.fromhex(hex_))
    assert info.value.user_message


def test_unencodable_values_are_programming_errors() -> None:
    with pytest.raises(CborEncodeError):
        cbor.encode(1.5)  # type: ignore[arg-type]
    with pytest.raises(CborEncodeError):
        cbor.encode(2**64)
