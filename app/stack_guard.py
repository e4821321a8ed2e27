"""Keep Python's recursion limit where CPython's C stack can honour it (see issue #22).

``py_ecc`` (loaded by eth-account) raises the recursion limit to 100,000 when imported. At that
limit, recursive C code such as the ``json`` decoder overflows the C stack on hostile input and
the process dies with SIGSEGV instead of raising ``RecursionError``. ``install()`` puts a finder in
front of the import system that lets ``py_ecc`` load normally, then sets the limit to
``SAFE_LIMIT``; it runs when ``app`` is imported, before anything can load eth-account.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Final

# Modules known to raise the limit on import.
RAISERS: Final = frozenset({"py_ecc"})
# A limit the default 8 MiB C stack survives even for the deepest C recursion we know of.
SAFE_LIMIT: Final = 10_000


class _RestoringLoader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader) -> None:
        self._inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        before = sys.getrecursionlimit()
        try:
            self._inner.exec_module(module)
        finally:
            # Not back to 1000: CPython 3.11's compiler raises a spurious "AST constructor
            # recursion depth mismatch" when deep (qasync + pytest) stacks compile near the limit.
            sys.setrecursionlimit(min(max(before, SAFE_LIMIT), SAFE_LIMIT))


class _RestoringFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in RAISERS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _RestoringLoader(spec.loader)
        return spec


def install() -> None:
    """Guard future imports, and repair the limit if a raiser was imported already."""
    if not any(isinstance(finder, _RestoringFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RestoringFinder())
    if sys.getrecursionlimit() > SAFE_LIMIT:
        sys.setrecursionlimit(SAFE_LIMIT)
