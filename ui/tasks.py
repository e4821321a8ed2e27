"""run_task: the one way the UI starts coroutines (strong references, cancel with owner, errors)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from app.errors import AppError

log = logging.getLogger(__name__)
T = TypeVar("T")
_tasks: set[asyncio.Task[Any]] = set()


def describe_error(exc: BaseException) -> str:
    """A message for a person: the AppError's own words, or a plain sentence — never a traceback."""
    if isinstance(exc, AppError):
        return exc.user_message
    return f"Something went wrong ({type(exc).__name__}). Details are in the log."


def run_task(
    coro: Coroutine[Any, Any, T],
    *,
    owner: QObject,
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> asyncio.Task[T]:
    """Start ``coro`` on the running qasync loop; cancel it if ``owner`` is destroyed."""
    task = asyncio.ensure_future(coro)
    _tasks.add(task)

    def _finished(done: asyncio.Task[T]) -> None:
        _tasks.discard(done)
        if done.cancelled():
            return
        if not shiboken6.isValid(owner):  # finished, but its widget went away before this ran
            if done.exception() is not None:
                log.info("a task failed after its window closed: %s", done.exception())
            return
        exc = done.exception()
        if exc is None:
            if on_done is not None:
                on_done(done.result())
            return
        if not isinstance(exc, AppError):
            log.error("task failed", exc_info=exc)
        if on_error is not None:
            on_error(describe_error(exc))

    task.add_done_callback(_finished)
    owner.destroyed.connect(lambda *_: task.cancel())
    return task
