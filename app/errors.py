"""The govdesk error tree.

Every error a person may see derives from ``AppError`` and carries a ``user_message``: one or two
plain sentences saying what went wrong and what to do. Front ends (CLI, Qt) show that message and
never a traceback.

    AppError
    ├── ConfigError            bad configuration or command-line input
    ├── InputError             a value a person typed or a file they gave is not valid
    ├── DevnetError            the local devnet (anvil, deployment, local hub) failed
    ├── ToolMissingError       a required local tool (node, anvil, solc) is not installed
    ├── StoreError             the local SQLite store cannot be opened, migrated or written
    ├── NetworkError           an RPC endpoint or HTTP service failed
    │   └── ChainMismatchError the endpoint serves another chain than the one configured
    ├── SigningError           a signature could not or must not be made
    └── KeysError              (defined in app.keys) vault, password and keyring failures
"""

from __future__ import annotations


class AppError(Exception):
    """Root of every error govdesk reports to a person."""

    def __init__(self, user_message: str, *, detail: str | None = None) -> None:
        super().__init__(user_message if detail is None else f"{user_message} ({detail})")
        self.user_message = user_message
        self.detail = detail


class ConfigError(AppError):
    """Configuration or command-line options are wrong."""


class InputError(AppError):
    """A value or file given by a person is not valid."""


class DevnetError(AppError):
    """The local devnet could not be started, deployed or stopped."""


class ToolMissingError(AppError):
    """A local tool govdesk needs (node, anvil, solc) is not installed."""


class StoreError(AppError):
    """The local store cannot be opened, migrated or written."""


class NetworkError(AppError):
    """An RPC endpoint or HTTP service failed or answered nonsense."""


class ChainMismatchError(NetworkError):
    """The endpoint serves a different chain than the configured one."""


class SigningError(AppError):
    """A signature could not be made, or must not be made."""
