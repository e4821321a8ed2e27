"""Blockies: the identicons the Ethereum world knows (Etherscan, MyEtherWallet, Snapshot), no Qt.

Our own implementation of the published algorithm (ethereum/blockies): the seed (the lower-cased
address) fills four 32-bit words of a xorshift generator; three colours are drawn as HSL
(``color``, ``bgcolor``, ``spotcolor``, in that order), then an 8×8 grid whose left half is drawn
row by row and mirrored. Cell values are 0 (background), 1 (colour), 2 or more (spot colour).

JavaScript's semantics are kept exactly: ``<<`` and ``>>`` act on signed 32-bit integers, ``>>>0``
reads one as unsigned, and ``rand()`` returns a value in [0, 2) (it divides by 2^31, not 2^32),
so saturation and lightness can exceed 100% and are clamped, as a browser clamps ``hsl()``.
tests/js/blockies_reference.js transcribes the same description for node; the tests compare both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

_MASK = 0xFFFFFFFF


def _int32(value: int) -> int:
    value &= _MASK
    return value - (1 << 32) if value & 0x80000000 else value


@dataclass(frozen=True)
class Hsl:
    """A colour as the reference computes it: hue in degrees (may pass 360), s and l in percent."""

    h: int
    s: float
    l: float  # noqa: E741 - the name of the channel

    def clamped(self) -> tuple[float, float, float]:
        """(hue 0-1, saturation 0-1, lightness 0-1), as CSS reads ``hsl(h, s%, l%)``."""
        return (
            (self.h % 360) / 360,
            min(max(self.s, 0), 100) / 100,
            min(max(self.l, 0), 100) / 100,
        )

    def rgb(self) -> tuple[int, int, int]:
        """The sRGB bytes a browser paints for this colour (CSS Color 4 hsl-to-rgb)."""
        h, s, l = self.clamped()  # noqa: E741
        a = s * min(l, 1 - l)

        def channel(n: int) -> int:
            k = (n + h * 12) % 12
            return round(255 * (l - a * max(-1, min(k - 3, 9 - k, 1))))

        return channel(0), channel(8), channel(4)


@dataclass(frozen=True)
class Blockie:
    size: int
    color: Hsl
    bgcolor: Hsl
    spotcolor: Hsl
    cells: tuple[int, ...]  # size*size values, row by row

    def fill(self, index: int) -> Hsl:
        value = self.cells[index]
        if value == 0:
            return self.bgcolor
        return self.color if value == 1 else self.spotcolor


class _Xorshift:
    def __init__(self, seed: str) -> None:
        self.words = [0, 0, 0, 0]
        for i, char in enumerate(seed):
            word = self.words[i % 4]
            # (w << 5) - w + c, then kept as JS would feed it to the next 32-bit operation.
            self.words[i % 4] = _int32(_int32(word << 5) - word + ord(char))

    def rand(self) -> float:
        w = self.words
        t = _int32(w[0] ^ _int32(w[0] << 11))
        w[0], w[1], w[2] = w[1], w[2], w[3]
        w[3] = _int32(w[3] ^ (w[3] >> 19) ^ t ^ (t >> 8))
        return (w[3] & _MASK) / 2**31

    def colour(self) -> Hsl:
        h = math.floor(self.rand() * 360)
        s = self.rand() * 60 + 40
        l = (self.rand() + self.rand() + self.rand() + self.rand()) * 25  # noqa: E741
        return Hsl(h, s, l)


def blockie(seed: str, size: int = 8) -> Blockie:
    """The blockie for ``seed`` exactly as the reference draws it (callers lower-case addresses)."""
    if size < 1:
        raise ValueError("a blockie has at least one cell per row")
    rng = _Xorshift(seed)
    color, bgcolor, spotcolor = rng.colour(), rng.colour(), rng.colour()
    data_width = math.ceil(size / 2)
    mirror = size - data_width
    cells: list[int] = []
    for _row in range(size):
        half = [math.floor(rng.rand() * 2.3) for _ in range(data_width)]
        cells += half + half[:mirror][::-1]
    return Blockie(size, color, bgcolor, spotcolor, tuple(cells))


def address_blockie(address: str) -> Blockie:
    """Addresses are seeded lower-cased, so a checksummed and a plain address look the same."""
    return blockie(address.strip().lower())
