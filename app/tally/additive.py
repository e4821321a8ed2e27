"""Single-choice (and basic) and approval: each valid vote adds its power to the chosen choices.

``np.add.at`` applies its additions one element after another, in array order, so every choice's
total is the same left fold over the votes that snapshot.js computes.
"""

from __future__ import annotations

import numpy as np

from app.tally.encoding import Entries
from app.tally.folds import FloatArray, fold_into
from app.tally.table import IntArray, VoteTable

try:
    from app.tally import _kernels

    _COMPILED = True
except ImportError:  # built without a C compiler: the numpy path counts alike, more slowly
    _COMPILED = False

Tallies = tuple[list[float], list[list[float]]]


def count_approval_table(table: VoteTable, choices_count: int) -> tuple[Tallies, float] | None:
    """The approval count in compiled code, from the table's columns; None where it does not
    apply (odd rows, judged one by one in Python, or no compiled module). Returns the tallies and
    the total of every vote's balance."""
    if not _COMPILED or table.others or choices_count < 1:
        return None
    columns = table.powers.shape[1]
    folded = np.empty((columns, choices_count), dtype=np.float64)
    totals = np.empty(1, dtype=np.float64)
    _kernels.approval_fold(
        np.ascontiguousarray(table.kinds),
        np.ascontiguousarray(table.list_offsets),
        np.ascontiguousarray(table.list_items),
        np.ascontiguousarray(table.powers),
        choices_count,
        columns,
        folded,
        totals,
    )
    return _split(folded), float(totals[0])


def count_single_choice(targets: IntArray, powers: FloatArray, choices_count: int) -> Tallies:
    """``scores[i]`` is the fold of the balances of the valid votes for choice ``i + 1``."""
    return _split(fold_into(choices_count, targets, powers))  # -1 (invalid) adds nothing


def count_approval(entries: Entries, powers: FloatArray, choices_count: int) -> Tallies:
    """Each valid ballot adds its full balance to every choice it approves."""
    return _split(fold_into(choices_count, entries.targets, powers, owners=entries.owners))


def _split(folded: FloatArray) -> Tallies:
    """(columns, choices) folds -> scores (balance column) and scores by strategy."""
    return folded[0].tolist(), folded[1:].T.tolist()
