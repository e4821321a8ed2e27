"""Amounts in token units and durations in words, for simulation texts."""

from __future__ import annotations

from decimal import Decimal


def format_amount(raw: int, decimals: int, *, places: int = 6) -> str:
    """``1234500000000000000000, 18`` -> ``"1,234.5"``; at most ``places`` decimals shown."""
    if decimals <= 0:
        return f"{raw:,}"
    value = Decimal(raw) / (Decimal(10) ** decimals)
    text = f"{value:,.{places}f}".rstrip("0").rstrip(".")
    if text in {"0", "-0"} and raw:
        return f"{'-' if raw < 0 else ''}<0.{'0' * (places - 1)}1"
    return text


def format_duration(seconds: int) -> str:
    """``3600`` -> ``"3,600 s (1 h)"``."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes else ""]  # fmt: skip
    words = " ".join(p for p in parts if p)
    return f"{seconds:,} s ({words})" if words else f"{seconds:,} s"
