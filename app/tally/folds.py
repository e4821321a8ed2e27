"""Left-to-right float arithmetic, bit-identical to JavaScript's ``reduce((a, b) => a + b, 0)``.

numpy's ``sum``/``add.reduce`` use pairwise summation and round differently; ``cumsum`` and
``np.add.at`` accumulate strictly in order, so they give the left fold. Starting from zeros (or
adding ``0.0`` at the end) reproduces the fold's initial ``0`` (``0 + -0`` is ``+0``). Adding
``+0.0`` to a fold is a no-op (a fold of non-negative numbers from ``+0`` is never ``-0``), which
is why the kernels may skip or pad zero contributions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from types import ModuleType

import numpy as np
import numpy.typing as npt

try:
    from app.tally import _kernels as _compiled

    _kernels: ModuleType | None = _compiled
except ImportError:  # built without a C compiler: numpy's add.at, the same additions
    _kernels = None

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def fold(values: FloatArray) -> float:
    """``values.reduce((a, b) => a + b, 0)`` for a 1-D array."""
    if values.size == 0:
        return 0.0
    with np.errstate(over="ignore"):  # finite powers can still add up beyond 1.8e308: Infinity
        return float(np.cumsum(values)[-1]) + 0.0


def fold_columns(matrix: FloatArray) -> FloatArray:
    """The left fold of every column of a 2-D array, rows in order."""
    rows, columns = matrix.shape
    folded = np.zeros(columns, dtype=np.float64)
    if rows:
        # add.at applies the additions one by one in row-major order: per column, row order.
        with np.errstate(over="ignore"):
            np.add.at(folded, np.tile(np.arange(columns), rows), matrix.ravel())
    return folded


def fold_into(
    bins: int, targets: IntArray, values: FloatArray, owners: IntArray | None = None
) -> FloatArray:
    """Per column of ``values`` (rows, columns): the left fold of its rows into ``bins`` bins.

    Entry ``i`` adds row ``owners[i]`` (row ``i`` without owners) to bin ``targets[i]``; negative
    targets add nothing. The result has shape (columns, bins). The compiled fold makes the same
    additions in the same order per bin as ``np.add.at`` does column by column.
    """
    columns = values.shape[1]
    folded = np.zeros((columns, bins), dtype=np.float64)
    if _kernels is not None and columns > 0:
        _kernels.fold_rows(
            np.ascontiguousarray(targets, dtype=np.int64),
            _NO_OWNERS if owners is None else np.ascontiguousarray(owners, dtype=np.int64),
            np.ascontiguousarray(values, dtype=np.float64),
            columns,
            bins,
            folded,
        )
        return folded
    keep = targets >= 0
    rows = values if owners is None else values.take(owners, axis=0)
    if not bool(keep.all()):
        targets, rows = targets[keep], rows[keep]
    for column in range(columns):
        np.add.at(folded[column], targets, rows[:, column])
    return folded


_NO_OWNERS = np.zeros(0, dtype=np.int64)


def fold_floats(values: Iterable[float]) -> float:
    """The left fold of a few Python floats (never ``sum``, which compensates on Python 3.12+)."""
    total = 0.0
    for value in values:
        total += value
    return total


def js_divide(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` with JavaScript's results for a zero denominator."""
    if denominator != 0:
        return numerator / denominator
    if numerator == 0 or math.isnan(numerator):
        return math.nan
    negative = (numerator < 0) != (math.copysign(1.0, denominator) < 0)
    return -math.inf if negative else math.inf


def nan_to_zero(value: float) -> float:
    """``isNaN(value) ? 0 : value``."""
    return 0.0 if math.isnan(value) else value
