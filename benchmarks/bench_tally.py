"""Benchmark: govdesk's tally against snapshot.js 0.17.5 on the same votes, in the same run.

For each voting type and size (5 choices, 2 strategies) it generates seeded votes and measures:

- ``snapshot.js``: inside node, around getScores + getScoresByStrategy + getScoresTotal only
  (JSON parsing excluded; validation happens inside those calls);
- ``ours``: ``tally()`` from TallyVote records (validation and conversion to arrays included);
- ``kernel``: ``tally_encoded()`` on votes already checked by ``encode_votes()`` (our
  counterpart of excluding JSON parsing).

It checks that the results are bit-identical and prints best-of-N times and speed-up ratios.
Targets: >= 20x faster than snapshot.js at 100,000 votes; 1,000,000 ranked-choice votes < 0.5 s.

    .venv/bin/python benchmarks/bench_tally.py [--sizes 100000 1000000] [--types ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.tally import VOTING_TYPES, TallyResult, TallyVote, tally  # noqa: E402
from app.tally.ballots import encode_votes  # noqa: E402
from app.tally.engine import tally_encoded  # noqa: E402
from tests.app.tally.reference import ReferenceTally, result_from_answer  # noqa: E402

CHOICES = 5
STRATEGIES = 2
HEADER = (
    f"{'type':<14}{'votes':>10}{'snapshot.js':>13}{'ours':>10}{'ratio':>8}"
    f"{'kernel':>10}{'ratio':>8}  identical"
)


def generate_votes(voting_type: str, count: int, seed: int) -> list[TallyVote]:
    """Seeded votes: ~2% invalid, float powers spanning several magnitudes."""
    rng = np.random.default_rng(seed)
    scores = np.column_stack([rng.lognormal(5, 3, count), rng.random(count) * 10])
    balances = (scores[:, 0] + scores[:, 1]).tolist()
    rankings = (np.argsort(rng.random((count, CHOICES)), axis=1) + 1).tolist()
    sizes = rng.integers(1, CHOICES + 1, count).tolist()
    invalid = (rng.random(count) < 0.02).tolist()
    weights = rng.integers(0, 4, (count, CHOICES)).tolist()
    score_rows = scores.tolist()
    votes = []
    for i in range(count):
        choice = _choice(voting_type, rankings[i], sizes[i], weights[i])
        if invalid[i]:
            choice = [CHOICES + 1] if voting_type == "approval" else [0]
        votes.append(TallyVote(choice, balances[i], tuple(score_rows[i])))
    return votes


def _choice(voting_type: str, ranking: list[int], size: int, weights: list[int]) -> object:
    if voting_type in ("single-choice", "basic"):
        return ranking[0]
    if voting_type == "approval":
        return ranking[:size]
    if voting_type in ("weighted", "quadratic"):
        return {str(c): max(weights[k], 1 if k == 0 else 0) for k, c in enumerate(ranking[:size])}
    return ranking


def best_time(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def bits(result: TallyResult) -> list[str]:
    values = [*result.scores, *(v for row in result.scores_by_strategy for v in row)]
    return [struct.pack("<d", v).hex() for v in [*values, result.scores_total]]


def time_snapshot_js(
    reference: ReferenceTally, voting_type: str, votes: list[TallyVote], repeat: int
) -> tuple[float, TallyResult]:
    rows = [{"choice": v.choice, "balance": v.balance, "scores": list(v.scores)} for v in votes]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"votes": rows}, handle)
        path = Path(handle.name)
    try:
        answer = reference.request(
            {
                "op": "bench",
                "file": str(path),
                "type": voting_type,
                "variant": "current",
                "choices": [f"choice {i + 1}" for i in range(CHOICES)],
                "strategies": STRATEGIES,
                "repeat": repeat,
            }
        )
    finally:
        path.unlink()
    if "error" in answer:
        raise RuntimeError(f"snapshot.js failed: {answer['error']}")
    return min(answer.pop("ms")) / 1000, result_from_answer(answer)


def measure(reference: ReferenceTally, voting_type: str, count: int, repeat: int) -> dict[str, Any]:
    votes = generate_votes(voting_type, count, seed=count + len(voting_type))
    choices = [f"choice {i + 1}" for i in range(CHOICES)]
    js_seconds, theirs = time_snapshot_js(reference, voting_type, votes, repeat)
    ours_seconds, ours = best_time(lambda: tally(voting_type, choices, votes, STRATEGIES), repeat)
    encoded = encode_votes(voting_type, CHOICES, votes, STRATEGIES)
    kernel_seconds, kernel_result = best_time(lambda: tally_encoded(encoded), repeat)
    return {
        "type": voting_type,
        "votes": count,
        "snapshot_js_s": js_seconds,
        "ours_s": ours_seconds,
        "kernel_s": kernel_seconds,
        "ratio": js_seconds / ours_seconds,
        "kernel_ratio": js_seconds / kernel_seconds,
        "identical": bits(ours) == bits(theirs) == bits(kernel_result),
    }


def format_row(r: dict[str, Any]) -> str:
    return (
        f"{r['type']:<14}{r['votes']:>10,}{r['snapshot_js_s'] * 1000:>11.1f}ms"
        f"{r['ours_s'] * 1000:>8.1f}ms{r['ratio']:>7.1f}x{r['kernel_s'] * 1000:>8.1f}ms"
        f"{r['kernel_ratio']:>7.1f}x  {'yes' if r['identical'] else 'NO'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="govdesk tally vs snapshot.js")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--types", nargs="+", default=list(VOTING_TYPES), choices=VOTING_TYPES)
    parser.add_argument(
        "--repeat", type=int, default=3, help="best of N (at most 2 above 100,000 votes)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    reference = ReferenceTally(max_old_space_mb=12288)
    rows = []
    if not args.json:
        print(HEADER)
        print("-" * len(HEADER))
    try:
        for count in args.sizes:
            for voting_type in args.types:
                repeat = args.repeat if count <= 100_000 else min(args.repeat, 2)
                rows.append(measure(reference, voting_type, count, repeat))
                if not args.json:
                    print(format_row(rows[-1]), flush=True)
    finally:
        reference.close()
    if args.json:
        summary = {"benchmark": "tally", "choices": CHOICES, "strategies": STRATEGIES}
        print(json.dumps({**summary, "rows": rows}))
    return 0 if all(r["identical"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
