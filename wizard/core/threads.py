"""Blocking calls in daemon threads, so that nothing left running keeps the program from exiting."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class DaemonExecutor(concurrent.futures.Executor):
    """One daemon thread per blocking call (a check makes about a dozen).

    A cancelled check leaves its requests to end at their own deadlines; daemon threads mean
    that closing the program never waits for them, as a ThreadPoolExecutor's threads would.
    """

    def submit(
        self, fn: Callable[..., T], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def work() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:
                future.set_exception(error)
            else:
                future.set_result(result)

        threading.Thread(target=work, name="halo-worker", daemon=True).start()
        return future
