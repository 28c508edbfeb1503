"""Save a session that is cut off: Ctrl+C, SIGTERM, or the terminal closing (SIGHUP).

    with save_on_exit(build_entry, journal) as guard:
        run_the_session()
        guard.save_once(Ending.COMPLETED)   # or Ending.QUIT; a second save does nothing

If the block is left by an exception (KeyboardInterrupt included) before anything was saved, an
`Ending.INTERRUPTED` entry is saved and the exception goes on. On SIGTERM or SIGHUP the entry is
saved and the process ends with SystemExit(128 + signum), so `finally` blocks (restoring the
terminal, stopping speech) still run. A signal that arrives while a save is being written waits
for it to finish. Leaving the block normally without a save saves nothing: the caller decides
what a normal ending is (a session never started need not be logged).

Signal handlers are installed only in the main thread and the previous ones are restored on exit.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from selfcare_tui.journal.model import Ending, SessionEntry
from selfcare_tui.journal.store import Journal

BuildEntry = Callable[[Ending], SessionEntry]
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class SessionGuard:
    """Saves one entry for a session, once, however many times it is asked to."""

    def __init__(self, build_entry: BuildEntry, journal: Journal) -> None:
        self.build_entry = build_entry
        self.journal = journal
        self.saved_path: Path | None = None
        self.saved_ending: Ending | None = None
        self._lock = threading.RLock()
        self._done = False
        self._busy = False
        self._pending_signal: int | None = None

    @property
    def saved(self) -> bool:
        return self._done

    def save_once(self, ending: Ending) -> Path | None:
        """Save the entry with `ending` and return its file; None if one was saved already."""
        # Re-entrant: a signal handled in this thread just before `_busy` is set saves itself.
        with self._lock:
            if self._done:
                return None
            self._busy = True
            try:
                self.saved_path = self.journal.save(self.build_entry(ending))
                self.saved_ending = ending
                self._done = True
            finally:
                self._busy = False
        pending, self._pending_signal = self._pending_signal, None
        if pending is not None:
            raise SystemExit(128 + pending)
        return self.saved_path

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._busy:
            self._pending_signal = signum  # let the save finish; save_once exits after it
            return
        try:
            self.save_once(Ending.INTERRUPTED)
        except Exception as error:
            _report(error)
        raise SystemExit(128 + signum)


@contextmanager
def save_on_exit(build_entry: BuildEntry, journal: Journal) -> Iterator[SessionGuard]:
    guard = SessionGuard(build_entry, journal)
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in _SIGNALS:
            previous[signum] = signal.signal(signum, guard._on_signal)
    try:
        yield guard
    except BaseException:
        if not guard.saved:
            try:
                guard.save_once(Ending.INTERRUPTED)
            except Exception as error:  # never hide why the session ended
                _report(error)
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _report(error: Exception) -> None:
    print(f"selfcare: could not save the interrupted session: {error}", file=sys.stderr)
