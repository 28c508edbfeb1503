"""Calls that may hang (an engine, an audio player) run on a worker thread the caller watches.

`Worker.run(call, timeout)` returns the call's result or re-raises its exception; if the call
makes no progress within `timeout` seconds it raises `Hung` instead, and the caller decides what
to do (stop the thing, restart it, give up). A hung call keeps its thread: the worker abandons
it (the thread ends whenever the call returns, if ever) and the next call gets a fresh thread.
Threads block on a queue between calls: an idle worker costs nothing.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Hung(Exception):
    """A watched call made no progress within its time limit."""


class _Job(Generic[T]):
    def __init__(self, call: Callable[[], T]) -> None:
        self.call = call
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.value = self.call()
        except BaseException as error:  # handed to the waiting caller
            self.error = error
        finally:
            self.done.set()

    def result(self) -> T:
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


class Worker:
    """One call at a time on a daemon thread; the caller waits for each at most `timeout` s."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: queue.SimpleQueue[_Job[object] | None] | None = None
        self._last: _Job[object] | None = None
        self.threads_started = 0
        """How many threads this worker has started: more than one means one was abandoned."""

    @property
    def busy(self) -> bool:
        """True while the last call has not returned (it hung, or is still running)."""
        return self._last is not None and not self._last.done.is_set()

    def run(self, call: Callable[[], T], timeout: float | None) -> T:
        """`call()` on the worker's thread; raises Hung after `timeout` seconds without a result."""
        if self.busy:
            self.abandon()
        job: _Job[T] = _Job(call)
        self._thread_queue().put(job)  # type: ignore[arg-type]
        self._last = job  # type: ignore[assignment]
        if not job.done.wait(timeout):
            raise Hung(f"no answer in {timeout:g} s")
        return job.result()

    def settle(self, timeout: float) -> bool:
        """Wait up to `timeout` s for a hung call to return (after stopping it); True if it did."""
        return self._last is None or self._last.done.wait(timeout)

    def abandon(self) -> None:
        """Leave the current thread to its call: it ends when the call returns."""
        if self._jobs is not None:
            self._jobs.put(None)
        self._jobs = None
        self._last = None

    close = abandon

    def _thread_queue(self) -> queue.SimpleQueue[_Job[object] | None]:
        if self._jobs is None:
            jobs: queue.SimpleQueue[_Job[object] | None] = queue.SimpleQueue()
            self.threads_started += 1
            name = f"{self.name}-{self.threads_started}"
            threading.Thread(target=_serve, args=(jobs,), name=name, daemon=True).start()
            self._jobs = jobs
        return self._jobs


def _serve(jobs: queue.SimpleQueue[_Job[object] | None]) -> None:
    while (job := jobs.get()) is not None:
        job.run()
