"""Weighted keys are read as snapshot.js reads them (JavaScript ``Number``), never as Python's float."""

from __future__ import annotations

import pytest

from app.errors import InputError
from app.snapshot.choices import check_choice, choice_problem
from app.snapshot.messages import encode_choice

# Inputs where Python's float() and JavaScript's Number() disagree.
FLOAT_ONLY = ["1_0", "1__0", "\u0663", "\uff11", "infinity", "nan"]  # float reads them, JS: NaN
JS_ONLY = [("0x1f", 31), ("0X1F", 31), ("0b11", 3), ("0o7", 7)]  # JS reads them, float refuses


@pytest.mark.parametrize("key", FLOAT_ONLY)
def test_a_key_javascript_reads_as_nan_is_not_a_choice_number(key: str) -> None:
    assert choice_problem("weighted", {key: 1}, 40) == f"{key!r} is not a choice number"


@pytest.mark.parametrize(("key", "number"), JS_ONLY)
def test_a_key_javascript_reads_as_a_choice_names_the_number_to_write(
    key: str, number: int
) -> None:
    problem = choice_problem("quadratic", {key: 1}, 40)
    assert problem == f'{key!r} means choice {number}: write the choice number as "{number}"'


def test_a_radix_key_beyond_the_choices_is_not_a_choice_number() -> None:
    assert choice_problem("weighted", {"0x1f": 1}, 3) == "'0x1f' is not a choice number"


@pytest.mark.parametrize("key", ["\u00a01", "1\u2028", "\ufeff1"])
def test_javascript_whitespace_around_a_key_is_refused_as_non_canonical(key: str) -> None:
    problem = choice_problem("weighted", {key: 1}, 3)
    assert problem == f'{key!r} means choice 1: write the choice number as "1"'


def test_canonical_keys_pass_and_are_signed_in_number_order() -> None:
    check_choice("weighted", {"10": 1, "2": 3}, 10)
    assert encode_choice("weighted", {"10": 1, "2": 3}) == '{"2":3,"10":1}'


def test_without_a_choice_count_the_uint32_range_bounds_keys() -> None:
    assert choice_problem("weighted", {"4294967295": 1}, None) is None
    with pytest.raises(InputError, match="not a choice number"):
        check_choice("weighted", {"4294967296": 1}, None)
