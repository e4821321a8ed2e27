"""Single-choice (and basic) and approval: each valid vote adds its power to the chosen choices.

``np.add.at`` applies its additions one element after another, in array order, so every choice's
total is the same left fold over the votes that snapshot.js computes.
"""

from __future__ import annotations

from app.tally.encoding import Entries
from app.tally.folds import FloatArray, fold_into
from app.tally.table import IntArray

Tallies = tuple[list[float], list[list[float]]]


def count_single_choice(targets: IntArray, powers: FloatArray, choices_count: int) -> Tallies:
    """``scores[i]`` is the fold of the balances of the valid votes for choice ``i + 1``."""
    return _split(fold_into(choices_count, targets, powers))  # -1 (invalid) adds nothing


def count_approval(entries: Entries, powers: FloatArray, choices_count: int) -> Tallies:
    """Each valid ballot adds its full balance to every choice it approves."""
    return _split(fold_into(choices_count, entries.targets, powers, owners=entries.owners))


def _split(folded: FloatArray) -> Tallies:
    """(columns, choices) folds -> scores (balance column) and scores by strategy."""
    return folded[0].tolist(), folded[1:].T.tolist()
