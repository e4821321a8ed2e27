"""`govdesk tally`: recount a Snapshot proposal from a JSON document, like snapshot.js does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tally",
        help="recount Snapshot votes locally (bit-identical to snapshot.js)",
        description="Read {type, choices, votes, strategies[, copeland_variant]} as JSON and "
        "print {scores, scores_by_strategy, scores_total} as JSON.",
    )
    parser.add_argument(
        "--input", required=True, metavar="FILE", help="the tally document, or - for stdin"
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from app.errors import InputError
    from app.tally.document import run_tally_document

    if args.input == "-":
        stream = getattr(sys.stdin, "buffer", None)  # a text-only stdin (tests, IDEs) has none
        data: str | bytes = stream.read() if stream is not None else sys.stdin.read()
    else:
        try:
            data = Path(args.input).read_bytes()
        except OSError as exc:
            raise InputError(f"Cannot read the tally input {args.input}.", detail=str(exc)) from exc
    print(run_tally_document(data))
    return 0
