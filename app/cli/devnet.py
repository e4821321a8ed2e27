"""`govdesk devnet ...`: run the built-in local devnet."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import Any

STACKS = ("oz", "oz-timestamp", "oz-v4", "bravo", "alpha")
# Profiles: mainnet-sized settings, deployed only by name ("braintrust": Braintrust's parameters).
PROFILES = ("braintrust",)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "devnet",
        help="run the local devnet (anvil + governance contracts)",
        description="Run the built-in local devnet on a free loopback port.",
    )
    actions = parser.add_subparsers(title="actions", dest="devnet_action", metavar="ACTION")
    up = actions.add_parser(
        "up",
        help="start anvil, deploy the governance stacks, print the devnet as JSON, serve until "
        "SIGINT/SIGTERM",
    )
    up.add_argument(
        "--stack",
        choices=(*STACKS, *PROFILES, "all", "none"),
        default="all",
        help="which governance stack to deploy (default: all; braintrust: the alpha stack with "
        "Braintrust's mainnet quorum, threshold, 17,280-block period and 7-day timelock)",
    )
    up.add_argument("--json", action="store_true", help="print one JSON object (default: text)")
    up.set_defaults(handler=_up)
    parser.set_defaults(handler=lambda _args: (parser.print_help(), 0)[1])


def _install_stop_handlers() -> threading.Event:
    """An event set by SIGINT/SIGTERM, installed before anything is printed, so a signal sent
    as soon as the devnet is announced still stops it cleanly (exit 0)."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _up(args: argparse.Namespace) -> int:
    from app.devnet.network import Devnet

    stacks = STACKS if args.stack == "all" else () if args.stack == "none" else (args.stack,)
    with Devnet(stacks=stacks) as devnet:
        stop = _install_stop_handlers()
        info = devnet.describe()
        if args.json:
            print(json.dumps(info), flush=True)
        else:
            print(f"govdesk devnet on {info['rpc_url']} (chain {info['chain_id']})", flush=True)
            if info.get("hub_url"):
                print(f"  Snapshot hub (GraphQL): {info['hub_url']}graphql", flush=True)
                print(
                    f"  Snapshot sequencer (signed messages): {info['sequencer_url']}", flush=True
                )
            for name, stack in info["stacks"].items():
                print(f"  {name}: " + ", ".join(f"{k}={v}" for k, v in stack.items()), flush=True)
            print("Press Ctrl+C to stop.", flush=True)
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    return 0
