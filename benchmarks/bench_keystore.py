"""Benchmark: sealing and opening account keys (eth-account keystore, scrypt) at several costs.

For each scrypt N it times ``seal_private_key`` (what create/import pay) and ``open_sealed_key``
(what every unlock pays), best of --repeat runs, and prints a table (or one JSON object with
--json). The production default is N = 2**18 (eth-account's default); tests use 2**4.

    .venv/bin/python benchmarks/bench_keystore.py [--exponents 14 17 18] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eth_account import Account  # noqa: E402

from app.keys.keystore import DEFAULT_SCRYPT_N, KdfParams, open_sealed_key, seal_private_key  # noqa: E402


def _best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def measure(exponent: int, repeat: int) -> dict[str, float | int | bool]:
    key = bytes(Account.create().key)
    kdf = KdfParams(scrypt_n=2**exponent)
    sealed = seal_private_key(key, "benchmark password", kdf=kdf)
    return {
        "scrypt_n": 2**exponent,
        "default": 2**exponent == DEFAULT_SCRYPT_N,
        "seal_s": _best(lambda: seal_private_key(key, "benchmark password", kdf=kdf), repeat),
        "open_s": _best(lambda: open_sealed_key(sealed, "benchmark password"), repeat),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exponents", type=int, nargs="+", default=[4, 14, 17, 18])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [measure(e, args.repeat) for e in args.exponents]
    if args.json:
        print(json.dumps({"benchmark": "keystore", "repeat": args.repeat, "rows": rows}))
        return 0
    print(f"{'scrypt N':>10}  {'seal (s)':>9}  {'open (s)':>9}")
    for row in rows:
        mark = "  <- production default" if row["default"] else ""
        print(f"{row['scrypt_n']:>10}  {row['seal_s']:>9.3f}  {row['open_s']:>9.3f}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
