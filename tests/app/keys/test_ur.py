"""Uniform Resources: BCR-2020-005 vectors, any-order reassembly, damage and mix-ups caught."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.keys import bytewords, cbor
from app.keys.errors import OfflineSigningError
from app.keys.ur import (
    UR,
    UrDecoder,
    decode_parts,
    decode_ur,
    encode_parts,
    encode_ur,
    nominal_fragment_length,
)

TYPE = "govdesk-sign-request"

# BCR-2020-005 "UR CBOR Tags": the untagged seed {1: h'c709...'} as a single-part UR.
SEED_CBOR = bytes.fromhex("a10150c7098580125e2ab0981253468b2dbc52")
SEED_UR = "ur:seed/oyadgdstaslplabghydrpfmkbggufgludprfgmamdpwmox"
# BCR-2020-005 "UR Encoding": one message shown single-part, and part 1 of its 3-part form.
LONG_SEED_UR = (
    "ur:seed/oyadhdeynteelblrcygldwvarflojtcywyjytpdkfwprylienshnjnpluypmamtkmybsjkspvseesawmrl"
    "tdlnlgkplfbkqzzoglfeoyaegslobemohs"
)
LONG_SEED_PART_1 = "ur:seed/1-3/lpadaxcsencylobemohsgmoyadhdeynteelblrcygldwvarflojtcywyjydmylgdsa"


def test_single_part_matches_the_spec_vector() -> None:
    assert encode_ur(UR("seed", SEED_CBOR)) == [SEED_UR]
    assert decode_ur([SEED_UR]) == UR("seed", SEED_CBOR)
    assert decode_ur([SEED_UR.upper()], expected_type="seed").cbor == SEED_CBOR


def test_multi_part_matches_the_spec_vector() -> None:
    message = decode_ur([LONG_SEED_UR]).cbor
    fragment = len(message) // 3
    parts = encode_ur(UR("seed", message), max_fragment_bytes=fragment)
    assert len(parts) == 3
    assert parts[0] == LONG_SEED_PART_1
    assert decode_ur(parts[::-1]) == UR("seed", message)
    header = cbor.decode(bytewords.decode(LONG_SEED_PART_1.rsplit("/", 1)[1]))
    assert header[:3] == [1, 3, len(message)]  # type: ignore[index]


@pytest.mark.parametrize(
    ("length", "limit", "expected"),
    [(54, 18, 18), (54, 20, 18), (100, 200, 100), (1000, 200, 200), (1001, 200, 167), (25, 10, 13)],
)
def test_nominal_fragment_length_uses_the_fewest_equal_fragments(
    length: int, limit: int, expected: int
) -> None:
    assert nominal_fragment_length(length, limit) == expected


@settings(deadline=None, max_examples=60)  # shared CI cores: no per-example deadline
@given(message=st.binary(max_size=2000), size=st.integers(1, 300), seed=st.integers(0, 99))
def test_parts_reassemble_in_any_order(message: bytes, size: int, seed: int) -> None:
    parts = encode_parts(TYPE, message, fragment_bytes=size)
    wrapped = len(cbor.encode(message))
    if wrapped <= size:
        assert len(parts) == 1
    elif len(parts) > 1:  # tiny limits may round up to one part, as in the reference encoders
        assert [p.split("/")[1] for p in parts] == [
            f"{i}-{len(parts)}" for i in range(1, len(parts) + 1)
        ]
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


def test_the_decoder_reports_progress_and_completion() -> None:
    parts = encode_parts(TYPE, bytes(range(250)) * 2, fragment_bytes=100)
    decoder = UrDecoder(expected_type=TYPE)
    assert decoder.missing() == []
    assert decoder.receive(parts[2]) is False
    assert decoder.missing() == [i for i in range(1, len(parts) + 1) if i != 3]
    assert [decoder.receive(p) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert decoder.result is not None
    assert cbor.decode(decoder.result.cbor) == bytes(range(250)) * 2


def test_missing_parts_are_named() -> None:
    parts = encode_parts(TYPE, bytes(1000), fragment_bytes=100)
    assert len(parts) == 11
    with pytest.raises(OfflineSigningError, match="missing: 3, 7"):
        decode_parts([p for i, p in enumerate(parts, 1) if i not in (3, 7)], expected_type=TYPE)


def test_parts_of_different_messages_do_not_mix() -> None:
    a = encode_parts(TYPE, b"a" * 300, fragment_bytes=100)
    b = encode_parts(TYPE, b"b" * 301, fragment_bytes=100)
    with pytest.raises(OfflineSigningError, match="different messages"):
        decode_parts([a[0], b[1], a[2]], expected_type=TYPE)


def test_wrong_type_and_garbage_are_rejected() -> None:
    with pytest.raises(OfflineSigningError, match="expected"):
        decode_parts(encode_parts("other-type", b"x"), expected_type=TYPE)
    with pytest.raises(OfflineSigningError, match="expected"):
        decode_ur([*encode_parts(TYPE, bytes(300)), *encode_parts("other", bytes(300))])
    with pytest.raises(OfflineSigningError, match="not a UR part"):
        decode_parts(["hello"], expected_type=TYPE)
    with pytest.raises(OfflineSigningError, match="damaged"):
        decode_parts([f"ur:{TYPE}/a"], expected_type=TYPE)  # not whole bytewords
    with pytest.raises(OfflineSigningError, match="damaged"):  # good words, but not CBOR
        decode_parts([f"ur:{TYPE}/{bytewords.encode(b'_')}"], expected_type=TYPE)
    with pytest.raises(OfflineSigningError, match="byte string"):
        decode_parts(encode_ur(UR(TYPE, cbor.encode([1]))), expected_type=TYPE)
    with pytest.raises(OfflineSigningError, match="No codes"):
        decode_parts([], expected_type=TYPE)


def test_a_corrupted_part_is_caught_by_its_own_checksum() -> None:
    parts = encode_parts(TYPE, b"0123456789" * 30, fragment_bytes=100)
    head, _, payload = parts[1].rpartition("/")
    flipped = payload[:-12] + ("ad" if payload[-12:-10] != "ad" else "ae") + payload[-10:]
    with pytest.raises(OfflineSigningError, match="damaged"):
        decode_parts([parts[0], f"{head}/{flipped}", parts[2]], expected_type=TYPE)


def _reframe(part: str, change: int, value: object) -> str:
    head, _, words = part.rpartition("/")
    body = cbor.decode(bytewords.decode(words))
    assert isinstance(body, list)
    body[change] = value  # type: ignore[call-overload]
    return f"{head}/{bytewords.encode(cbor.encode(body))}"


def test_a_wrong_message_checksum_is_caught_after_reassembly() -> None:
    parts = encode_parts(TYPE, b"0123456789" * 30, fragment_bytes=100)
    forged = [_reframe(p, 3, 12345) for p in parts]  # consistent headers, wrong crc32
    with pytest.raises(OfflineSigningError, match="fails its checksum"):
        decode_parts(forged, expected_type=TYPE)


@pytest.mark.parametrize(
    ("change", "value", "detail"),
    [
        (0, 2, "sequence numbers"),
        (2, 10_000, "inconsistent"),
        (3, 1 << 32, "inconsistent"),
        (1, "3", "non-integer"),
        (4, "text", "not a byte string"),
    ],
)
def test_inconsistent_headers_are_damage(change: int, value: object, detail: str) -> None:
    part = encode_parts(TYPE, bytes(300), fragment_bytes=100)[0]
    with pytest.raises(OfflineSigningError, match="damaged") as info:
        decode_parts([_reframe(part, change, value)], expected_type=TYPE)
    assert detail in str(info.value)


def test_bad_types_and_sizes_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="UR type"):
        encode_ur(UR("Bad Type", b"\x00"))
    with pytest.raises(ValueError, match="positive"):
        encode_ur(UR("bytes", b"\x00"), max_fragment_bytes=0)
    with pytest.raises(ValueError, match="not negative"):
        encode_ur(UR("bytes", b"\x00"), extra_parts=-1)
