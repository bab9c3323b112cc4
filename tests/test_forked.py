"""Work shared out to forked workers: the same results, in order, as in one process."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from credpath.base import forked
from credpath.base.output import close_source

needs_fork = pytest.mark.skipif(not forked.can_fork(), reason="forked workers need Linux, 2 cores")


@needs_fork
def test_workers_inherit_what_they_read_and_return_results_in_order() -> None:
    lock = threading.Lock()  # cannot be pickled: the workers must inherit it, not receive it
    parent = os.getpid()

    def work(item: int) -> tuple[int, bool]:
        with lock:
            return item * item, os.getpid() != parent

    results = list(forked.forked_map(work, list(range(40))))
    assert [square for square, _ in results] == [i * i for i in range(40)]
    assert all(elsewhere for _, elsewhere in results)


@needs_fork
def test_a_failure_in_a_worker_is_raised_here() -> None:
    def work(item: int) -> int:
        if item == 3:
            raise ValueError("item 3 is bad")
        return item

    results = forked.forked_map(work, list(range(6)))
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="item 3 is bad"):
        next(results)


def test_without_fork_the_work_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    parent = os.getpid()
    assert list(forked.forked_map(lambda item: (item, os.getpid()), [1, 2])) == [
        (1, parent),
        (2, parent),
    ]


@needs_fork
def test_closing_before_the_first_result_stops_the_workers(tmp_path: Path) -> None:
    """What the workers do (here: write a file per item) ends when the results are closed,
    even unread: the site removes the folder they write into right after."""

    def work(item: int) -> None:
        time.sleep(0.01)
        (tmp_path / f"{item}.done").write_text("")

    results = forked.forked_map(work, list(range(400)))
    time.sleep(0.05)
    close_source(results)
    done = sorted(tmp_path.iterdir())
    assert 0 < len(done) < 400
    time.sleep(0.3)
    assert sorted(tmp_path.iterdir()) == done
