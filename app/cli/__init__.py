"""The ``govdesk`` command line: one sub-command module per area.

Each module in ``COMMAND_MODULES`` has ``register(subparsers)``, which adds its sub-command and
sets ``handler`` (a function taking the parsed namespace and returning an exit code). Modules keep
heavy imports (web3, numpy) inside their handlers so ``govdesk --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from app import __version__
from app.errors import AppError
from app.memory import tune_allocator

# Order here is the order in `govdesk --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "app.cli.devnet",
    "app.cli.account",
    "app.cli.offline",
    "app.cli.tally",
    "app.cli.snapshot",
    "app.cli.governor",
    "app.cli.pipeline",
    "app.cli.demo",
)

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug; the fault runs count these as crashes

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govdesk",
        description="govdesk: a desktop governance client for token holders "
        "(Snapshot off-chain votes, Governor on-chain votes, timelock execution).",
        epilog="Run `govdesk` with no command, or `govdesk gui`, to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"govdesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    tune_allocator()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return handler(args)
    except AppError as exc:
        print(f"govdesk: {exc.user_message}", file=sys.stderr)
        if exc.detail and args.verbose:
            print(f"  detail: {exc.detail}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: a message, not a traceback
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        print(
            f"govdesk: unexpected internal error ({type(exc).__name__}). This is a bug: please"
            " report it with the command you ran (run with -v for the details).",
            file=sys.stderr,
        )
        if args.verbose:
            raise
        return EXIT_INTERNAL_ERROR
