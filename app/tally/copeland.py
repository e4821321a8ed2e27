"""Copeland voting: pairwise duels between choices, scored 1 / 0.5 / 0 and renormalised.

snapshot.js folds ``+balance`` / ``-balance`` into ``pw[a][b]`` ballot by ballot, but then only
asks whether each cell is above, below or equal to zero. So only the *sign* of each fold has to be
exact, not its value:

- the fold of ``±w`` differs from the exact sum by at most ``γ(V)·Σw`` (Higham's bound for
  recursive summation), and so does any other summation of the same terms;
- so the ballots are summed in groups (one group per distinct ranking), combined, and wherever the
  approximation is farther from zero than both error bounds together, its sign *is* the fold's;
- the few pairs too close to call (true ties, near ties, overflow) are folded exactly, ballot by
  ballot, as snapshot.js does.

The average-support tie-break (``current`` variant) does use values: ``support[a]`` receives the
ballot's weight once per candidate ranked below ``a``, one addition after another, and is folded
exactly in that order with ``np.add.at``. The ``legacy`` variant (snapshot.js <= 0.14.24) accepts
partial rankings and has no tie-break.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from app.tally.encoding import UNRANKED
from app.tally.folds import FloatArray, fold, fold_columns, fold_floats
from app.tally.table import VoteTable

try:
    from app.tally import _kernels

    _COMPILED = True
except ImportError:  # built without a C compiler: the numpy path counts alike, more slowly
    _COMPILED = False

Tallies = tuple[list[float], list[list[float]]]
IntArray = npt.NDArray[np.int64]
SignArray = npt.NDArray[np.int8]

UNIT_ROUNDOFF = 2.0**-53
MAX_GROUP_CODES = 2**17  # rankings grouped by code while (n + 1) ** n stays this small
PAIR_CHUNK = 64


def count_copeland(
    rankings: IntArray, powers: FloatArray, choices_count: int, variant: str
) -> tuple[Tallies, float]:
    """Scores, scores by strategy, and the total (the valid votes' power).

    ``rankings`` holds the valid votes' 0-based candidates in ranked order (``UNRANKED`` pads
    partial ballots); ``powers`` their balance and then their per-strategy scores.
    """
    n = choices_count
    bonus = variant == "current"
    column_totals = [float(v) for v in fold_columns(powers)]
    signs = pairwise_signs(rankings, powers, n, column_totals)
    support = support_sums(rankings, powers, n) if bonus else None
    return _scores(signs, support, column_totals, n)


def count_copeland_table(
    table: VoteTable, choices_count: int, variant: str
) -> tuple[Tallies, float] | None:
    """The whole count in compiled code, from the table's columns; None where it does not apply.

    ``_kernels.copeland_fold`` judges every plain row and folds ``pw``, the average-support sums
    and the totals one addition at a time in snapshot.js's order (see ``_kernels.c``), so the
    signs and the tie-break are exact with no error bounds. Tables with odd rows (judged one by one
    in Python) and builds without the compiled module take the numpy path.
    """
    if not _COMPILED or table.others:
        return None
    n, columns = choices_count, table.powers.shape[1]
    current = variant == "current"
    grouped = current and n > 1 and n**n <= MAX_GROUP_CODES
    valid, pw, support, totals, groups = _fold(table, n, columns, current, grouped=grouped)
    column_totals = [float(v) for v in totals]
    signs = _grouped_signs(groups, n, column_totals, int(valid.sum())) if grouped else None
    if signs is None:  # not grouped, or a duel too close to call from the grouped sums
        if grouped:
            valid, pw, support, totals, groups = _fold(table, n, columns, current, grouped=False)
        # NaN (inf - inf) is neither above nor below zero in JavaScript: a tie.
        signs = ((pw > 0).astype(np.int8) - (pw < 0).astype(np.int8)).astype(np.int8)
    return _scores(signs, support if current else None, column_totals, n)


def _fold(
    table: VoteTable, n: int, columns: int, current: bool, *, grouped: bool
) -> tuple[npt.NDArray[np.uint8], FloatArray, FloatArray, FloatArray, FloatArray]:
    valid = np.empty(table.size, dtype=np.uint8)
    pw = np.empty((n, n, columns), dtype=np.float64)
    support = np.empty((columns, n), dtype=np.float64)
    totals = np.empty(columns, dtype=np.float64)
    groups = np.empty((n**n if grouped else 0, columns), dtype=np.float64)
    _kernels.copeland_fold(
        np.ascontiguousarray(table.kinds),
        np.ascontiguousarray(table.list_offsets),
        np.ascontiguousarray(table.list_items),
        np.ascontiguousarray(table.powers),
        n,
        columns,
        not current,
        valid,
        pw,
        support,
        totals,
        groups,
    )
    return valid, pw, support, totals, groups


def _grouped_signs(
    groups: FloatArray, n: int, column_totals: list[float], ballots: int
) -> SignArray | None:
    """pw's signs from the per-ranking sums, or None if some duel is too close to call.

    As in ``pairwise_signs``: the grouped sum and snapshot.js's fold each lie within Higham's
    bound of the exact sum, so a grouped sum farther from zero than both bounds has the fold's
    sign.
    """
    signs = np.zeros((n, n, groups.shape[1]), dtype=np.int8)
    present = np.flatnonzero(groups.any(axis=1))
    first, second = np.triu_indices(n, k=1)
    if present.size == 0:
        return signs
    digits = (present[:, None] // n ** np.arange(n - 1, -1, -1)) % n
    sign = _sign_matrix(_positions(digits, n), first, second)
    approx = sign.T.astype(np.float64) @ groups[present]
    totals = np.array(column_totals, dtype=np.float64)
    with np.errstate(all="ignore"):
        bound = 1.25 * (2 * ballots + present.size + 8) * UNIT_ROUNDOFF * totals
        certain = np.abs(approx) > bound[None, :]
    if not bool(certain.all()):
        return None
    pair_signs = np.sign(approx).astype(np.int8)
    signs[first, second] = pair_signs
    signs[second, first] = -pair_signs
    return signs


def _scores(
    signs: SignArray, support: FloatArray | None, column_totals: list[float], n: int
) -> tuple[Tallies, float]:
    results: list[list[float]] = []
    for column, total in enumerate(column_totals):
        wins = _copeland_points(signs[:, :, column], n)
        if support is not None and n > 1 and total > 0:
            matchups = n - 1
            backing = support[column].tolist()  # Python floats: inf / inf is NaN, as in JavaScript
            wins = [w + 0.5 * (backing[i] / (matchups * total)) for i, w in enumerate(wins)]
        results.append(_normalise(wins, total, headline=column == 0))
    scores = results[0]
    by_strategy = [[results[1 + s][i] for s in range(len(column_totals) - 1)] for i in range(n)]
    return (scores, by_strategy), column_totals[0]


def pairwise_signs(
    rankings: IntArray, powers: FloatArray, n: int, column_totals: list[float]
) -> SignArray:
    """``signs[a, b, column]``: the sign (-1, 0, +1) of snapshot.js's folded ``pw[a][b]``."""
    columns = powers.shape[1]
    signs = np.zeros((n, n, columns), dtype=np.int8)
    first, second = np.triu_indices(n, k=1)
    if rankings.shape[0] == 0 or first.size == 0:
        return signs
    approx, terms = _approximate_duels(rankings, powers, n, first, second)
    totals = np.array(column_totals, dtype=np.float64)
    with np.errstate(all="ignore"):
        bound = 1.25 * (2 * rankings.shape[0] + terms + 8) * UNIT_ROUNDOFF * totals
        certain = np.abs(approx) > bound[None, :]
    pair_signs = np.where(certain, np.sign(approx), 0).astype(np.int8)
    unsure = np.argwhere(~certain)
    if unsure.size:
        positions = _positions(rankings, n)
        for pair, column in unsure.tolist():
            value = _exact_duel(positions, powers[:, column], first[pair], second[pair])
            # NaN (inf - inf) compares neither above nor below zero in JavaScript: a tie.
            pair_signs[pair, column] = 0 if math.isnan(value) else int(np.sign(value))
    signs[first, second] = pair_signs
    signs[second, first] = -pair_signs
    return signs


def _approximate_duels(
    rankings: IntArray, powers: FloatArray, n: int, first: IntArray, second: IntArray
) -> tuple[FloatArray, int]:
    """``Σ ±w`` per pair and column, in any order; plus how many terms each last sum adds."""
    if (n + 1) ** n <= MAX_GROUP_CODES:
        # Group ballots by ranking: every ballot of a group has the same sign on every pair.
        base = n + 1
        code = np.zeros(rankings.shape[0], dtype=np.int64)
        for rank in range(n):
            code = code * base + (rankings[:, rank] + 1)
        size = base**n
        present = np.flatnonzero(np.bincount(code, minlength=size))
        grouped = np.stack(
            [
                np.bincount(code, weights=powers[:, c], minlength=size)[present]
                for c in range(powers.shape[1])
            ],
            axis=1,
        )
        digits = (present[:, None] // base ** np.arange(n - 1, -1, -1)) % base - 1
        sign = _sign_matrix(_positions(digits, n), first, second)
        return sign.T.astype(np.float64) @ grouped, int(present.size)
    positions = _positions(rankings, n)
    approx = np.zeros((first.size, powers.shape[1]), dtype=np.float64)
    for start in range(0, first.size, PAIR_CHUNK):
        chunk = slice(start, start + PAIR_CHUNK)
        sign = _sign_matrix(positions, first[chunk], second[chunk])
        approx[chunk] = sign.T.astype(np.float64) @ powers
    return approx, 0


def _positions(rankings: IntArray, n: int) -> IntArray:
    """Each candidate's rank per ballot, or ``n`` when the ballot leaves it unranked."""
    positions = np.full((rankings.shape[0], n + 1), n, dtype=np.int64)
    ranks = np.broadcast_to(np.arange(rankings.shape[1]), rankings.shape)
    targets = np.where(rankings == UNRANKED, n, rankings)
    positions[np.arange(rankings.shape[0])[:, None], targets] = ranks
    positions[:, n] = n
    return positions[:, :n]


def _sign_matrix(positions: IntArray, first: IntArray, second: IntArray) -> SignArray:
    """+1 where ``first`` ranks above ``second``, -1 below, 0 unless both are ranked."""
    above, below = positions[:, first], positions[:, second]
    n = positions.shape[1]
    both = (above < n) & (below < n)
    signs: SignArray = (np.where(above < below, 1, -1) * both).astype(np.int8)
    return signs


def _exact_duel(positions: IntArray, weights: FloatArray, a: int, b: int) -> float:
    """``pw[a][b]`` folded ballot by ballot, as snapshot.js does."""
    sign = _sign_matrix(positions, np.array([a]), np.array([b]))[:, 0]
    return fold(np.where(sign > 0, weights, -weights)[sign != 0])


def support_sums(rankings: IntArray, powers: FloatArray, n: int) -> FloatArray:
    """``support[column, a]``: the ballot weight folded once per candidate ranked below ``a``.

    snapshot.js adds to ``supportFor[preferred]`` inside its loop over pairs (rank p, rank q > p),
    so the candidate at rank ``p`` receives ``n - 1 - p`` additions per ballot, in ballot order.
    """
    columns = powers.shape[1]
    support = np.zeros((columns, n), dtype=np.float64)
    additions = n * (n - 1) // 2
    if rankings.shape[0] == 0 or additions == 0:
        return support
    # Per ballot: the candidate at rank p repeated n - 1 - p times, in the JavaScript loop order.
    preferred = np.repeat(rankings[:, : n - 1], np.arange(n - 1, 0, -1), axis=1).ravel()
    for column in range(columns):
        np.add.at(support[column], preferred, np.repeat(powers[:, column], additions))
    return support


def _copeland_points(signs: SignArray, count: int) -> list[float]:
    points = [0.0] * count
    table = signs.tolist()
    for i in range(count):
        for j in range(count):
            if i == j:
                continue
            if table[i][j] > 0:
                points[i] += 1
            elif table[i][j] < 0:
                points[j] += 1
            else:
                points[i] += 0.5
                points[j] += 0.5
    return points


def _normalise(points: list[float], total: float, *, headline: bool) -> list[float]:
    points_total = fold_floats(points)
    if points_total > 0:
        return [(p / points_total) * total for p in points]
    if headline or total > 0:
        return [total / len(points) for _ in points]
    return [0.0] * len(points)
