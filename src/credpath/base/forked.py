"""Work shared out to forked worker processes that inherit what it reads.

The learner site draws 10,000 pages from a catalog of millions of objects: sending that
catalog to worker processes would cost more than drawing the pages. A forked worker
inherits it instead (copy-on-write), so only the work items and their results travel.
Where fork is not safe (Windows, macOS), or for little work, the work runs here, with
the same results in the same order.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

_inherited: Callable[[Any], Any] | None = None
"""The function the workers run: set while they are forked, inherited by them."""


def _run_inherited(item: Any) -> Any:
    assert _inherited is not None, "called outside a forked worker"
    return _inherited(item)


def can_fork() -> bool:
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def forked_map(function: Callable[[Item], Outcome], items: Sequence[Item]) -> Iterator[Outcome]:
    """``function(item)`` for each item, in order, on one forked worker per core.

    The workers start now, before this returns: call it before starting any thread, so
    that no lock is held while forking. The results come as they are consumed; closing
    the iterator early cancels what has not started.
    """
    global _inherited
    if not can_fork() or len(items) < 2:
        return map(function, items)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    workers = min(os.cpu_count() or 1, len(items))
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=gc.disable)
    _inherited = function
    try:
        futures = [pool.submit(_run_inherited, item) for item in items]  # forks at the first
    finally:
        _inherited = None
    return _Results(pool, futures)


class _Results(Iterator[Outcome]):
    """The workers' results in order. Closing it, even before the first result is taken,
    stops the workers: what has not started is cancelled, what runs is finished, so
    nothing they do outlives it. The last result, or a worker's exception, closes it too.
    """

    def __init__(self, pool: ProcessPoolExecutor, futures: list[Future[Outcome]]) -> None:
        self._pool = pool
        self._futures = iter(futures)

    def __next__(self) -> Outcome:
        try:
            return next(self._futures).result()
        except BaseException:  # StopIteration at the end too
            self.close()
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
