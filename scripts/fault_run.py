"""A bounded fault run against the CLI, the core and the store, on loopback only (issue #22).

    python scripts/fault_run.py [--seconds 90] [--seed 22] [--json]

Hostile HTTP servers on 127.0.0.1 play the hub, the sequencer and RPC endpoints (a real anvil
is the good endpoint behind them); damaged copies of a real store play the disk. Each case ends
as a *correct result*, a *clear error* (an AppError, or exit code 2 with a ``govdesk:`` line and
no traceback) or a *crash* (anything else: another exception, a traceback, exit code 70, a
signal). The run stops when the time is up. The crash count must be 0.
"""

from __future__ import annotations

# ruff: noqa: E501, S311
import argparse
import asyncio
import contextlib
import io
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.chain.rpc import RpcClient
from app.cli import main as cli_main
from app.devnet.anvil import AnvilProcess
from app.domain.retry import RetryPolicy
from app.errors import AppError
from app.snapshot.hub_client import HubClient
from app.snapshot.outbox import Outbox
from app.store.database import connect
from app.store.recovery import open_store
from tests.hostile_server import DEEP, HostileServer

FAST = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02)
Outcome = str  # "correct" | "clear" | "crash"


def hostile_json(rng: random.Random) -> bytes:
    pick = rng.randrange(12)
    if pick == 0:
        return DEEP
    if pick == 1:
        return b"{" * rng.randint(65, 5000)
    if pick == 2:
        return rng.randbytes(rng.randint(0, 300))
    if pick == 3:
        return json.dumps({"data": {"proposal": {"id": 1, "choices": rng.random()}}}).encode()
    if pick == 4:
        return (
            b'{"jsonrpc":"2.0","id":1,"result":'
            + rng.choice([b"null", b"5", b'"zz"', b"[]"])
            + b"}"
        )
    if pick == 5:
        return (
            b'{"jsonrpc":"2.0","id":1,"error":'
            + rng.choice([b'"x"', b'{"code":"a"}', b"[1]"])
            + b"}"
        )
    if pick == 6:
        return b"NaN"
    if pick == 7:
        return b'{"data":{"votes":[{"id":"v","created":"x"}]}}'
    if pick == 8:
        return json.dumps({"data": {"proposal": {"id": "0x1", "type": "basic", "choices": ["<img src=x>"] * 3,
                                                   "start": 1, "end": 2, "title": "t" * 100_000}}}).encode()  # fmt: skip
    if pick == 9:
        return b"1" * 5000
    if pick == 10:
        return b"[" + b"1," * 10_000 + b"1]"
    return b'{"data": {"proposal": null}}'


def hostile_argv(rng: random.Random, keystore: Path, data_dir: Path) -> list[str]:
    choices = ['{"1":1,"1.0":2}', '{"1":1,"01":2}', "[" * 5000 + "]" * 5000, "1e400", str(2**40),
               '{"1":' + "9" * 400 + "}", "[1,1]", "1", "[1,2]", '{"1":2,"2":1}', "", "nan"]  # fmt: skip
    spaces = ["s.eth", "s\u200b.eth", "x" * 100_000, "S.ETH", "s\u202e.eth", " s.eth"]
    types = [
        "single-choice",
        "approval",
        "ranked-choice",
        "weighted",
        "quadratic",
        "copeland",
        "bogus",
    ]
    kind = rng.randrange(3)
    if kind == 0 and rng.random() < 0.3:  # a well-formed vote: it must be signed as typed
        voting_type, choice = rng.choice(
            [("single-choice", "2"), ("approval", "[1,3]"), ("weighted", '{"1":2,"3":1}')]
        )
        return ["snapshot", "vote", "--space", "s.eth", "--proposal", "0x" + "11" * 32,
                "--choice", choice, "--type", voting_type, "--choices", "3", "--keystore",
                str(keystore), "--dry-run", "--data-dir", str(data_dir)]  # fmt: skip
    if kind == 0:
        return ["snapshot", "vote", "--space", rng.choice(spaces), "--proposal",
                rng.choice(["0x" + "11" * 32, "0x11\u200b", "q" * 500]), "--choice", rng.choice(choices),
                "--type", rng.choice(types), "--choices", str(rng.randint(0, 5)), "--keystore",
                str(keystore), "--dry-run", "--data-dir", str(data_dir)]  # fmt: skip
    if kind == 1:
        rpc = rng.choice(["http://[::1", "http://169.254.169.254/", "http://0.0.0.0:1", "http://a b",
                          "http://x.example:99999", "http://127.0.0.1:8545", "http://10.0.0.1/"])  # fmt: skip
        return ["org", "add", f"o{rng.randrange(1000)}", "--name", "O", "--chain-id",
                rng.choice(["1", "0", "-5", str(2**256), "31337"]), "--rpc", rpc, "--space", "o.eth",
                "--block-time", rng.choice(["12", "nan", "0", "-1", "inf"]),
                "--temperature-quorum", rng.choice(["0", "nan", "-1", "0.5"])]  # fmt: skip
    doc = rng.choice([
        {"type": "copeland", "choices": ["a"] * 5000, "votes": []},
        {"type": "approval", "choices": ["a", "b"], "votes": [{"choice": [[[1]]], "balance": 1}]},
        {"type": "weighted", "choices": ["a"], "votes": [{"choice": {"1": 1}, "balance": 10**400}]},
        {"type": "ranked-choice", "choices": ["a", "b"], "strategies": 1, "votes": [{"choice": [1, 2], "balance": 2}]},
        {"type": "approval", "choices": ["<b>a</b>", "b"], "strategies": 1, "votes": [{"choice": [1], "balance": 1}]},
    ])  # fmt: skip
    path = data_dir / f"tally-{rng.randrange(10**9)}.json"
    path.write_text(json.dumps(doc) if rng.random() < 0.8 else "[" * 3000)
    return ["tally", "--input", str(path)]


def run_cli(argv: list[str]) -> Outcome:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli_main(argv)
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
        except Exception:  # noqa: BLE001 - a crash is what we count
            return "crash"
    if "Traceback" in err.getvalue() or code not in (0, 2):
        if os.environ.get("FAULT_RUN_VERBOSE"):
            print("CRASH", [a[:60] for a in argv], code, err.getvalue()[-400:], file=sys.__stderr__)
        return "crash"
    return "correct" if code == 0 else "clear"


async def guarded(call: Callable[[], Awaitable[Any]]) -> Outcome:
    try:
        await call()
    except AppError:
        return "clear"
    except Exception:  # noqa: BLE001
        return "crash"
    return "correct"


async def hub_case(rng: random.Random) -> Outcome:
    with HostileServer(hostile_json(rng)) as hub:

        async def call() -> None:
            async with HubClient(hub.url) as client:
                await client.proposal("0x1")
                await client.votes("0x1")

        return await guarded(call)


async def rpc_case(rng: random.Random, good: str) -> Outcome:
    with HostileServer(hostile_json(rng)) as bad:
        urls = [bad.url, good] if rng.random() < 0.5 else [bad.url]

        async def call() -> None:
            async with RpcClient(urls, chain_id=31337, retry=FAST) as client:
                await client.request("eth_blockNumber", [])

        return await guarded(call)


def store_case(rng: random.Random, pristine: Path, work: Path) -> Outcome:
    path = work / f"s{rng.randrange(10**9)}.sqlite3"
    data = bytearray(pristine.read_bytes())
    how = rng.randrange(3)
    if how == 0:
        data = data[: rng.randrange(len(data))]
    elif how == 1:
        start = rng.randrange(len(data))
        data[start : start + 512] = rng.randbytes(512)
    else:
        for _ in range(rng.randint(1, 80)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    try:
        opened = open_store(path)
        entries = Outbox(opened.conn).entries()
        opened.conn.execute("SELECT * FROM accounts").fetchall()
        opened.conn.close()
    except AppError:
        return "clear"
    except Exception:  # noqa: BLE001
        return "crash"
    return "correct" if len(entries) >= 0 else "crash"


def make_keystore(folder: Path) -> Path:
    from eth_account import Account

    key = bytes.fromhex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
    path = folder / "key.json"
    path.write_text(json.dumps(Account.encrypt(key, "pw", kdf="pbkdf2", iterations=1)))
    return path


async def run(seconds: float, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    per_area: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory() as tmp, AnvilProcess() as anvil:
        folder = Path(tmp)
        os.environ.update({"GOVDESK_PASSWORD": "pw", "GOVDESK_CONFIG_DIR": str(folder / "cfg")})
        keystore = make_keystore(folder)
        pristine = folder / "pristine.sqlite3"
        conn = connect(pristine)
        for i in range(20):
            conn.execute("INSERT INTO accounts VALUES (?, ?, 'watch', ?, 'watch', NULL, 1)",
                         (f"0x{i:040x}", f"a{i}", i))  # fmt: skip
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            area = rng.choice(["cli", "cli", "hub", "rpc", "store"])
            if area == "cli":
                # The CLI runs its own event loop: in a thread, as from a shell.
                outcome = await asyncio.to_thread(run_cli, hostile_argv(rng, keystore, folder))
            elif area == "hub":
                outcome = await hub_case(rng)
            elif area == "rpc":
                outcome = await rpc_case(rng, anvil.rpc_url)
            else:
                outcome = store_case(rng, pristine, folder)
            counts[outcome] += 1
            per_area.setdefault(area, Counter())[outcome] += 1
    return {
        "seconds": seconds,
        "seed": seed,
        "cases": sum(counts.values()),
        "correct_results": counts["correct"],
        "clear_errors": counts["clear"],
        "crashes": counts["crash"],
        "by_area": {area: dict(c) for area, c in sorted(per_area.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(run(args.seconds, args.seed))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:16} {value}")
    return 0 if result["crashes"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
