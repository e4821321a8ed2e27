"""VoteTable: how vote choices are classified and flattened, and that tables count like records."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.errors import InputError
from app.memory import tune_allocator
from app.tally import TallyVote, VoteTable, tally
from app.tally.table import INT, LIST, MAPPING, OTHER
from tests.app.tally.bits import assert_bit_identical

CHOICES = ["A", "B", "C"]


def table_of(*choices: object, strategies: int = 1) -> VoteTable:
    return VoteTable.from_votes(
        [TallyVote(choice, 1.0, (1.0,) * strategies) for choice in choices], strategies
    )


def test_plain_choices_are_flattened_and_odd_ones_kept_as_they_are() -> None:
    odd = [True, 2.0, "2", None, (1, 2), [1, "2"], [True], 2**70, [2**70], {"01": 1}, {1: 2}]
    odd += [{"1": math.nan}, {"1": math.inf}, {"1": "3"}, {"1": 2**1100}]
    table = table_of(3, [2, 1], {"2": 5, "1": 0.5}, [], {}, *odd)
    assert table.kinds.tolist() == [INT, LIST, MAPPING, LIST, MAPPING] + [OTHER] * len(odd)
    assert table.ints[0] == 3
    assert table.list_items.tolist() == [2, 1]
    assert table.list_lengths().tolist() == [0, 2, 0, 0] + [0] * (1 + len(odd))
    # Mapping entries keep insertion order; the tally sums them in Object.values order.
    assert table.map_keys.tolist() == [2, 1]
    assert table.map_values.tolist() == [5.0, 0.5]
    assert [table.others[row] for row in sorted(table.others)] == odd
    assert all(table.others[row] is odd[row - 5] for row in table.others)


def test_rows_from_json_objects_equal_rows_from_records() -> None:
    rows = [
        {"choice": [3, 1, 2], "balance": 4, "scores": [3, 1]},
        {"choice": [1, 2], "balance": 2.5, "scores": [2.5, 0]},
        {"choice": "x", "balance": 1e-300, "scores": [0, 1e-300]},
    ]
    from_rows = VoteTable.from_rows(rows, 2)
    records = [TallyVote(r["choice"], float(r["balance"]), tuple(r["scores"])) for r in rows]
    from_records = VoteTable.from_votes(records, 2)
    assert np.array_equal(from_rows.powers, from_records.powers)
    assert from_rows.powers.tolist() == [[4.0, 3.0, 1.0], [2.5, 2.5, 0.0], [1e-300, 0.0, 1e-300]]
    for kind in ("ranked-choice", "approval", "copeland"):
        assert tally(kind, CHOICES, from_rows, 2) == tally(kind, CHOICES, records, 2)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"choice": 1, "balance": "9", "scores": [1]}], "balance is not a usable number"),
        ([{"choice": 1, "balance": 1, "scores": [None]}], "score is not a usable number"),
        ([{"choice": 1, "balance": 1, "scores": 1}], "must be a list of numbers"),
        ([{"choice": 1, "balance": 1, "scores": [1, 2]}], "Vote #1 has 2 strategy scores"),
        ([{"balance": 1, "scores": [1]}], "choice, balance and scores"),
    ],
)
def test_unusable_rows_are_input_errors(rows: list[dict[str, object]], message: str) -> None:
    with pytest.raises(InputError, match=message):
        VoteTable.from_rows(rows, 1)


def test_bad_power_is_reported_by_the_tally_with_the_vote_number() -> None:
    table = VoteTable.from_votes([TallyVote(1, 1.0, (1.0, 0.0)), TallyVote(2, 2.0, (2.0, -0.5))], 2)
    with pytest.raises(InputError, match=r"Vote #2 has an unusable score \(-0.5\)"):
        tally("single-choice", CHOICES, table, 2)


def test_a_table_counts_again_with_other_rules() -> None:
    table = table_of([1, 2, 3], [2, 3, 1], [3, 1], [1], [2, 1, 3], strategies=2)
    records = [
        TallyVote(choice, 1.0, (1.0, 1.0))
        for choice in ([1, 2, 3], [2, 3, 1], [3, 1], [1], [2, 1, 3])
    ]
    for variant in ("current", "legacy"):
        ours = tally("copeland", CHOICES, table, 2, copeland_variant=variant)
        assert_bit_identical(ours, tally("copeland", CHOICES, records, 2, copeland_variant=variant))
    with pytest.raises(InputError, match="carry 2 strategy scores each, but the proposal has 3"):
        tally("copeland", CHOICES, table, 3)


def test_an_empty_table_takes_any_strategy_count() -> None:
    empty = VoteTable.from_votes([], 0)
    result = tally("weighted", CHOICES, empty, 2)
    assert result.scores_by_strategy == ((0.0, 0.0),) * 3
    assert result.scores_total == 0.0


def test_allocator_tuning_applies_once_on_linux() -> None:
    first = tune_allocator()
    assert tune_allocator() == first
    if __import__("sys").platform.startswith("linux"):
        assert first is True
