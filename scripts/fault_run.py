"""A bounded fault run against the CLI, the core and the store, on loopback only (issue #22).

    python scripts/fault_run.py [--seconds 90] [--seed 22] [--json]

Hostile HTTP servers on 127.0.0.1 play the hub, the sequencer and RPC endpoints (a real anvil
is the good endpoint behind them); damaged copies of a real store, with its journal, play the
disk; hostile requests hit the local hub and sequencer servers; odd arguments and stdin go to the
CLI. Each case ends as

- a *correct result*: it succeeded, and the result was checked (the vote signed is the vote typed,
  the block number is anvil's, every envelope of the store is back with its status, ...);
- a *clear error*: an AppError, or exit code 2 with a ``govdesk:`` line and no traceback;
- a *wrong result*: it succeeded where it must not have, or with a result that is not right;
- a *crash*: anything else (another exception, a traceback, exit code 70, a dead server).

The run stops when the time is up. Wrong results and crashes must both be 0.
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
from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.domain.retry import RetryPolicy
from app.errors import AppError
from app.keys.metadata import AccountsRepo
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.envelope import SignedEnvelope, sign_message
from app.snapshot.hub_client import HubClient
from app.snapshot.messages import VoteRequest, build_vote
from app.snapshot.outbox import Outbox
from app.snapshot.sequencer import Receipt, SequencerClient
from app.store.database import connect
from app.store.journal import journal_path
from app.store.recovery import open_store
from tests.hostile_server import DEEP, HostileServer

FAST = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02)
Outcome = str  # "correct" | "clear" | "wrong" | "crash"
KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
PASSWORD = "fault-run-password"  # noqa: S105 - a throwaway keystore in a temporary folder
MNEMONIC = "test test test test test test test test test test test junk"
GOOD_PROPOSAL = {"id": "0x1", "type": "basic", "choices": ["For", "Against"], "start": 1, "end": 2,
                 "title": "Fund the pilot", "body": "", "space": {"id": "s.eth"}}  # fmt: skip


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


def run_cli(argv: list[str], stdin: str = "") -> Outcome:
    err, out = io.StringIO(), io.StringIO()
    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                code = cli_main(argv)
            except SystemExit as exc:  # argparse
                code = int(exc.code or 0)
            except Exception:  # noqa: BLE001 - a crash is what we count
                return "crash"
    finally:
        sys.stdin = saved
    if "Traceback" in err.getvalue() or code not in (0, 2):
        if os.environ.get("FAULT_RUN_VERBOSE"):
            print("CRASH", [a[:60] for a in argv], code, err.getvalue()[-400:], file=sys.__stderr__)
        return "crash"
    if code == 2:
        return "clear" if err.getvalue().startswith(("govdesk: ", "usage: ")) else "crash"
    return _check_cli_result(argv, out.getvalue())


def _check_cli_result(argv: list[str], printed: str) -> Outcome:
    """A dry-run vote must sign what was typed; other successes are taken as they come."""
    if argv[:2] != ["snapshot", "vote"]:
        return "correct"
    typed = argv[argv.index("--choice") + 1]
    try:
        message = json.loads(printed)["data"]["message"]
    except (ValueError, KeyError, TypeError):
        return "wrong"
    signed = message["choice"]
    as_typed = signed == typed if isinstance(signed, str) else signed == json.loads(typed)
    space_ok = message["space"] == argv[argv.index("--space") + 1]
    return "correct" if as_typed and space_ok else "wrong"


def mnemonic_argv(rng: random.Random, data_dir: Path) -> list[str]:
    index = rng.choice(["-1", "0", "3", str(2**31), str(2**32), "9" * 40, "x"])
    path = rng.choice(
        ["bip44", "ledger-live", "m/44'/60'/4294967296'/0/{i}", "m/x", "m/44'/60'/0'/0/{i}"]
    )
    return [
        "account",
        "import",
        "--mnemonic",
        "--index",
        index,
        "--path",
        path,
        "--data-dir",
        str(data_dir),
    ]


async def guarded(call: Callable[[], Awaitable[Any]], check: Callable[[Any], bool]) -> Outcome:
    """Run ``call``: an AppError is a clear error; a result passes ``check`` or is wrong."""
    try:
        result = await call()
    except AppError:
        return "clear"
    except Exception:  # noqa: BLE001
        if os.environ.get("FAULT_RUN_VERBOSE"):
            import traceback

            traceback.print_exc()
        return "crash"
    if check(result):
        return "correct"
    if os.environ.get("FAULT_RUN_VERBOSE"):
        print("WRONG result", repr(result)[:300], file=sys.__stderr__)
    return "wrong"


async def hub_case(rng: random.Random) -> Outcome:
    good = rng.random() < 0.2
    body = json.dumps({"data": {"proposal": GOOD_PROPOSAL}}).encode() if good else hostile_json(rng)
    server = HostileServer(body)
    if not good and rng.random() < 0.1:  # a 2 GiB answer: refused after the limit, while streaming
        server.flood(2 * 1024**3, declared=rng.random() < 0.5)

    def check(found: Any) -> bool:
        if good:
            return found is not None and (found.title, found.choices) == (
                "Fund the pilot",
                ("For", "Against"),
            )
        if found is None:  # "no such proposal": right only if the hub said so
            return b'"proposal": null' in body
        ok = found.title.encode() in body and all(c.encode() in body for c in found.choices)
        if not ok and os.environ.get("FAULT_RUN_VERBOSE"):
            print("WRONG hub", body[:200], found, file=sys.__stderr__)
        return ok

    with server as hub:

        async def call() -> Any:
            async with HubClient(hub.url) as client:
                return await client.proposal("0x1")

        return await guarded(call, check)


async def rpc_case(rng: random.Random, good: str, block: int) -> Outcome:
    with HostileServer(hostile_json(rng)) as bad:
        fallback = rng.random() < 0.5
        urls = [bad.url, good] if fallback else [bad.url]

        async def call() -> Any:
            async with RpcClient(urls, chain_id=31337, retry=FAST) as client:
                return await client.request("eth_blockNumber", [])

        # With only the hostile endpoint, any result is wrong; with anvil behind it, anvil's.
        return await guarded(call, lambda result: fallback and result == hex(block))


def sequencer_answer(rng: random.Random, envelope: SignedEnvelope) -> tuple[int, bytes, Any]:
    """(status, body, the receipt id expected or None when only an error is right)."""
    pick = rng.randrange(8)
    if pick == 0:
        return (
            200,
            json.dumps(
                {"id": envelope.id, "ipfs": "bafy", "relayer": {"address": "0x1", "receipt": "0x2"}}
            ).encode(),
            envelope.id,
        )
    if pick == 1:
        return 400, b'{"error":"client_error","error_description":"duplicate message"}', envelope.id
    if pick == 2:
        return rng.choice([200, 400, 500]), DEEP, None
    if pick == 3:
        return (
            400,
            json.dumps(
                {
                    "error": "client_error",
                    "error_description": rng.choice(
                        ["no voting power", "invalid choice", "x" * 100_000, {"a": [1]}]
                    ),
                }
            ).encode(),
            None,
        )
    if pick == 4:
        return rng.choice([429, 503, 425]), b"{}", None
    if pick == 5:
        return 200, rng.choice([b"[]", b"null", b'{"relayer": 5}', b"\xff"]), None
    if pick == 6:
        return 404, b"<html>Cannot POST /</html>", None
    return 200, rng.randbytes(rng.randint(0, 200)), None


async def sequencer_case(rng: random.Random, envelope: SignedEnvelope) -> Outcome:
    status, body, expected = sequencer_answer(rng, envelope)
    server = HostileServer(answer=lambda _m, _p, _b: (status, {}, body))
    if expected is None and rng.random() < 0.15:
        server.flood(2 * 1024**3)

    def check(receipt: Any) -> bool:
        if expected is None:  # a 200 with something like a receipt: it must carry the envelope's id
            return isinstance(receipt, Receipt) and receipt.id == envelope.id and b"relayer" in body
        return isinstance(receipt, Receipt) and receipt.id == expected

    with server as seq:

        async def call() -> Any:
            policy = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02)
            async with SequencerClient(seq.url + "/", policy=policy) as client:
                return await client.submit(envelope)

        return await guarded(call, check)


def local_server_case(rng: random.Random, hub: LocalHub) -> Outcome:
    """A hostile request to the local hub or sequencer: a 4xx answer, and the server lives on."""
    url = rng.choice([hub.url, hub.sequencer_url])
    good = rng.random() < 0.2
    length = rng.choice(["2147483648", "-1", "12abc", "", "100"])
    body = rng.choice([b"[" * 300_000 + b"]" * 300_000, rng.randbytes(100), b"{}", b'{"query": 5}'])
    if good:
        head = b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
        body = b'{"query": "{ space(id: \\"s.eth\\") { id } }"}'
        url = hub.url
        head += b"\r\nContent-Length: " + str(len(body)).encode()
    elif rng.random() < 0.2:
        head = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
    else:
        length = str(len(body)) if length == "100" else length
        head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + length.encode()
    try:
        answer = _raw_request(url, head, body)
        alive = _raw_request(url, b"GET / HTTP/1.1\r\nHost: x")
    except OSError:
        return "crash"
    if not alive.startswith(b"HTTP/1.1 200"):
        return "crash"
    if good:
        outcome = (
            "correct" if answer.startswith(b"HTTP/1.1 200") and b'"s.eth"' in answer else "wrong"
        )
    else:
        outcome = "clear" if answer[9:10] == b"4" else "wrong"
    if outcome == "wrong" and os.environ.get("FAULT_RUN_VERBOSE"):
        print("WRONG local server", head[:80], body[:40], answer[:300], file=sys.__stderr__)
    return outcome


def _raw_request(url: str, head: bytes, body: bytes = b"") -> bytes:
    """Bytes as they are (an HTTP client would fix a bad length); the answer, to the hang-up."""
    import socket

    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        # Refused from its headers, the server may hang up mid-body: read its answer all the same.
        with contextlib.suppress(OSError):
            sock.sendall(head + b"\r\nConnection: close\r\n\r\n" + body)
        chunks = []
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def anvil_block(url: str) -> int:
    import urllib.request

    body = b'{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}'
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback anvil
        return int(json.load(response)["result"], 16)


def build_store(folder: Path, envelopes: list[SignedEnvelope]) -> tuple[Path, dict[str, str]]:
    """A real store with 20 accounts and the envelopes (every fourth accepted), and its journal."""
    path = folder / "pristine.sqlite3"
    conn = connect(path)
    for i in range(20):
        conn.execute("INSERT INTO accounts VALUES (?, ?, 'watch', ?, 'watch', NULL, 1)",
                     (f"0x{i:040x}", f"a{i}", i))  # fmt: skip
    outbox = Outbox(conn)
    expected = {}
    for i, envelope in enumerate(envelopes):
        outbox.add(envelope, "http://127.0.0.1:1/")
        expected[envelope.id] = "pending"
        if i % 4 == 0:
            outbox.mark_accepted(envelope.id, Receipt(id=envelope.id))
            expected[envelope.id] = "accepted"
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path, expected


def store_case(rng: random.Random, pristine: Path, expected: dict[str, str], work: Path) -> Outcome:
    folder = work / f"s{rng.randrange(10**9)}"
    folder.mkdir()
    path = folder / "govdesk.sqlite3"
    journal_path(path).write_bytes(journal_path(pristine).read_bytes())
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
        outbox = Outbox(opened.conn)
        back = {e.envelope.id: e.status.value for e in outbox.entries()}
        accounts = AccountsRepo(opened.conn).list()
        opened.conn.close()
    except AppError:
        return "clear"
    except Exception:  # noqa: BLE001
        if os.environ.get("FAULT_RUN_VERBOSE"):
            import traceback

            traceback.print_exc()
        return "crash"
    # Every signed envelope is back, with its status: none lost, none sent twice; the accounts
    # that could be read are listed (a damaged one is quarantined, as in the window).
    return "correct" if back == expected and len(accounts) <= 20 else "wrong"


def make_keystore(folder: Path) -> Path:
    from eth_account import Account

    path = folder / "key.json"
    path.write_text(
        json.dumps(Account.encrypt(bytes.fromhex(KEY[2:]), PASSWORD, kdf="pbkdf2", iterations=1))
    )
    return path


def make_envelopes(count: int) -> list[SignedEnvelope]:
    signer = LocalKeySigner(KEY)

    async def sign(i: int) -> SignedEnvelope:
        request = VoteRequest("s.eth", "0x" + f"{i:064x}", "single-choice", 1, 2)
        return await sign_message(signer, build_vote(signer.address, request))

    async def every() -> list[SignedEnvelope]:
        return [await sign(i) for i in range(count)]

    return asyncio.run(every())


AREAS = ["cli", "cli", "mnemonic", "hub", "sequencer", "rpc", "store", "local-servers"]


async def run(seconds: float, seed: int, envelopes: list[SignedEnvelope]) -> dict[str, Any]:
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    per_area: dict[str, Counter[str]] = {}
    space = space_from_dict({"id": "s.eth", "strategies": [{"name": "t"}]})
    with (
        tempfile.TemporaryDirectory() as tmp,
        AnvilProcess() as anvil,
        LocalHub([space], FixedVotingPower({})) as hub,
    ):
        folder = Path(tmp)
        os.environ.update({"GOVDESK_PASSWORD": PASSWORD, "GOVDESK_CONFIG_DIR": str(folder / "cfg")})
        keystore = make_keystore(folder)
        pristine, expected = build_store(folder, envelopes[:12])
        block = anvil_block(anvil.rpc_url)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            area = rng.choice(AREAS)
            if area == "cli":
                # The CLI runs its own event loop: in a thread, as from a shell.
                outcome = await asyncio.to_thread(run_cli, hostile_argv(rng, keystore, folder))
            elif area == "mnemonic":
                outcome = await asyncio.to_thread(
                    run_cli, mnemonic_argv(rng, folder), MNEMONIC + "\n"
                )
            elif area == "hub":
                outcome = await hub_case(rng)
            elif area == "sequencer":
                outcome = await sequencer_case(rng, rng.choice(envelopes))
            elif area == "rpc":
                outcome = await rpc_case(rng, anvil.rpc_url, block)
            elif area == "store":
                outcome = store_case(rng, pristine, expected, folder)
            else:
                outcome = await asyncio.to_thread(local_server_case, rng, hub)
            if outcome in ("wrong", "crash") and os.environ.get("FAULT_RUN_VERBOSE"):
                print("case", area, outcome, file=sys.__stderr__)
            counts[outcome] += 1
            per_area.setdefault(area, Counter())[outcome] += 1
    return {
        "seconds": seconds,
        "seed": seed,
        "cases": sum(counts.values()),
        "correct_results": counts["correct"],
        "clear_errors": counts["clear"],
        "wrong_results": counts["wrong"],
        "crashes": counts["crash"],
        "by_area": {area: dict(c) for area, c in sorted(per_area.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    envelopes = make_envelopes(16)  # signed before the run's own event loop starts
    result = asyncio.run(run(args.seconds, args.seed, envelopes))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:16} {value}")
    return 0 if result["crashes"] == 0 and result["wrong_results"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
