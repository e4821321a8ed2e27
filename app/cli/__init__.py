"""The ``govdesk`` command line: one sub-command module per area.

Each module in ``COMMAND_MODULES`` has ``register(subparsers)``, which adds its sub-commands and
sets ``handler`` (a function taking the parsed namespace and returning an exit code). Modules keep
heavy imports (web3, numpy) inside their handlers so ``govdesk --help`` stays fast, and a command
line that names a command imports only the module that registers it (``COMMANDS``).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from app.errors import AppError

# Order here is the order in `govdesk --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "app.cli.devnet",
    "app.cli.account",
    "app.cli.offline",
    "app.cli.tally",
    "app.cli.snapshot",
    "app.cli.governor",
    "app.cli.safe",
    "app.cli.pipeline",
    "app.cli.demo",
)

# Which module registers each top-level command: `govdesk governor ...` imports app.cli.governor
# alone (tests/app/test_cli.py checks this table against what the modules register).
COMMANDS: dict[str, str] = {
    "devnet": "app.cli.devnet",
    "account": "app.cli.account",
    "offline": "app.cli.offline",
    "tally": "app.cli.tally",
    "safe": "app.cli.safe",
    "snapshot": "app.cli.snapshot",
    "governor": "app.cli.governor",
    "pipeline": "app.cli.pipeline",
    "org": "app.cli.pipeline",
    "idea": "app.cli.pipeline",
    "demo": "app.cli.demo",
}

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug; the fault runs count these as crashes

Handler = Callable[[argparse.Namespace], int]


class _VersionAction(argparse.Action):
    """``--version``, reading the installed version only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from app import __version__

        print(f"govdesk {__version__}")
        parser.exit()


def _modules_for(argv: Sequence[str] | None) -> Sequence[str]:
    """Only the module of the command ``argv`` names; every module for help or no command."""
    words = list(sys.argv[1:] if argv is None else argv)
    first = next((w for w in words if not w.startswith("-")), None)
    if first in COMMANDS and not {"-h", "--help"} & set(words[: words.index(first)]):
        return (COMMANDS[first],)
    return COMMAND_MODULES


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the command it names is registered (faster start)."""
    parser = argparse.ArgumentParser(
        prog="govdesk",
        description="govdesk: a desktop governance client for token holders "
        "(Snapshot off-chain votes, Governor on-chain votes, timelock execution).",
        epilog="Run `govdesk` with no command, or `govdesk gui`, to open the desktop app.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    for name in _modules_for(argv) if argv is not None else COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    from app.memory import tune_allocator  # ctypes: only once a command runs

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
