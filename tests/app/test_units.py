"""The one amount formatter: whole token units, separators, symbol, no float rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.errors import InputError
from app.units import format_amount, format_eth, format_number, parse_amount, to_units

E18 = 10**18


@pytest.mark.parametrize(
    ("raw", "decimals", "symbol", "text"),
    [
        (100_000 * E18, 18, "BTRST", "100,000 BTRST"),
        (500 * E18, 18, "BTRST", "500 BTRST"),
        (1_234_567_891 * 10**15, 18, "COMP", "1,234,567.891 COMP"),
        (0, 18, "BTRST", "0 BTRST"),
        (1, 18, "BTRST", "<0.0001 BTRST"),
        (123_456_789, 6, "USDC", "123.4567 USDC"),  # cut, never rounded up
        (5, 0, "N", "5 N"),
        (
            2**256 - 1,
            18,
            "",
            "115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.584",
        ),
    ],
)
def test_format_amount(raw: int, decimals: int, symbol: str, text: str) -> None:
    assert format_amount(raw, decimals, symbol) == text


def test_eth_and_plain_numbers() -> None:
    assert format_eth(15 * 10**17) == "1.5 ETH"
    assert format_number(1234.5) == "1,234.5"
    assert format_number(Decimal("-0.00001")) == "-<0.0001"
    assert to_units(10**18 + 1, 18) == Decimal("1.000000000000000001")


def test_parse_amount_round_trips_and_refuses_bad_input() -> None:
    assert parse_amount("1,000.5") == 1000 * E18 + 5 * 10**17
    assert parse_amount("") == 0
    for bad, message in (("abc", "not a number"), ("-1", "positive"), ("1e-19", "decimals")):
        with pytest.raises(InputError, match=message):
            parse_amount(bad)
    with pytest.raises(InputError, match="not supported"):
        format_amount(1, 99)
