"""Reading many routine files on every core, for the first load of a large library.

The workers are forked by a fork server that has the loader imported already, so each starts in
milliseconds, and never copies the threads of the caller (the app has some). Where there is no
fork server (Windows) they are spawned; in a frozen build (PyInstaller and the like) there are
none, as `sys.executable` is the app itself.

The server and multiprocessing's resource tracker are started as `python -c ...`, which puts the
current folder first on their import path: run in a folder of shared routines, a `json.py` there
would be imported. They are started with PYTHONSAFEPATH set, so only the installed modules are.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from selfcare_tui.routines.model import Source

Row = TypeVar("Row")
File = tuple[Path, Source]

FILES_PER_TASK = 16
"""Files sent to a worker at a time: fewer round trips, and still an even share for each."""
MAX_WORKERS = 8
"""More would mostly wait on the disk, and Windows takes at most 61."""


def worker_count() -> int:
    """The cores this process may run on (its affinity, not the machine's), at most
    MAX_WORKERS; 0 where no workers can be started."""
    if getattr(sys, "frozen", False):
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, MAX_WORKERS)


def read_in_workers(
    files: Sequence[File], workers: int, read: Callable[[File], Row | None]
) -> Iterator[tuple[Path, Row]]:
    """(path, read(file)) for each file `read` gives a row for, read by `workers` worker
    processes, in order. Stops early if the workers cannot start or one fails (killed, out of
    memory): the caller then reads what is left itself, and meets any error there."""
    try:
        with _safe_path(), ProcessPoolExecutor(workers, mp_context=_context()) as pool:
            rows = pool.map(read, files, chunksize=FILES_PER_TASK)
            for (path, _), row in zip(files, rows, strict=True):
                if row is not None:
                    yield path, row
    except Exception:  # BrokenProcessPool, OSError, EOFError from a server that died...
        return


@contextlib.contextmanager
def _safe_path() -> Iterator[None]:
    """PYTHONSAFEPATH for the processes started meanwhile (the fork server, the tracker)."""
    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = before


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # The server imports the loader once for every worker, and never the caller's __main__.
    context.set_forkserver_preload(["selfcare_tui.routines.rows", "selfcare_tui.routines.loader"])
    return context
