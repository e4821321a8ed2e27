"""Choice checks before signing: a ballot must be one snapshot.js counts AND one we can encode.

The verdict on validity is the tally engine's ``is_valid_choice`` (snapshot.js ``isValidChoice``
with JavaScript semantics, in ``app.tally``). This module adds what signing needs on top: the
stricter shape the typed data can carry (uint32 indexes, integer-keyed weights), and a plain
explanation of what is wrong. When the number of choices is unknown (signing offline with
``--type``), only the shape is checked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Final, TypeGuard

from app.domain.voting import ALL_TYPES, LIST_TYPES, SINGLE_TYPES, VotingType
from app.errors import InputError

Choice = int | list[int] | dict[str, float]
MAX_CHOICE_INDEX: Final = 2**32 - 1  # a choice is a uint32 in the signed message
_CANONICAL_KEY: Final = re.compile(r"^[1-9][0-9]{0,9}\Z", re.ASCII)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # a 400-digit integer (issue #22)
        return False


def _in_range(index: object, count: int | None) -> bool:
    limit = count if count is not None else MAX_CHOICE_INDEX
    return _is_int(index) and 1 <= index <= limit


def _key_problem(key: object, count: int | None) -> str | None:
    """Why a weighted ballot's key is not a choice number signed exactly as snapshot.js reads it.

    The key is read with JavaScript's ``Number(key)`` (``app.tally.jsvalue``), as snapshot.js
    reads it: ``"0x1f"`` is 31 and ``"1_0"`` or ``"１"`` are NaN, where Python's ``float`` says
    the opposite.
    """
    if not isinstance(key, str):
        return f"{key!r} is not a choice number"
    from app.tally.jsvalue import is_choice_index, string_to_number  # numpy loads on first use

    number = string_to_number(key)
    if not is_choice_index(number, count if count is not None else MAX_CHOICE_INDEX):
        return f"{key!r} is not a choice number"
    if not _CANONICAL_KEY.match(key):  # signed as written, counted as this number (issue #22)
        return f'{key!r} means choice {int(number)}: write the choice number as "{int(number)}"'
    return None


def _single_problem(choice: object, count: int | None) -> str | None:
    if not _in_range(choice, count):
        return "pick one choice by its number, from 1 to the number of choices"
    return None


def _array_problem(voting_type: str, choice: object, count: int | None) -> str | None:
    if not isinstance(choice, list):
        return "give a list of choice numbers, e.g. [1,3]"
    if not all(_in_range(c, count) for c in choice):
        return "every entry must be a choice number from 1 to the number of choices"
    if len(set(choice)) != len(choice):
        return "a choice may appear only once"
    if voting_type == VotingType.APPROVAL:
        return None
    if not choice:
        return "rank at least one choice"
    if count is not None and len(choice) != count:
        return f"rank all {count} choices"
    return None


def _object_problem(choice: object, count: int | None) -> str | None:
    if not isinstance(choice, Mapping) or not choice:
        return 'give weights per choice number, e.g. {"1":2,"3":1}'
    for key, weight in choice.items():
        if (problem := _key_problem(key, count)) is not None:
            return problem
        if not _is_number(weight) or weight < 0:
            return "every weight must be a number of zero or more"
    if not any(weight > 0 for weight in choice.values()):
        return "at least one weight must be above zero"
    return None


def choice_problem(voting_type: str, choice: object, choices_count: int | None) -> str | None:
    """Why ``choice`` is not valid for ``voting_type``, or None when it is."""
    if voting_type not in ALL_TYPES:
        return f"unknown voting type {voting_type!r} (known: {', '.join(ALL_TYPES)})"
    if voting_type in SINGLE_TYPES:
        return _single_problem(choice, choices_count)
    if voting_type in LIST_TYPES:
        return _array_problem(voting_type, choice, choices_count)
    return _object_problem(choice, choices_count)


def _tally_problem(voting_type: str, choice: object, choices_count: int) -> str | None:
    from app.tally import is_valid_choice  # numpy loads when a vote is checked, not at start-up

    counted = is_valid_choice(voting_type, choice, choices_count)
    return None if counted else "snapshot.js would not count it"


def check_choice(voting_type: str, choice: object, choices_count: int | None) -> None:
    """Raise InputError with a plain explanation if ``choice`` is not valid."""
    problem = choice_problem(voting_type, choice, choices_count)
    if problem is None and choices_count is not None:
        problem = _tally_problem(voting_type, choice, choices_count)
    if problem is not None:
        raise InputError(f"This vote is not valid for a {voting_type} proposal: {problem}.")
