"""Which vote choices snapshot.js counts: ``isValidChoice`` for every voting type.

Each check mirrors the static ``isValidChoice`` of the snapshot.js 0.17.5 voting class, with
JavaScript semantics (see ``app.tally.jsvalue``): ``true`` is not a number, ``"2"`` indexes choice 2
in an approval ballot, an empty approval ballot is valid, and so on. Copeland has two variants:
``"current"`` (full rankings only, snapshot.js >= 0.14.25) and ``"legacy"`` (partial rankings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeGuard

from app.domain.voting import ALL_TYPES, VotingType
from app.errors import InputError
from app.tally.jsvalue import (
    has_duplicates,
    is_choice_index,
    is_js_number,
    number_value,
    object_entries,
    string_to_number,
    to_number,
)

VOTING_TYPES: tuple[str, ...] = ALL_TYPES  # the tally's public name for them
COPELAND_VARIANTS: tuple[str, ...] = ("current", "legacy")


def check_voting_type(voting_type: str) -> None:
    """Raise InputError unless ``voting_type`` is one snapshot.js knows."""
    if voting_type not in VOTING_TYPES:
        raise InputError(
            f"Unknown voting type {voting_type!r}; expected one of {', '.join(VOTING_TYPES)}."
        )


def check_copeland_variant(variant: str) -> None:
    """Raise InputError unless ``variant`` names a Copeland variant."""
    if variant not in COPELAND_VARIANTS:
        raise InputError(f"Unknown Copeland variant {variant!r}; expected 'current' or 'legacy'.")


def is_valid_choice(
    voting_type: str, choice: object, choices_count: int, *, copeland_variant: str = "current"
) -> bool:
    """True when snapshot.js counts ``choice`` in a proposal with ``choices_count`` choices."""
    check_voting_type(voting_type)
    if voting_type == VotingType.COPELAND:
        check_copeland_variant(copeland_variant)
        return _valid_copeland(choice, choices_count, legacy=copeland_variant == "legacy")
    return _CHECKS[voting_type](choice, choices_count)


def _valid_single(choice: object, count: int) -> bool:
    return is_js_number(choice) and is_choice_index(to_number(choice), count)


def _all_index_choices(items: list[object] | tuple[object, ...], count: int) -> bool:
    return all(is_choice_index(to_number(item), count) for item in items)


def _valid_approval(choice: object, count: int) -> TypeGuard[list[object] | tuple[object, ...]]:
    return (
        isinstance(choice, list | tuple)
        and _all_index_choices(choice, count)
        and not has_duplicates(choice)
    )


def _valid_ranked(choice: object, count: int) -> bool:
    return _valid_approval(choice, count) and 0 < len(choice) == count


def _valid_copeland(choice: object, count: int, *, legacy: bool) -> bool:
    if not isinstance(choice, list | tuple) or not choice:
        return False
    if (len(choice) > count) if legacy else (len(choice) != count):
        return False
    if has_duplicates(choice):
        return False
    return all(_is_integer_in_range(item, count) for item in choice)


def _is_integer_in_range(item: object, count: int) -> bool:
    # Number.isInteger(item) && item >= 1 && item <= count
    return is_js_number(item) and is_choice_index(number_value(item), count)


def _valid_mapping(choice: object, count: int) -> bool:
    if not isinstance(choice, dict) or not choice:
        return False
    entries = object_entries(choice)
    if not all(is_choice_index(string_to_number(key), count) for key, _ in entries):
        return False
    numbers = [number_value(value) for _, value in entries if is_js_number(value)]
    if len(numbers) != len(entries) or not all(number >= 0 for number in numbers):
        return False  # a non-number, a negative weight or NaN
    return any(number > 0 for number in numbers)


_CHECKS: dict[str, Callable[[object, int], bool]] = {
    VotingType.SINGLE_CHOICE: _valid_single,
    VotingType.BASIC: _valid_single,
    VotingType.APPROVAL: _valid_approval,
    VotingType.RANKED_CHOICE: _valid_ranked,
    VotingType.WEIGHTED: _valid_mapping,
    VotingType.QUADRATIC: _valid_mapping,
}
