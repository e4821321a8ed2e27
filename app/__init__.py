"""govdesk core: Qt-free, asyncio, typed. Importing it never loads Qt."""

from importlib.metadata import PackageNotFoundError, version


def _read_version() -> str:
    # The version lives in one place, pyproject.toml; installed metadata carries it here.
    try:
        return version("govdesk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


__version__ = _read_version()

# Before anything imports eth-account (and with it py_ecc): see app/stack_guard.py.
from app import stack_guard  # noqa: E402

stack_guard.install()
