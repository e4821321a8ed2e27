"""The `govdesk` launcher: no command (or `gui`) opens the window, `--self-test` checks this
copy of govdesk (ui/selftest.py); anything else is the CLI.

Importing this module loads no Qt; only opening the window does.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from app.memory import tune_allocator

    tune_allocator()
    if args and args[0] == "--self-test":
        from ui.selftest import main as selftest_main

        return selftest_main(args[1:])
    if not args or args[0] == "gui":
        from ui.desktop import run

        return run(args[1:])
    from app.cli import main as cli_main

    return cli_main(args)
