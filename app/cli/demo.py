"""`govdesk demo`: run one initiative through all four phases on a fresh devnet."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run one initiative from idea to execution on a fresh local devnet",
        description="Idea -> temperature check -> consensus check (ranked choice) -> on-chain "
        "proposal -> votes -> queue -> timelock -> execute, with dev accounts of different "
        "weights. Leaves no process behind.",
    )
    parser.add_argument(
        "--stack",
        choices=("alpha", "bravo", "oz"),
        default="alpha",
        help="governor family (default: alpha, Braintrust's shape)",
    )
    parser.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    import asyncio

    from app.devnet.demo import run_demo

    result = asyncio.run(run_demo(args.stack, say=lambda line: print(line, flush=True)))
    return 0 if result.fee_after != result.fee_before else 1
