"""govdesk core: Qt-free, asyncio, typed. Importing it never loads Qt."""

from __future__ import annotations

from typing import Any


def _read_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    # The version lives in one place, pyproject.toml; installed metadata carries it here.
    try:
        return version("govdesk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    # Read on first use: importlib.metadata costs every `govdesk` command tens of ms (issue #13).
    if name == "__version__":
        value = _read_version()
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'app' has no attribute {name!r}")


# Before anything imports eth-account (and with it py_ecc): see app/stack_guard.py.
from app import stack_guard  # noqa: E402

stack_guard.install()
