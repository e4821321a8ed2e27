"""Fountain-coded multi-part UR: the reference implementation's vectors, and decoding from
mixed parts when pure ones were missed."""

from __future__ import annotations

import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.keys import bytewords, cbor
from app.keys.errors import OfflineSigningError
from app.keys.fountain import RandomSampler, Xoshiro256, choose_fragments, shuffled
from app.keys.ur import UR, UrDecoder, decode_ur, encode_ur

# The vectors below are from the Blockchain Commons reference test suites (bc-ur, URKit
# FountainCodesTests): testRNG1, testRNG3, testShuffle, testRandomSampler, testXOR,
# testFragmentChooser and testEncoderCBOR. "makeMessage" is Xoshiro256("Wolf") bytes.


def _make_message(length: int) -> bytes:
    return Xoshiro256(b"Wolf").next_bytes(length)


def test_xoshiro_matches_the_reference() -> None:
    rng = Xoshiro256(b"Wolf")
    assert [rng.next() % 100 for _ in range(20)] == [
        42, 81, 85, 8, 82, 84, 76, 73, 70, 88, 2, 74, 40, 48, 77, 54, 88, 7, 5, 88,
    ]  # fmt: skip
    rng = Xoshiro256(b"Wolf")
    assert [rng.next_int(1, 10) for _ in range(20)] == [
        6, 5, 8, 4, 10, 5, 7, 10, 4, 9, 10, 9, 7, 7, 1, 1, 2, 9, 9, 2,
    ]  # fmt: skip
    rng = Xoshiro256(b"Wolf")
    assert rng.next_bytes(10).hex() == "916ec65cf77cadf55cd7"
    assert rng.next_bytes(10).hex() == "f9cda1a1030026ddd42e"


def test_shuffle_and_sampler_match_the_reference() -> None:
    rng = Xoshiro256(b"Wolf")
    assert [shuffled(list(range(1, 11)), rng, count) for count in range(1, 5)] == [
        [6],
        [5, 8],
        [4, 10, 5],
        [7, 10, 3, 8],
    ]
    rng = Xoshiro256(b"Wolf")
    sampler = RandomSampler([1, 2, 4, 8])
    assert [sampler.next(rng) for _ in range(20)] == [
        3, 3, 3, 3, 3, 3, 3, 0, 2, 3, 3, 3, 3, 1, 2, 2, 1, 3, 3, 2,
    ]  # fmt: skip


def test_fragment_choice_matches_the_reference() -> None:
    message = _make_message(1024)
    checksum = zlib.crc32(message)
    chosen = [sorted(choose_fragments(n, 11, checksum)) for n in range(1, 21)]
    assert chosen == [[i] for i in range(11)] + [
        [9],
        [2, 5, 6, 8, 9, 10],
        [8],
        [1, 5],
        [1],
        [0, 2, 4, 5, 8, 10],
        [5],
        [2],
        [2],
    ]


EXPECTED_PART_BODIES = [  # testEncoderCBOR: makeMessage(256), max fragment 30, parts 1..20
    "8501091901001a0167aa07581d916ec65cf77cadf55cd7f9cda1a1030026ddd42e905b77adc36e4f2d3c",
    "8502091901001a0167aa07581dcba44f7f04f2de44f42d84c374a0e149136f25b01852545961d55f7f7a",
    "8503091901001a0167aa07581d8cde6d0e2ec43f3b2dcb644a2209e8c9e34af5c4747984a5e873c9cf5f",
    "8504091901001a0167aa07581d965e25ee29039fdf8ca74f1c769fc07eb7ebaec46e0695aea6cbd60b3e",
    "8505091901001a0167aa07581dc4bbff1b9ffe8a9e7240129377b9d3711ed38d412fbb4442256f1e6f59",
    "8506091901001a0167aa07581d5e0fc57fed451fb0a0101fb76b1fb1e1b88cfdfdaa946294a47de8fff1",
    "8507091901001a0167aa07581d73f021c0e6f65b05c0a494e50791270a0050a73ae69b6725505a2ec8a5",
    "8508091901001a0167aa07581d791457c9876dd34aadd192a53aa0dc66b556c0c215c7ceb8248b717c22",
    "8509091901001a0167aa07581d951e65305b56a3706e3e86eb01c803bbf915d80edcd64d4d0000000000",
    "850a091901001a0167aa07581d330f0f33a05eead4f331df229871bee733b50de71afd2e5a79f196de09",
    "850b091901001a0167aa07581d3b205ce5e52d8c24a52cffa34c564fa1af3fdffcd349dc4258ee4ee828",
    "850c091901001a0167aa07581ddd7bf725ea6c16d531b5f03254783803048ca08b87148daacd1cd7a006",
    "850d091901001a0167aa07581d760be7ad1c6187902bbc04f539b9ee5eb8ea6833222edea36031306c01",
    "850e091901001a0167aa07581d5bf4031217d2c3254b088fa7553778b5003632f46e21db129416f65b55",
    "850f091901001a0167aa07581d73f021c0e6f65b05c0a494e50791270a0050a73ae69b6725505a2ec8a5",
    "8510091901001a0167aa07581db8546ebfe2048541348910267331c643133f828afec9337c318f71b7df",
    "8511091901001a0167aa07581d23dedeea74e3a0fb052befabefa13e2f80e4315c9dceed4c8630612e64",
    "8512091901001a0167aa07581dd01a8daee769ce34b6b35d3ca0005302724abddae405bdb419c0a6b208",
    "8513091901001a0167aa07581d3171c5dc365766eff25ae47c6f10e7de48cfb8474e050e5fe997a6dc24",
    "8514091901001a0167aa07581de055c2433562184fa71b4be94f262e200f01c6f74c284b0dc6fae6673f",
]


def _bodies(parts: list[str]) -> list[str]:
    return [bytewords.decode(p.rsplit("/", 1)[1]).hex() for p in parts]


def test_encoder_matches_the_reference_parts_including_mixed_ones() -> None:
    # The reference encodes the raw message; as a UR message it must be CBOR, so compare bodies.
    message = _make_message(256)
    parts = encode_ur(UR("bytes", message), max_fragment_bytes=30, extra_parts=11)
    assert _bodies(parts) == EXPECTED_PART_BODIES
    assert [p.split("/")[1] for p in parts[8:11]] == ["9-9", "10-9", "11-9"]


def test_the_message_decodes_from_mixed_parts_alone_or_with_gaps() -> None:
    message = cbor.encode(_make_message(256))
    parts = encode_ur(UR("bytes", message), max_fragment_bytes=30, extra_parts=60)
    assert decode_ur(parts[9:]) == UR("bytes", message)  # no pure part at all
    decoder = UrDecoder()
    for part in parts[::2] + parts[1::2]:  # every other part first: gaps filled by mixes
        if decoder.receive(part):
            break
    assert decoder.result == UR("bytes", message)


def test_a_reassembled_message_must_be_cbor() -> None:
    parts = encode_ur(UR("bytes", b"\xff" * 100), max_fragment_bytes=30)
    with pytest.raises(OfflineSigningError, match="damaged"):
        decode_ur(parts)


@settings(deadline=None, max_examples=40)
@given(size=st.integers(100, 1500), drop=st.floats(0, 0.5), seed=st.integers(0, 10_000))
def test_a_lossy_scan_completes_from_the_fountain(size: int, drop: float, seed: int) -> None:
    message = cbor.encode(random.Random(seed).randbytes(size))
    parts = encode_ur(UR("bytes", message), max_fragment_bytes=60, extra_parts=400)
    rng = random.Random(seed)
    decoder = UrDecoder(expected_type="bytes")
    seen = [p for p in parts if rng.random() >= drop]
    assert any(decoder.receive(p) for p in seen)
    assert decoder.result == UR("bytes", message)
