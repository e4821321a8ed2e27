"""Bytewords: the BCR-2020-012 test vectors, round trips, and checksum failures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.keys import bytewords
from app.keys.bytewords import BytewordsError, Style

# BCR-2020-012 (revised 2020-10-04), "Example/Test Vector": the seed body and its encodings.
SEED_BODY = bytes.fromhex("d99d6ca20150c7098580125e2ab0981253468b2dbc5202c11947da")
SEED_STANDARD = (
    "tuna next jazz oboe acid good slot axis limp lava "
    "brag holy door puff monk brag guru frog luau drop "
    "roof grim also safe chef fuel twin solo aqua work "
    "bald"
)
SEED_MINIMAL = "tantjzoeadgdstaslplabghydrpfmkbggufgludprfgmaosecffltnsoaawkbd"
# "Brutal encoding" section of the same spec: the bare 16-byte payload.
BRUTAL_BODY = bytes.fromhex("c7098580125e2ab0981253468b2dbc52")
BRUTAL_MINIMAL = "staslplabghydrpfmkbggufgludprfgmzepsbtwd"


def test_word_table_is_the_spec_table() -> None:
    assert len(bytewords.WORDS) == 256
    assert list(bytewords.WORDS) == sorted(bytewords.WORDS)  # the 2020-10-04 fix
    assert len({w[0] + w[3] for w in bytewords.WORDS}) == 256
    assert (bytewords.WORDS[0], bytewords.WORDS[0x87], bytewords.WORDS[0xFB]) == (
        "able",
        "list",
        "zero",
    )


@pytest.mark.parametrize(
    ("style", "text"),
    [
        (Style.STANDARD, SEED_STANDARD),
        (Style.URI, SEED_STANDARD.replace(" ", "-")),
        (Style.MINIMAL, SEED_MINIMAL),
    ],
)
def test_bytewords_match_the_spec_vector(style: Style, text: str) -> None:
    assert bytewords.encode(SEED_BODY, style) == text
    assert bytewords.decode(text, style) == SEED_BODY
    assert bytewords.decode(text.upper(), style) == SEED_BODY


def test_bytewords_match_the_brutal_vector() -> None:
    assert bytewords.encode(BRUTAL_BODY) == BRUTAL_MINIMAL
    assert bytewords.decode(BRUTAL_MINIMAL) == BRUTAL_BODY


@given(data=st.binary(max_size=300), style=st.sampled_from(Style))
def test_bytewords_round_trip(data: bytes, style: Style) -> None:
    assert bytewords.decode(bytewords.encode(data, style), style) == data


@given(data=st.binary(min_size=1, max_size=100), index=st.integers(0), flip=st.integers(1, 255))
def test_any_changed_word_fails_the_checksum(data: bytes, index: int, flip: int) -> None:
    text = bytewords.encode(data)
    pairs = [text[i : i + 2] for i in range(0, len(text), 2)]
    index %= len(pairs)
    minimal = [w[0] + w[3] for w in bytewords.WORDS]
    pairs[index] = minimal[minimal.index(pairs[index]) ^ flip]
    with pytest.raises(BytewordsError, match="checksum"):
        bytewords.decode("".join(pairs))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tan", "odd number"),
        ("tantjzxx", "not a byteword"),
        ("tant", "too short"),
        ("", "too short"),
    ],
)
def test_malformed_bytewords_are_rejected_clearly(text: str, message: str) -> None:
    with pytest.raises(BytewordsError, match=message) as info:
        bytewords.decode(text)
    assert info.value.user_message
