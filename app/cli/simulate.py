"""`govdesk governor simulate ID`: what a proposal would do if executed now, simulated locally.

Forks the given RPC at its latest block in a local EVM and runs the proposal's actions as the
timelock would; prints each action's outcome, the events, balance and value changes, raw storage
changes and risk notes (``--json``: one JSON document). Exit code 0 when every action succeeds,
1 when the execution would revert.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any


def register(actions: Any, common: argparse.ArgumentParser) -> None:
    """Add ``simulate`` to the ``governor`` actions (called from app.cli.governor)."""
    parser = actions.add_parser(
        "simulate", parents=[common], help="simulate a proposal's execution locally"
    )
    parser.add_argument("proposal_id", type=int)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--watch", action="append", default=[], help="also show this address's balances (repeat)"
    )
    parser.add_argument("--quiet-progress", action="store_true", help="no progress on stderr")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from app.chain.abi_codec import checksum_address
    from app.chain.rpc import probe_chain_id
    from app.cli.governor import organisation_from_args
    from app.ports import Factories
    from app.simulate.report import report_json, report_lines
    from app.usecases.simulation import Simulations

    watch = [checksum_address(w, "--watch address") for w in args.watch]
    chain_id = args.chain_id if args.chain_id is not None else await probe_chain_id(args.rpc)
    simulations = Simulations(Factories(scan_from_block=args.from_block))
    progress = None if args.json or args.quiet_progress else _progress
    org = organisation_from_args(args, chain_id)
    simulation = await simulations.proposal(org, args.proposal_id, progress, watch=watch)
    if args.json:
        print(json.dumps(report_json(simulation), indent=2, ensure_ascii=False))
    else:
        print(f"Proposal {args.proposal_id}: {simulation.title}")
        print("\n".join(report_lines(simulation)))
    return 0 if simulation.reverted_at is None else 1


def _progress(done: int, total: int, text: str) -> None:
    print(f"  [{done}/{total}] {text}", file=sys.stderr)
