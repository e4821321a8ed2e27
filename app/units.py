"""Token and ETH amounts for people: whole units with thousands separators and the symbol.

One formatter for the whole app (CLI and desktop): ``format_amount(100_000 * 10**18, 18,
"BTRST")`` is ``"100,000 BTRST"``. Raw integers are converted with exact decimal arithmetic (no
float rounding of 18-decimal values); the fraction is cut (never rounded up) to ``places``
digits and its trailing zeros dropped. A non-zero amount too small to show reads as
``"<0.0001 BTRST"`` rather than a misleading 0. Pure and dependency-free.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation, localcontext

from app.errors import InputError

ETH_DECIMALS = 18
DEFAULT_PLACES = 4
MAX_DECIMALS = 77  # uint256 has 78 digits: more decimals than that is not a real token


def to_units(raw: int, decimals: int) -> Decimal:
    """``raw`` base units as an exact Decimal number of whole tokens."""
    _check_decimals(decimals)
    with localcontext(prec=100):  # scaleb rounds to the context's precision
        return Decimal(raw).scaleb(-decimals)


def format_number(value: Decimal | float | int, *, places: int = DEFAULT_PLACES) -> str:
    """``1234567.891`` -> ``"1,234,567.891"``: separators, at most ``places`` decimals."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return str(number)
    step = Decimal(1).scaleb(-places)
    with localcontext(prec=100):  # uint256 amounts have 78 digits; the default keeps 28
        cut = number.quantize(step, rounding=ROUND_DOWN)
        if cut == 0 and number != 0:
            return ("-" if number < 0 else "") + f"<{step}"
        text = f"{cut:,.{places}f}" if places > 0 else f"{cut:,.0f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_amount(
    raw: int, decimals: int = ETH_DECIMALS, symbol: str = "", *, places: int = DEFAULT_PLACES
) -> str:
    """``raw`` base units as ``"100,000 BTRST"`` (no symbol: the number alone)."""
    text = format_number(to_units(raw, decimals), places=places)
    return f"{text} {symbol}" if symbol else text


def format_eth(wei: int, *, places: int = 6) -> str:
    return format_amount(wei, ETH_DECIMALS, "ETH", places=places)


def parse_amount(text: str, decimals: int = ETH_DECIMALS, what: str = "amount") -> int:
    """Base units from a typed amount ("1,000.5"); InputError when it cannot be one."""
    _check_decimals(decimals)
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        amount = Decimal(cleaned or "0")
    except InvalidOperation:
        raise InputError(f"“{text}” is not a number ({what}).") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(f"The {what} must be a positive number.")
    with localcontext(prec=100):
        raw = amount.scaleb(decimals)
    if raw != raw.to_integral_value():
        raise InputError(f"The {what} has more than {decimals} decimals.")
    return int(raw)


def _check_decimals(decimals: int) -> None:
    if not 0 <= decimals <= MAX_DECIMALS:
        raise InputError(f"A token with {decimals} decimals is not supported.")
