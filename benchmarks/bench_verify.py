"""Benchmark: verifying a big Snapshot proposal the way the app does, against the local hub.

The local hub (app/devnet/hub, in its own process, so its memory and CPU are not counted as
ours) serves one proposal with 100,000 votes and the real page limits (``first`` <= 1000,
``skip`` <= 5000; 1,500 votes share one second, so paging has to use ``skip`` inside it). The
app's path is timed: the proposal, its votes through ``sync_votes`` (the store's vote cache, a
real SQLite file), and the recount compared with the hub's scores.

- cold: an empty store; every vote is fetched. Requests are paced to the keyless budget (100 in
  any 60 s, the real hub's limit); the time waiting for the budget is printed apart.
- warm: 1,000 new votes arrive (20 of them re-votes replacing earlier votes), and the proposal is
  verified again, later (a fresh request budget): only the newer votes are fetched.
- closed: the proposal has ended; its final votes were fetched once, and a re-verification sends
  no vote request at all.

Printed: time to a verified result, requests (vote pages plus one proposal query), and peak
memory (Python allocations traced by tracemalloc, and the process's peak RSS). Targets: warm
< 300 ms; cold vote pages <= ceil(votes / 1000) + 2.

    .venv/bin/python benchmarks/bench_verify.py [--votes 100000] [--type single-choice]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SPACE = "bench.eth"
PROPOSAL = "0x" + "be" * 32
CHOICES = ["For", "Against", "Abstain", "Other", "More"]
T0 = 1_700_000_000
BURST = (20_000, 21_500)  # votes with these numbers share one second


def _choice(rng: random.Random, voting_type: str) -> Any:
    n = len(CHOICES)
    if voting_type in ("single-choice", "basic"):
        return rng.randint(1, n)
    if voting_type == "approval":
        return rng.sample(range(1, n + 1), rng.randint(1, n))
    if voting_type in ("weighted", "quadratic"):
        return {str(c): rng.randint(1, 5) for c in rng.sample(range(1, n + 1), rng.randint(1, n))}
    return rng.sample(range(1, n + 1), n)


def _insert(
    conn: Any, rng: random.Random, voting_type: str, i: int, created: int, voter: str
) -> None:
    scores = [rng.lognormvariate(5, 3), rng.random() * 10]
    conn.execute(
        "INSERT OR REPLACE INTO votes VALUES (?, '', ?, ?, ?, ?, ?, '', '', '{}', ?, ?, 'final')",
        (f"0x{i:064x}", voter, created, SPACE, PROPOSAL, json.dumps(_choice(rng, voting_type)),
         scores[0] + scores[1], json.dumps(scores)),
    )  # fmt: skip


def _hub_process(channel: Connection, votes: int, voting_type: str) -> None:
    """The local hub with one big proposal; answers "add" (new votes) and "close" requests."""
    from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
    from app.devnet.hub.scores import update_scores

    space = space_from_dict({"id": SPACE, "strategies": [{"name": "a"}, {"name": "b"}]})
    hub = LocalHub([space], FixedVotingPower({})).start()
    rng = random.Random(7)
    now = int(time.time())
    with hub.store.write() as conn:
        conn.execute(
            "INSERT INTO proposals (id, ipfs, author, created, space, type, title, body,"
            ' discussion, choices, labels, start, "end", snapshot, plugins, privacy, app,'
            " strategies, network, symbol) VALUES (?, '', 'a', ?, ?, ?, 'Big', '', '', ?, '[]',"
            " ?, ?, 1, '{}', '', '', ?, '1', 'X')",
            (PROPOSAL, now - 100, SPACE, voting_type, json.dumps(CHOICES), now - 100,
             now + 86_400, json.dumps([{"name": "a"}, {"name": "b"}])),
        )  # fmt: skip
        for i in range(votes):
            created = T0 + (BURST[0] if BURST[0] <= i < BURST[1] else i)
            _insert(conn, rng, voting_type, i, created, f"0x{i:040x}")
    update_scores(hub.store, PROPOSAL)
    channel.send(hub.url)
    next_id, clock = votes, T0 + votes + 10
    while True:
        command, amount = channel.recv()
        if command == "stop":
            break
        with hub.store.write() as conn:
            if command == "add":
                revoters = rng.sample(range(votes), 20)
                for k in range(amount):
                    voter = revoters[k] if k < len(revoters) else next_id
                    _insert(conn, rng, voting_type, next_id, clock + k, f"0x{voter:040x}")
                    next_id += 1
                clock += amount + 10
            elif command == "close":
                conn.execute('UPDATE proposals SET "end" = ? WHERE id = ?', (now - 1, PROPOSAL))
        update_scores(hub.store, PROPOSAL)
        channel.send("ok")
    hub.stop()


async def verify_once(url: str, conn: Any, per_minute: int) -> dict[str, Any]:
    """The app's verification of one proposal: proposal, votes (cached), recount, comparison."""
    from app.pipeline.detail_checks import verify_snapshot_columns
    from app.snapshot.cache import VoteColumnCache
    from app.snapshot.hub_client import HubClient, RequestBudget
    from app.snapshot.vote_sync import sync_votes

    tracemalloc.start()
    start = time.perf_counter()
    async with HubClient(url, budget=RequestBudget(per_minute)) as hub:
        proposal = await hub.proposal(PROPOSAL)
        assert proposal is not None
        votes = await sync_votes(
            hub,
            PROPOSAL,
            cache=VoteColumnCache(conn, url),
            expected=proposal.votes,
            closed=proposal.state == "closed",
        )
        outcome = verify_snapshot_columns("bench", proposal, votes)
        elapsed = time.perf_counter() - start
        requests, waited = hub.requests, hub.budget.waited
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": elapsed,
        "waited_s": waited,
        "requests": requests,
        "votes": votes.size,
        "hub_votes": proposal.votes,
        "matches": outcome.matches,
        "traced_peak_mb": peak / 2**20,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="verify a big proposal against the local hub")
    parser.add_argument("--votes", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1_000, help="votes added before the warm run")
    parser.add_argument("--type", default="single-choice")
    parser.add_argument("--per-minute", type=int, default=100, help="request budget (cold run)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from app.memory import tune_allocator
    from app.store.database import connect

    tune_allocator()
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    hub = context.Process(target=_hub_process, args=(theirs, args.votes, args.type), daemon=True)
    hub.start()
    try:
        url = ours.recv()
        with tempfile.TemporaryDirectory() as tmp:
            conn = connect(str(Path(tmp) / "store.db"))
            cold = asyncio.run(verify_once(url, conn, args.per_minute))
            ours.send(("add", args.new))
            ours.recv()
            warm = asyncio.run(verify_once(url, conn, 100))  # later: a fresh budget
            ours.send(("close", 0))
            ours.recv()
            closing = asyncio.run(verify_once(url, conn, 100))  # fetches the final votes once
            closed = asyncio.run(verify_once(url, conn, 100))
            conn.close()
        ours.send(("stop", 0))
    finally:
        hub.join(timeout=10)
        if hub.is_alive():
            hub.terminate()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    limit = math.ceil(args.votes / 1000) + 2
    rows = {"cold": cold, "warm": warm, "closing": closing, "closed": closed}
    if args.json:
        print(json.dumps({"benchmark": "verify", "votes": args.votes, "type": args.type,
                          "peak_rss_mb": rss_mb, "cold_request_limit": limit, **rows}))  # fmt: skip
    else:
        print(f"{args.votes:,} {args.type} votes, local hub with the real page limits")
        for name, r in rows.items():
            print(
                f"  {name:<8} {r['seconds'] * 1000:>9.0f} ms  (waiting for the budget"
                f" {r['waited_s']:.1f} s)  {r['requests']:>4} requests  {r['votes']:>7,} votes"
                f"  traced peak {r['traced_peak_mb']:.0f} MB"
                f"  {'verified' if r['matches'] else 'MISMATCH'}"
            )
        pages = cold["requests"] - 1
        print(f"  cold: {pages} vote pages (target <= {limit}) + 1 proposal query")
        print(f"  warm re-verification {warm['seconds'] * 1000:.0f} ms (target < 300 ms)")
        print(f"  peak RSS of this process {rss_mb:.0f} MB")
    ok = all(r["matches"] for r in rows.values()) and cold["requests"] - 1 <= limit
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
