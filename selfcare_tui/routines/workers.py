"""Reading many routine files on every core, for the first load of a large library.

The workers are forked by a fork server that has the loader imported already, so each starts in
milliseconds, and never copies the threads of the caller (the app has some). Where there is no
fork server (Windows) they are spawned.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from selfcare_tui.routines.model import Source

Row = TypeVar("Row")
File = tuple[Path, Source]

FILES_PER_TASK = 16
"""Files sent to a worker at a time: fewer round trips, and still an even share for each."""


def read_in_workers(
    files: Sequence[File], cores: int, read: Callable[[File], Row | None]
) -> Iterator[tuple[Path, Row]]:
    """(path, read(file)) for each file `read` gives a row for, read by one worker process per
    core, in order. Stops early if the workers cannot start or one dies (killed, out of memory):
    the caller then reads what is left itself."""
    try:
        with ProcessPoolExecutor(cores, mp_context=_context()) as pool:
            rows = pool.map(read, files, chunksize=FILES_PER_TASK)
            for (path, _), row in zip(files, rows, strict=True):
                if row is not None:
                    yield path, row
    except (BrokenProcessPool, OSError):
        return


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # The server imports the loader once for every worker, and never the caller's __main__.
    context.set_forkserver_preload(["selfcare_tui.routines.cache", "selfcare_tui.routines.loader"])
    return context
