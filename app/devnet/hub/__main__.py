"""``python -m app.devnet.hub --rpc URL --token ADDR``: run the local hub until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path

from app.devnet.hub import DEFAULT_SPACE, ChainVotingPower, LocalHub, load_spaces, token_space
from app.errors import AppError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.devnet.hub", description=__doc__)
    parser.add_argument("--rpc", required=True, help="devnet RPC URL (anvil)")
    parser.add_argument("--token", help="voting token address (one space, DEFAULT_SPACE)")
    parser.add_argument(
        "--method", default="getPastVotes", choices=("balanceOf", "getPastVotes", "getPriorVotes")
    )
    parser.add_argument("--chain-id", type=int, default=31337)
    parser.add_argument("--space", default=DEFAULT_SPACE, help="space id for --token")
    parser.add_argument("--spaces", type=Path, help="JSON file with a list of spaces")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        spaces = load_spaces(args.spaces) if args.spaces else []
        if args.token:
            spaces.append(
                token_space(args.space, args.token, chain_id=args.chain_id, method=args.method)
            )
        if not spaces:
            sys.stderr.write("Give --token or --spaces.\n")
            return 2
        hub = LocalHub(spaces, ChainVotingPower(args.rpc), port=args.port, db_path=args.db).start()
    except AppError as exc:
        sys.stderr.write(exc.user_message + "\n")
        return 2
    sys.stdout.write(
        f"local hub: {hub.url} (GraphQL {hub.graphql_url}); spaces: {', '.join(hub.spaces)}\n"
    )
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
