"""The compiled scanner's number reader reads every JSON number literal as Python does.

A literal with a fraction or an exponent is ``float(text)``; one without is ``float(int(text))``
(so ``-0`` is +0.0 and an integer past the double range is an infinity), with its int64 value
when it has one. Bits are compared, so -0.0 and 0.0 differ.
"""

from __future__ import annotations

import json
import math
import random
import struct
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.tally.scan import _scan

pytestmark = pytest.mark.skipif(_scan is None, reason="built without a C compiler")

INT64 = 2**63
HARD_LITERALS = [
    "2.2250738585072011e-308",  # just below the smallest normal double
    "2.2250738585072012e-308",
    "4.9406564584124654e-324",  # the smallest subnormal
    "2.4703282292062327e-324",  # just below half of it: zero
    "2.4703282292062328e-324",
    "1.7976931348623157e308",
    "1.7976931348623158e308",  # rounds down to the largest double
    "1.7976931348623159e308",  # overflows
    "9007199254740993",  # 2^53 + 1: halfway, to even
    "9007199254740992.5",
    "9007199254740993.0000000000001",
    "1.00000000000000011102230246251565404236316680908203125",  # exactly halfway: to even
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "0.1",
    "0.30000000000000004",
    "1e23",
    "8.98846567431158e307",
    "7.2057594037927933e16",
    "1e-400",
    "1e400",
    "-1e400",
    "-0",
    "-0.0",
    "-0e5",
    "0e0",
    "0.000",
    "0.0000000000000000000000000000001",
    "100000000000000000000000",
    "123456789012345678901234567890",
    "1" + "0" * 308,
    "1" + "0" * 309,
    "1" + "0" * 400,
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "5e-324",
    "3e-324",
    "2e-324",
    "1e-323",
    "1E2",
    "1e+2",
    "1.5E-7",
]
NOT_NUMBERS = ["", "-", "01", "-01", "1.", ".5", "-.5", "1e", "1e+", "+1", "1_0", "0x1", "--1",
               "NaN", "Infinity", "-Infinity", " 1", "1 ", "1.e5", "1,0", "١"]  # fmt: skip


def python_value(literal: str) -> tuple[str, int | None]:
    """What the exact path holds for ``literal``: the double's bits, and its int64 value."""
    value = json.loads(literal)
    if isinstance(value, int):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf if value > 0 else -math.inf
        return _bits(number), value if -INT64 <= value < INT64 else None
    return _bits(value), None


def compiled_value(literal: str) -> tuple[str, int | None] | None:
    read = _scan.parse_number(literal.encode())
    return None if read is None else (_bits(read[0]), read[1])


def _bits(value: float) -> str:
    return struct.pack("<d", value).hex()


@pytest.mark.parametrize("literal", HARD_LITERALS)
def test_hard_literals_are_read_as_python_reads_them(literal: str) -> None:
    assert compiled_value(literal) == python_value(literal)


@pytest.mark.parametrize("literal", NOT_NUMBERS)
def test_what_is_not_a_json_number_is_not_read(literal: str) -> None:
    assert compiled_value(literal) is None


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_shortest_repr_reads_back_to_its_double(value: float) -> None:
    literal = repr(value)
    assert compiled_value(literal) == python_value(literal)


@settings(max_examples=2000, deadline=None)
@given(
    negative=st.booleans(),
    digits=st.text("0123456789", min_size=1, max_size=26),
    point=st.integers(0, 26),
    exponent=st.none() | st.integers(-420, 420),
)
def test_literals_of_any_digits_and_exponent_are_read_as_python_reads_them(
    negative: bool, digits: str, point: int, exponent: int | None
) -> None:
    whole, fraction = digits[:point].lstrip("0") or "0", digits[point:]
    literal = ("-" if negative else "") + whole + (f".{fraction}" if fraction else "")
    if exponent is not None:
        literal += f"e{exponent}"
    assert compiled_value(literal) == python_value(literal)


def test_every_power_of_ten_in_the_table_reads_exactly() -> None:
    # Each decimal exponent uses its own 128-bit power of five: try several mantissas on each.
    rng = random.Random(20)
    mantissas = [1, 7, 5, 123456789, 2**53 - 1, 2**53 + 1, 10**19 - 1, 18446744073709551]
    for q in range(-345, 312):
        for w in [*mantissas, rng.getrandbits(63) % 10**19 or 1]:
            literal = f"{w}e{q}"
            assert compiled_value(literal) == python_value(literal), literal


def test_near_halfway_literals_round_as_python_rounds() -> None:
    # The exact midpoint of two neighbouring doubles, and literals just either side of it.
    rng = random.Random(7)
    with localcontext() as context:
        context.prec = 800
        for _ in range(3000):
            low = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(63)))[0]
            high = math.nextafter(low, math.inf)
            if not math.isfinite(low) or not math.isfinite(high) or low == 0:
                continue
            middle = (Decimal(low) + Decimal(high)) / 2
            for literal in (f"{middle:e}", f"{middle:.18e}", f"{middle:.16e}", f"{middle:.19e}"):
                assert compiled_value(literal) == python_value(literal), literal


def test_every_split_of_digits_into_groups_of_eight_four_and_one_reads_exactly() -> None:
    # Digits are read eight at once, then four at once, then one by one (up to 19 significant):
    # every integer and fraction length, leading zeros in the fraction, and a byte just outside
    # '0'..'9' ending the literal inside a group.
    rng = random.Random(4)
    pool = "0123456789"
    for whole_length in range(1, 22):
        for fraction_length in range(0, 24):
            for zeros in (0, 1, 3, 9):
                whole = rng.choice("123456789") + "".join(rng.choices(pool, k=whole_length - 1))
                if zeros and fraction_length:
                    whole = "0"
                fraction = "0" * zeros + "".join(rng.choices(pool, k=fraction_length))
                literal = whole + (f".{fraction}" if fraction_length else "")
                for text in (literal, "-" + literal, literal + "e-5", literal + "E17"):
                    assert compiled_value(text) == python_value(text), text
                    for stop in ("/", ":", " ", "x"):
                        assert compiled_value(text + stop) is None, text + stop
    for literal in ("1234.5678", "12345678.1234", "0.00012345", "4503599627370497.5", "1.0000",
                    "9999.9999", "72057594037927933.0", "123456789012345.6789", "-0.0000"):  # fmt: skip
        assert compiled_value(literal) == python_value(literal), literal
