"""Running asyncio work from widgets: one task per slot, kept alive, cancelled by the next one.

Handlers are plain coroutines so tests can await them. A click starts a task through a
TaskSlot, which holds the only reference the GUI needs (asyncio keeps weak references to
tasks, so an unreferenced one can vanish mid-flight), and cancels the task it replaces.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    # asyncio is imported where a task starts, not with the window: the first page paints
    # before the asyncio loop exists (wizard.ui.app).
    import asyncio

    from wizard.core.threads import DaemonExecutor

# How long reading or writing one of the wizard's files may take before the page says so.
FILE_TIMEOUT = 30.0

T = TypeVar("T")

_DAEMON_THREADS: DaemonExecutor | None = None

# Every task started here, until it ends: a strong reference so none is garbage-collected.
_RUNNING: set[asyncio.Task[Any]] = set()


def running_tasks() -> frozenset[asyncio.Task[Any]]:
    return frozenset(_RUNNING)


class TaskSlot:
    """Holds at most one running task; starting another cancels the first.

    `on_change(busy)` is called when the slot goes from idle to busy and back.
    """

    def __init__(self, on_change: Callable[[bool], None] | None = None) -> None:
        self._task: asyncio.Task[Any] | None = None
        self._on_change = on_change
        self._generation = 0

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def generation(self) -> int:
        """Increases with every start and cancel; a callback holding an older one is stale."""
        return self._generation

    def start(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        import asyncio

        self._cancel_task()
        self._generation += 1
        task = asyncio.ensure_future(coroutine)
        self._task = task
        _RUNNING.add(task)
        task.add_done_callback(self._finished)
        self._notify()
        return task

    def cancel(self) -> bool:
        """Cancel the running task at once; True when there was one."""
        had = self._cancel_task()
        if had:
            self._generation += 1
            self._notify()
        return had

    def _cancel_task(self) -> bool:
        task, self._task = self._task, None
        if task is None or task.done():
            return False
        task.cancel()
        return True

    def _finished(self, task: asyncio.Task[Any]) -> None:
        _RUNNING.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Surface programming errors instead of losing them with the task.
            task.get_loop().call_exception_handler(
                {"message": "Unexpected error in a wizard task", "exception": task.exception()}
            )
        if task is self._task:
            self._task = None
            self._notify()

    def _notify(self) -> None:
        if self._on_change is not None:
            self._on_change(self.busy)


class BlockingTimeout(TimeoutError):
    """A blocking call did not return in time; it may still be running in its thread."""


async def run_blocking(function: Callable[..., T], *args: Any, timeout: float) -> T:
    """Run a blocking call (keyring, file system) off the GUI thread, giving up after `timeout`.

    A daemon thread per call rather than a pool: a locked Secret Service can block forever,
    and a pool's worker would then keep the program from exiting.
    """
    import asyncio

    global _DAEMON_THREADS
    if _DAEMON_THREADS is None:
        from wizard.core.threads import DaemonExecutor

        _DAEMON_THREADS = DaemonExecutor()
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_DAEMON_THREADS, functools.partial(function, *args))
    try:
        return await asyncio.wait_for(future, timeout)
    except TimeoutError:
        raise BlockingTimeout(f"no answer within {timeout:g} seconds") from None
