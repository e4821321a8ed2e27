"""``is_valid_choice``: JavaScript semantics of snapshot.js's ``isValidChoice``, per type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InputError
from app.tally import VOTING_TYPES, is_valid_choice
from tests.app.tally.reference import ReferenceTally, legacy_package
from tests.app.tally.strategies import CHOICE_STRATEGIES, json_values

CASES: list[tuple[str, object, bool]] = [
    # single-choice / basic: a JS number indexing an existing choice
    ("single-choice", 1, True),
    ("single-choice", 3, True),
    ("single-choice", 3.0, True),
    ("single-choice", 4, False),
    ("single-choice", 0, False),
    ("single-choice", 1.5, False),
    ("single-choice", True, False),  # booleans are not numbers
    ("single-choice", "1", False),
    ("single-choice", [1], False),
    ("single-choice", None, False),
    ("basic", 2, True),
    ("basic", -1, False),
    # approval: any array of coercible indexes without duplicates, empty allowed
    ("approval", [], True),
    ("approval", [1, 3], True),
    ("approval", [1, 1], False),
    ("approval", [1, 1.0], False),  # the same number twice
    ("approval", [1, "1"], True),  # "1" - 1 is 0: valid, and not a duplicate of 1
    ("approval", [True], True),  # true - 1 is 0
    ("approval", [[2]], True),  # [2] - 1 is 1
    ("approval", [None], False),  # null - 1 is -1
    ("approval", [" 0x2 "], True),
    ("approval", [4], False),
    ("approval", 1, False),
    ("approval", {"1": 1}, False),
    # ranked-choice: like approval, but non-empty and ranking every choice
    ("ranked-choice", [3, 1, 2], True),
    ("ranked-choice", [1, 2], False),
    ("ranked-choice", [1, 2, 2], False),
    ("ranked-choice", [1, 2, 4], False),
    ("ranked-choice", [], False),
    ("ranked-choice", ["3", 1, 2], True),
    # copeland (current): a full ranking of integers
    ("copeland", [2, 3, 1], True),
    ("copeland", [2, 3], False),
    ("copeland", ["2", 3, 1], False),
    ("copeland", [True, 2, 3], False),
    ("copeland", [2.0, 3, 1], True),
    # weighted / quadratic: a non-empty object of existing keys, values >= 0, one > 0
    ("weighted", {"1": 1}, True),
    ("weighted", {"1": 0, "2": 0}, False),
    ("weighted", {"1": 1, "4": 1}, False),
    ("weighted", {"01": 1}, True),  # Number("01") is 1
    ("weighted", {"1": -1, "2": 3}, False),
    ("weighted", {"1": True}, False),
    ("weighted", {"1": "2"}, False),
    ("weighted", {}, False),
    ("weighted", [1], False),
    ("quadratic", {"3": 0.5, "2": 0}, True),
    ("quadratic", {"": 1}, False),  # Number("") is 0
    ("quadratic", None, False),
]


@pytest.mark.parametrize(("voting_type", "choice", "expected"), CASES)
def test_is_valid_choice_follows_javascript_semantics(
    voting_type: str, choice: object, expected: bool
) -> None:
    assert is_valid_choice(voting_type, choice, 3) is expected


def test_legacy_copeland_accepts_partial_rankings_only_in_legacy_mode() -> None:
    assert is_valid_choice("copeland", [2], 3, copeland_variant="legacy")
    assert not is_valid_choice("copeland", [2], 3)
    assert not is_valid_choice("copeland", [2, 2], 3, copeland_variant="legacy")
    assert not is_valid_choice("copeland", [1, 2, 3, 4], 3, copeland_variant="legacy")


def test_is_valid_choice_rejects_unknown_type_and_variant() -> None:
    with pytest.raises(InputError, match="Unknown voting type"):
        is_valid_choice("borda", 1, 3)
    with pytest.raises(InputError, match="Copeland variant"):
        is_valid_choice("copeland", [1], 1, copeland_variant="new")


@pytest.mark.integration
@pytest.mark.parametrize("voting_type", VOTING_TYPES)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_is_valid_choice_agrees_with_snapshot_js(
    snapshot_js: ReferenceTally, voting_type: str, data: st.DataObject
) -> None:
    n = data.draw(st.integers(0, 5))
    choice = data.draw(st.one_of(json_values, CHOICE_STRATEGIES[voting_type](n)))
    assert is_valid_choice(voting_type, choice, n) is snapshot_js.is_valid(voting_type, choice, n)


@pytest.mark.integration
@pytest.mark.skipif(legacy_package() is None, reason="snapshot.js 0.14.20 not installed")
@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 5), choice=json_values | st.lists(st.integers(0, 6), max_size=6))
def test_legacy_copeland_validity_agrees_with_snapshot_js_0_14_20(
    snapshot_js: ReferenceTally, n: int, choice: object
) -> None:
    expected = snapshot_js.is_valid("copeland", choice, n, "legacy")
    assert is_valid_choice("copeland", choice, n, copeland_variant="legacy") is expected
