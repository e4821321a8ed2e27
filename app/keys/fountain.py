"""The fountain code of multi-part UR (BCR-2020-005 / BCR-2024-001): which fragments a part mixes.

Part ``seqNum <= seqLen`` is fragment ``seqNum - 1`` alone. A later part XORs a pseudo-random set
of fragments chosen by a Xoshiro256** generator seeded with ``sha256(u32be(seqNum) ||
u32be(checksum))``: a degree is drawn with probability proportional to ``1/degree`` (Walker's
alias method), then the first ``degree`` indexes of a seeded shuffle. Encoder and decoder must
agree bit for bit, so the float arithmetic follows the reference implementations exactly.

``MixedPartSolver`` peels mixed parts with the fragments already known (and with each other),
so a scanner that missed some pure parts can still finish from later mixed ones.
"""

from __future__ import annotations

import hashlib

_MASK64 = (1 << 64) - 1


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK64


class Xoshiro256:
    """Xoshiro256** seeded, as in the UR reference code, from the SHA-256 of some bytes."""

    def __init__(self, seed: bytes) -> None:
        digest = hashlib.sha256(seed).digest()
        self._s = [int.from_bytes(digest[i : i + 8], "big") for i in range(0, 32, 8)]

    def next(self) -> int:
        s = self._s
        result = (_rotl((s[1] * 5) & _MASK64, 7) * 9) & _MASK64
        t = (s[1] << 17) & _MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return result

    def next_double(self) -> float:
        return float(self.next()) / 18446744073709551616.0  # 2**64, as a double

    def next_int(self, low: int, high: int) -> int:
        """Uniform in ``low..high`` inclusive."""
        return int(self.next_double() * float(high - low + 1)) + low

    def next_bytes(self, count: int) -> bytes:
        return bytes(self.next_int(0, 255) for _ in range(count))


class RandomSampler:
    """Walker/Vose alias sampling over ``weights`` (all positive)."""

    def __init__(self, weights: list[float]) -> None:
        count = len(weights)
        total = 0.0
        for weight in weights:  # left to right, as the reference sums
            total += weight
        scaled = [w * float(count) / total for w in weights]
        small = [i for i in reversed(range(count)) if scaled[i] < 1.0]
        large = [i for i in reversed(range(count)) if scaled[i] >= 1.0]
        self._probs = [0.0] * count
        self._aliases = [0] * count
        while small and large:
            a, g = small.pop(), large.pop()
            self._probs[a], self._aliases[a] = scaled[a], g
            scaled[g] += scaled[a] - 1.0
            (small if scaled[g] < 1.0 else large).append(g)
        for index in large + small:
            self._probs[index] = 1.0

    def next(self, rng: Xoshiro256) -> int:
        r1, r2 = rng.next_double(), rng.next_double()
        index = int(float(len(self._probs)) * r1)
        return index if r2 < self._probs[index] else self._aliases[index]


def shuffled(items: list[int], rng: Xoshiro256, count: int) -> list[int]:
    """The first ``count`` items of the reference's seeded shuffle."""
    remaining, result = list(items), list[int]()
    while remaining and len(result) < count:
        result.append(remaining.pop(rng.next_int(0, len(remaining) - 1)))
    return result


def choose_fragments(seq_num: int, seq_len: int, checksum: int) -> frozenset[int]:
    """The zero-based fragment indexes part ``seq_num`` carries (XORed together)."""
    if seq_num <= seq_len:
        return frozenset({seq_num - 1})
    rng = Xoshiro256(seq_num.to_bytes(4, "big") + checksum.to_bytes(4, "big"))
    degree = RandomSampler([1.0 / d for d in range(1, seq_len + 1)]).next(rng) + 1
    return frozenset(shuffled(list(range(seq_len)), rng, degree))


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def mix(fragments: list[bytes], indexes: frozenset[int]) -> bytes:
    """The XOR of the chosen fragments (all the same length)."""
    result = bytes(len(fragments[0]))
    for index in indexes:
        result = xor(result, fragments[index])
    return result


class MixedPartSolver:
    """Recovers fragments from pure and mixed parts of one message."""

    def __init__(self) -> None:
        self.known: dict[int, bytes] = {}
        self._mixed: dict[frozenset[int], bytes] = {}

    def add(self, indexes: frozenset[int], data: bytes) -> None:
        queue = [(indexes, data)]
        while queue:
            self._settle(*queue.pop(), queue)

    def _settle(
        self, indexes: frozenset[int], data: bytes, queue: list[tuple[frozenset[int], bytes]]
    ) -> None:
        known = frozenset(self.known)
        for index in indexes & known:
            data = xor(data, self.known[index])
        indexes = indexes - known
        for other, other_data in self._mixed.items():
            if other < indexes:
                indexes, data = indexes - other, xor(data, other_data)
        if not indexes or indexes in self._mixed:
            return
        if len(indexes) == 1:
            self.known[next(iter(indexes))] = data
            queue.extend(self._mixed.items())  # each may now reduce further
            self._mixed.clear()
            return
        for other in [k for k in self._mixed if indexes < k]:
            queue.append((other - indexes, xor(self._mixed.pop(other), data)))
        self._mixed[indexes] = data
