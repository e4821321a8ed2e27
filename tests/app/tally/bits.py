"""Bitwise comparison of tally results (``==`` would equate -0.0 with 0.0).

JavaScript has one NaN (no program can tell two apart), so every NaN compares as the same.
"""

from __future__ import annotations

import math
import struct

from app.tally import TallyResult


def result_bits(result: TallyResult) -> tuple[object, ...]:
    def bits(value: float) -> str:
        return "NaN" if math.isnan(value) else struct.pack("<d", value).hex()

    return (
        tuple(bits(v) for v in result.scores),
        tuple(tuple(bits(v) for v in row) for row in result.scores_by_strategy),
        bits(result.scores_total),
    )


def assert_bit_identical(ours: TallyResult, reference: TallyResult) -> None:
    assert result_bits(ours) == result_bits(reference), (ours, reference)
