"""Bytewords (BCR-2020-012): bytes as four-letter English words, with a CRC32 checksum.

Each byte is one word from a fixed table of 256. UR uses the *minimal* style: only the first and
last letter of each word, no separator, so a byte costs two characters like hex but a misread
letter pair rarely lands on another word. Four more words carry the CRC32 (big-endian) of the
data; decoding verifies it. The ``standard`` (space) and ``uri`` (hyphen) styles use whole words.
"""

from __future__ import annotations

import zlib
from enum import Enum

from app.errors import InputError

# The table of BCR-2020-012, revised October 4, 2020 (alphabetical order fixed in 0x80 and 0xf8).
_ROWS = (
    "able acid also apex aqua arch atom aunt away axis back bald barn belt beta bias",
    "blue body brag brew bulb buzz calm cash cats chef city claw code cola cook cost",
    "crux curl cusp cyan dark data days deli dice diet door down draw drop drum dull",
    "duty each easy echo edge epic even exam exit eyes fact fair fern figs film fish",
    "fizz flap flew flux foxy free frog fuel fund gala game gear gems gift girl glow",
    "good gray grim guru gush gyro half hang hard hawk heat help high hill holy hope",
    "horn huts iced idea idle inch inky into iris iron item jade jazz join jolt jowl",
    "judo jugs jump junk jury keep keno kept keys kick kiln king kite kiwi knob lamb",
    "lava lazy leaf legs liar limp lion list logo loud love luau luck lung main many",
    "math maze memo menu meow mild mint miss monk nail navy need news next noon note",
    "numb obey oboe omit onyx open oval owls paid part peck play plus poem pool pose",
    "puff puma purr quad quiz race ramp real redo rich road rock roof ruby ruin runs",
    "rust safe saga scar sets silk skew slot soap solo song stub surf swan taco task",
    "taxi tent tied time tiny toil tomb toys trip tuna twin ugly undo unit urge user",
    "vast very veto vial vibe view visa void vows wall wand warm wasp wave waxy webs",
    "what when whiz wolf work yank yawn yell yoga yurt zaps zero zest zinc zone zoom",
)
WORDS: tuple[str, ...] = tuple(word for row in _ROWS for word in row.split())
_BY_WORD = {word: index for index, word in enumerate(WORDS)}
_BY_MINIMAL = {word[0] + word[3]: index for index, word in enumerate(WORDS)}
CHECKSUM_BYTES = 4


class Style(Enum):
    STANDARD = " "
    URI = "-"
    MINIMAL = ""


class BytewordsError(InputError):
    """Text that is not valid bytewords, or whose checksum does not match."""


def _with_checksum(data: bytes) -> bytes:
    return data + zlib.crc32(data).to_bytes(CHECKSUM_BYTES, "big")


def encode(data: bytes, style: Style = Style.MINIMAL) -> str:
    """``data`` and its CRC32 as bytewords in ``style``."""
    words = [WORDS[byte] for byte in _with_checksum(data)]
    if style is Style.MINIMAL:
        return "".join(word[0] + word[3] for word in words)
    return str(style.value).join(words)


def _split(text: str, style: Style) -> list[str]:
    if style is Style.MINIMAL:
        if len(text) % 2:
            raise BytewordsError("The bytewords text has an odd number of letters.")
        return [text[i : i + 2] for i in range(0, len(text), 2)]
    return text.split(str(style.value))


def _to_bytes(tokens: list[str], style: Style) -> bytes:
    table = _BY_MINIMAL if style is Style.MINIMAL else _BY_WORD
    try:
        return bytes(table[token] for token in tokens)
    except KeyError as exc:
        raise BytewordsError(
            "The bytewords text contains something that is not a byteword.",
            detail=f"{exc.args[0]!r}",
        ) from None


def decode(text: str, style: Style = Style.MINIMAL) -> bytes:
    """The data encoded in ``text`` (any letter case); verifies and strips the CRC32."""
    raw = _to_bytes(_split(text.strip().lower(), style), style)
    if len(raw) < CHECKSUM_BYTES:
        raise BytewordsError("The bytewords text is too short to carry its checksum.")
    data, checksum = raw[:-CHECKSUM_BYTES], raw[-CHECKSUM_BYTES:]
    if _with_checksum(data)[-CHECKSUM_BYTES:] != checksum:
        raise BytewordsError("The bytewords checksum does not match: the text is damaged.")
    return data
