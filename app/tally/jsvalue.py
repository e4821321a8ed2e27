"""JavaScript value semantics for JSON-shaped Python values.

snapshot.js validates vote choices with JavaScript's loose coercions (``choice - 1``,
``Number(key)``, ``typeof x === "number"``, ``new Set(...)``). To agree with it on every input, the
validity checks here reproduce those coercions for the values ``json.loads`` produces: ``None``,
``bool``, ``int``, ``float``, ``str``, ``list`` (and ``tuple``) and ``dict``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from typing import TypeGuard

NAN = math.nan

# ECMAScript StrWhiteSpaceChar: WhiteSpace (incl. every Zs character) and LineTerminator.
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"  # noqa: E501
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_RADIX = re.compile(r"0(?:[xX](?P<hex>[0-9a-fA-F]+)|[oO](?P<oct>[0-7]+)|[bB](?P<bin>[01]+))")
_RADIX_BASES = {"hex": 16, "oct": 8, "bin": 2}
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
_MAX_ARRAY_INDEX = 2**32 - 2


def is_js_number(value: object) -> TypeGuard[int | float]:
    """True when JavaScript's ``typeof value === "number"`` (Python bools are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def int_to_double(value: int) -> float:
    """Convert an integer to the double JavaScript would hold (huge values become ±Infinity)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def number_value(value: int | float) -> float:
    """The double behind a JSON number (int or float)."""
    return int_to_double(value) if isinstance(value, int) else value


def string_to_number(text: str) -> float:
    """ECMAScript ``StringToNumber``: ``Number("  0x1f ")`` is 31, ``Number("")`` is 0."""
    stripped = text.strip(_JS_WHITESPACE)
    if not stripped:
        return 0.0
    if _DECIMAL.fullmatch(stripped):
        return float(stripped)
    radix = _RADIX.fullmatch(stripped)
    if radix is None:
        return NAN
    for group, base in _RADIX_BASES.items():
        digits = radix.group(group)
        if digits is not None:
            return int_to_double(int(digits, base))
    return NAN


def to_number(value: object) -> float:
    """ECMAScript ``ToNumber`` for JSON-shaped values (what ``value - 1`` coerces to)."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return number_value(value)
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, list | tuple):
        return _array_to_number(value)
    return NAN


def _array_to_number(items: list[object] | tuple[object, ...]) -> float:
    # An array becomes its comma-joined string first: [] -> "" -> 0, [x] -> String(x), and two or
    # more elements always contain a comma, which no numeric literal does.
    if not items:
        return 0.0
    if len(items) > 1:
        return NAN
    only = items[0]
    if only is None:
        return 0.0
    if isinstance(only, bool):
        return NAN  # "true" / "false"
    if isinstance(only, int | float):
        return to_number(only) + 0.0  # String(-0) is "0"
    return to_number(only) if isinstance(only, str | list | tuple) else NAN


def is_choice_index(number: float, choices_count: int) -> bool:
    """True when ``choices[number - 1] !== undefined`` for an array of ``choices_count`` items."""
    return math.isfinite(number) and number == int(number) and 1 <= number <= choices_count


def same_value_zero_key(value: object) -> Hashable:
    """A key under which two values are equal exactly when a JavaScript ``Set`` merges them."""
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, int | float):
        number = number_value(value)
        return ("nan",) if math.isnan(number) else ("number", number + 0.0)
    if isinstance(value, str):
        return ("string", value)
    return ("object", id(value))  # arrays and objects are compared by reference


def has_duplicates(items: list[object] | tuple[object, ...]) -> bool:
    """``items.length !== new Set(items).size``."""
    return len({same_value_zero_key(item) for item in items}) != len(items)


def number_to_string(number: float) -> str:
    """ECMAScript ``Number::toString`` (shortest round-trip digits, JavaScript layout)."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction.rstrip("0")).lstrip("0") or "0"
    # point: the position of the decimal point relative to the start of ``digits``.
    point = len(whole.lstrip("0")) + int(exponent or 0)
    if whole.strip("0") == "":
        point = -(len(fraction) - len(fraction.lstrip("0"))) + int(exponent or 0)
    return sign + _layout(digits.rstrip("0") or "0", point)


def _layout(digits: str, point: int) -> str:
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    exponent = point - 1
    mantissa = digits if count == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def property_key(key: object) -> str:
    """The string a JavaScript object uses as the property key for ``key``."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int | float):
        return number_to_string(number_value(key))
    return str(key)


def is_array_index(key: str) -> bool:
    """True for canonical array-index keys, which JavaScript orders first and numerically."""
    return _ARRAY_INDEX.fullmatch(key) is not None and int(key) <= _MAX_ARRAY_INDEX


def object_entries(mapping: dict[object, object]) -> list[tuple[str, object]]:
    """``Object.entries`` order: array-index keys ascending, then the rest in insertion order."""
    merged: dict[str, object] = {}
    for key, value in mapping.items():
        merged[property_key(key)] = value
    indexed = sorted((key for key in merged if is_array_index(key)), key=int)
    named = [key for key in merged if not is_array_index(key)]
    return [(key, merged[key]) for key in indexed + named]
