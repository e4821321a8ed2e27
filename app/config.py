"""Where govdesk keeps its local data (the SQLite store, exported files)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DATA_DIR_ENV = "GOVDESK_DATA_DIR"
# The one SQLite store in a data folder, shared by the app and every command.
STORE_FILE = "govdesk.sqlite3"


def default_data_dir(explicit: str | Path | None = None) -> Path:
    """``explicit`` if given, else ``$GOVDESK_DATA_DIR``, else the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(user_data_dir("govdesk", appauthor=False))
