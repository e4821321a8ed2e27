"""Writing files that may hold sensitive data: atomically, owner-only from the first byte."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, via a temp file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600 before any data is written (Electrum's storage.write habit).
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
