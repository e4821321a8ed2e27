"""Shared set-up for the key commands: data dir, store, vault, passwords."""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import STORE_FILE, default_data_dir
from app.errors import InputError

if TYPE_CHECKING:
    from app.keys.accounts import AccountManager

PASSWORD_ENV = "GOVDESK_PASSWORD"  # noqa: S105 - an env var name, not a password
NEW_PASSWORD_ENV = "GOVDESK_NEW_PASSWORD"  # noqa: S105 - an env var name


def add_data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        help="data directory (default: $GOVDESK_DATA_DIR or the platform's user data dir)",
    )


def read_password(prompt: str, *, env: str = PASSWORD_ENV, confirm: bool = False) -> str:
    """The password from ``env`` if set, else a getpass prompt (twice when ``confirm``)."""
    from_env = os.environ.get(env)
    if from_env is not None:
        return from_env
    try:
        password = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat the password: ") != password:
            raise InputError("The two passwords differ.")
    except (EOFError, OSError):  # no terminal and nothing on stdin
        raise InputError(
            f"No password: set {env} or run the command in a terminal to be asked for it."
        ) from None
    return password


@dataclass(frozen=True)
class KeysContext:
    data_dir: Path
    conn: sqlite3.Connection


def open_context(args: argparse.Namespace) -> KeysContext:
    from app.store.recovery import open_store

    data_dir = default_data_dir(getattr(args, "data_dir", None))
    # The directory holds only non-secret data, but it is still nobody else's business.
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return KeysContext(data_dir=data_dir, conn=open_store(data_dir / STORE_FILE).conn)


def build_manager(ctx: KeysContext) -> AccountManager:
    """An AccountManager over the system keyring and this data directory's store."""
    from app.keys.accounts import AccountManager
    from app.keys.keyring_vault import KeyringVault
    from app.keys.metadata import AccountsRepo

    return AccountManager(KeyringVault(), AccountsRepo(ctx.conn))
