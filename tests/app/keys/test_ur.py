"""UR-style QR framing: any message survives splitting, shuffling and duplicates; damage is caught."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.keys.errors import OfflineSigningError
from app.keys.ur import decode_parts, encode_parts

TYPE = "govdesk-sign-request"


@settings(deadline=None, max_examples=60)  # shared CI cores: no per-example deadline
@given(message=st.binary(max_size=2000), size=st.integers(1, 300), seed=st.integers(0, 99))
def test_parts_reassemble_in_any_order(message: bytes, size: int, seed: int) -> None:
    parts = encode_parts(TYPE, message, fragment_bytes=size)
    assert len(parts) == max(1, -(-len(message) // size))
    shuffled = parts + parts[:2]
    random.Random(seed).shuffle(shuffled)
    assert decode_parts(shuffled, expected_type=TYPE) == message


def test_part_text_follows_the_ur_shape() -> None:
    parts = encode_parts(TYPE, b"x" * 450, fragment_bytes=200)
    assert [p.split("/")[1] for p in parts] == ["1-3", "2-3", "3-3"]
    assert all(p.startswith(f"ur:{TYPE}/") for p in parts)
    single = encode_parts(TYPE, b"short")
    assert len(single) == 1
    assert single[0].count("/") == 1
    assert decode_parts([single[0].upper()], expected_type=TYPE) == b"short"  # QR upper-cases


def test_missing_parts_are_named() -> None:
    parts = encode_parts(TYPE, bytes(1000), fragment_bytes=100)
    with pytest.raises(OfflineSigningError, match="missing: 3, 7"):
        decode_parts([p for i, p in enumerate(parts, 1) if i not in (3, 7)], expected_type=TYPE)


def test_parts_of_different_messages_do_not_mix() -> None:
    a = encode_parts(TYPE, b"a" * 300, fragment_bytes=100)
    b = encode_parts(TYPE, b"b" * 300, fragment_bytes=100)
    with pytest.raises(OfflineSigningError, match="different messages"):
        decode_parts([a[0], b[1], a[2]], expected_type=TYPE)


def test_wrong_type_and_garbage_are_rejected() -> None:
    with pytest.raises(OfflineSigningError, match="expected"):
        decode_parts(encode_parts("other-type", b"x"), expected_type=TYPE)
    with pytest.raises(OfflineSigningError, match="not a govdesk UR part"):
        decode_parts(["hello"], expected_type=TYPE)
    with pytest.raises(OfflineSigningError, match="damaged"):
        decode_parts([f"ur:{TYPE}/a"], expected_type=TYPE)  # not valid base32 length
    with pytest.raises(OfflineSigningError, match="No codes"):
        decode_parts([], expected_type=TYPE)


def test_a_corrupted_fragment_fails_the_checksum() -> None:
    parts = encode_parts(TYPE, b"0123456789" * 30, fragment_bytes=100)
    head, _, payload = parts[1].rpartition("/")
    flipped = payload[:-3] + ("a" if payload[-3] != "a" else "b") + payload[-2:]
    with pytest.raises(OfflineSigningError, match="fails its checksum"):
        decode_parts([parts[0], f"{head}/{flipped}", parts[2]], expected_type=TYPE)
