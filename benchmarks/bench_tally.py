"""Benchmark: govdesk's tally against snapshot.js 0.17.5 on the same votes, in the same run.

For each voting type and size (5 choices, 2 strategies) it generates seeded votes, writes them as
JSON, and measures best-of-N times:

- headline, ``end to end``: what a user verifying a result waits for, from the JSON bytes to
  verified scores. snapshot.js: ``JSON.parse`` of the file plus getScores + getScoresByStrategy +
  getScoresTotal (best parse + best tally). Ours: ``run_tally_document``'s path, the document's
  bytes read by the compiled scanner straight into a ``VoteTable`` (``parse_tally_bytes``: every
  vote's fields into columns, the header by the exact decoder) and counted;
- ``kernel``: the count alone on parsed votes (snapshot.js's three calls / our ``tally()`` on the
  table; every check snapshot.js makes is inside both times);
- ``records``: ``tally()`` from TallyVote records (the table is built inside the time).

It checks that every result is bit-identical and prints the times and speed-up ratios.
Targets: end to end >= 5x and kernel >= 20x snapshot.js at 100,000 votes on every type;
1,000,000 ranked-choice votes tallied in < 0.5 s.

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

from app.memory import tune_allocator  # noqa: E402
from app.tally import VOTING_TYPES, TallyResult, TallyVote, tally  # noqa: E402
from app.tally.document import parse_tally_bytes  # noqa: E402
from tests.app.tally.reference import ReferenceTally, result_from_answer  # noqa: E402

CHOICES = 5
STRATEGIES = 2
HEADER = (
    f"{'type':<14}{'votes':>10} | {'END TO END js':>13}{'ours':>9}{'ratio':>8} |"
    f" {'kernel js':>9}{'ours':>8}{'ratio':>8} | {'records':>8}{'ratio':>7}  identical"
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
    reference: ReferenceTally, voting_type: str, path: Path, repeat: int
) -> tuple[float, float, TallyResult]:
    """Best tally time, best JSON.parse time and the result, from node."""
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
    if "error" in answer:
        raise RuntimeError(f"snapshot.js failed: {answer['error']}")
    parse = min(answer.pop("parse_ms")) / 1000
    return min(answer.pop("ms")) / 1000, parse, result_from_answer(answer)


def end_to_end(data: bytes) -> TallyResult:
    """Our side, from the document's bytes to the scores (as ``govdesk tally`` does)."""
    request = parse_tally_bytes(data)
    return tally(request.voting_type, request.choices, request.votes, request.strategies_count)


def measure(reference: ReferenceTally, voting_type: str, count: int, repeat: int) -> dict[str, Any]:
    votes = generate_votes(voting_type, count, seed=count + len(voting_type))
    choices = [f"choice {i + 1}" for i in range(CHOICES)]
    rows = [{"choice": v.choice, "balance": v.balance, "scores": list(v.scores)} for v in votes]
    text = json.dumps({"votes": rows})
    header = {"type": voting_type, "choices": choices, "strategies": STRATEGIES}
    document = json.dumps({**header, "votes": rows}).encode()
    del rows
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(text)
        path = Path(handle.name)
    try:
        js_seconds, js_parse, theirs = time_snapshot_js(reference, voting_type, path, repeat)
    finally:
        path.unlink()
    e2e_seconds, from_bytes = best_time(lambda: end_to_end(document), repeat)
    table = parse_tally_bytes(document).votes
    ours_seconds, ours = best_time(lambda: tally(voting_type, choices, table, STRATEGIES), repeat)
    records_seconds, from_records = best_time(
        lambda: tally(voting_type, choices, votes, STRATEGIES), repeat
    )
    return {
        "type": voting_type,
        "votes": count,
        "snapshot_js_s": js_seconds,
        "ours_s": ours_seconds,
        "ratio": js_seconds / ours_seconds,
        "records_s": records_seconds,
        "records_ratio": js_seconds / records_seconds,
        "snapshot_js_parse_s": js_parse,
        "snapshot_js_end_to_end_s": js_parse + js_seconds,
        "ours_end_to_end_s": e2e_seconds,
        "end_to_end_ratio": (js_parse + js_seconds) / e2e_seconds,
        "identical": bits(ours) == bits(theirs) == bits(from_records) == bits(from_bytes),
    }


def format_row(r: dict[str, Any]) -> str:
    return (
        f"{r['type']:<14}{r['votes']:>10,} | {r['snapshot_js_end_to_end_s'] * 1000:>11.1f}ms"
        f"{r['ours_end_to_end_s'] * 1000:>7.1f}ms{r['end_to_end_ratio']:>7.1f}x |"
        f" {r['snapshot_js_s'] * 1000:>7.1f}ms{r['ours_s'] * 1000:>6.1f}ms{r['ratio']:>7.1f}x |"
        f" {r['records_s'] * 1000:>6.1f}ms{r['records_ratio']:>6.1f}x"
        f"  {'yes' if r['identical'] else 'NO'}"
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
    tune_allocator()  # as govdesk does at start-up (app/memory.py)
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
