"""Where a cohort's jobs run: this machine's process pool, or a Dask cluster.

Both run the same worker functions (:mod:`autograder.workers`) on the same self-contained jobs;
only the transport differs. Each yields ``(item, outcome)`` pairs as they complete, the outcome
being the function's result or the exception that stopped it, so one failure never hides the
others. Worker processes live as long as the run (or the cluster), and with them each process's
kernel zygote. ``distributed`` is imported only when a cluster is used.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from autograder.course import CourseError
from autograder.reference import ReferenceSolutionError
from autograder.workers import ReferenceTask, prepare_reference, prepare_references, use_course

Outcome = tuple[object, object]  # (item, the function's result or the exception it raised)


class GradingProcessDied(RuntimeError):
    """A grading process died (killed, out of memory, a crash in a library) while it had this item."""


class ClusterError(RuntimeError):
    """The Dask scheduler cannot be reached, or has no workers."""


def _fatal(result: object) -> None:
    """A reference that fails or a worker that refuses is the course's problem: stop the run."""
    if isinstance(result, (ReferenceSolutionError, CourseError)):
        raise result


class LocalPool:
    """``workers`` processes of this machine, grading against ``course_root``.

    At most one item per process is in flight, so when a process dies the suspects are known:
    each is run again alone in a fresh process, and the one that kills that too is reported as
    :class:`GradingProcessDied`; everything else goes on in a fresh pool.
    """

    def __init__(self, workers: int, course_root: Path) -> None:
        self.workers, self.course_root = max(1, workers), course_root
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=use_course, initargs=(self.course_root,))

    def __enter__(self) -> "LocalPool":
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def map_unordered(self, function: Callable, items: list) -> Iterator[Outcome]:
        queue, running = deque(items), {}

        def fill() -> None:
            self._pool = self._pool or self._new_pool(self.workers)
            while queue and len(running) < self.workers:
                item = queue.popleft()
                running[self._pool.submit(function, item)] = item

        fill()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            finished, broken = [], []
            for future in done:
                item = running.pop(future)
                try:
                    finished.append((item, future.result()))
                except BrokenProcessPool:
                    broken.append(item)
                except Exception as error:  # reported with its item
                    finished.append((item, error))
            if broken:  # every item in flight is a suspect: each runs again alone
                suspects = broken + list(running.values())
                running.clear()
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
                finished += [(item, self._alone(function, item)) for item in suspects]
            fill()  # the processes go on while the results are recorded
            yield from finished

    def _alone(self, function: Callable, item: object) -> object:
        """``function(item)`` in a process of its own: its result, its exception, or GradingProcessDied."""
        with self._new_pool(1) as pool:
            future: Future = pool.submit(function, item)
            try:
                return future.result()
            except BrokenProcessPool:
                return GradingProcessDied("the grading process died while it had this item")
            except Exception as error:
                return error

    def prepare(self, tasks: list[ReferenceTask]) -> dict[str, float]:
        """Each reference once, side by side (the processes share this machine's cache): assignment -> seconds."""
        seconds = {}
        for task, result in self.map_unordered(prepare_reference, tasks):
            _fatal(result)
            seconds[task.assignment] = result if isinstance(result, float) else 0.0
        return seconds


class DaskCluster:
    """The workers of the Dask scheduler at ``address``; they need the course installed, not the files."""

    def __init__(self, address: str, wait_seconds: float = 60.0) -> None:
        self.address, self.wait_seconds = address, wait_seconds
        self.client = None

    def __enter__(self) -> "DaskCluster":
        from distributed import Client

        try:
            self.client = Client(self.address, timeout=self.wait_seconds)
        except OSError as error:
            raise ClusterError(f"Cannot reach the Dask scheduler at {self.address} ({type(error).__name__}): start it with "
                               f"'dask scheduler' and pass its address, or grade on this machine without --scheduler.") from None
        try:
            self.client.wait_for_workers(1, timeout=self.wait_seconds)
        except TimeoutError:
            self.client.close()
            raise ClusterError(f"The Dask scheduler at {self.address} has no workers after {self.wait_seconds:g} s: start "
                               f"'dask worker {self.address} --nthreads 1' on the grading machines, then grade again.") from None
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def map_unordered(self, function: Callable, items: list) -> Iterator[Outcome]:
        # Earlier items first: the scheduler runs higher priorities first.
        return self._completed({self.client.submit(function, item, pure=False, priority=len(items) - i): item
                                for i, item in enumerate(items)})

    @staticmethod
    def _completed(futures: dict) -> Iterator[Outcome]:
        from distributed import as_completed

        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except Exception as error:  # a task that raised, or killed its workers
                yield futures[future], error

    def prepare(self, tasks: list[ReferenceTask]) -> dict[str, float]:
        """Every reference on every worker, which also checks each worker's course (workers need not share
        a cache). Each worker starts at another assignment, so that workers that do share one seldom run
        the same reference at once: assignment -> seconds."""
        workers = list(self.client.scheduler_info()["workers"])
        pinned = {}
        for index, worker in enumerate(workers):
            start = index * len(tasks) // max(1, len(workers))
            order = tasks[start:] + tasks[:start]
            pinned[self.client.submit(prepare_references, order, workers=[worker], allow_other_workers=False,
                                      pure=False)] = worker
        seconds: dict[str, float] = {}
        for _, result in self._completed(pinned):
            _fatal(result)
            seconds.update(result if isinstance(result, dict) else {})
        return seconds
