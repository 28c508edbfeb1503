"""Save a session once, however it ends: normally, on a signal, or by an exception.

    guard = SessionGuard(build_entry, journal)
    with save_on_exit(guard):
        run_the_session()
        guard.save_once(Ending.COMPLETED)   # a second save does nothing

`build_entry(ending)` returns the entry to save, or None while there is nothing to save yet (the
routine has not started). If the block is left by an exception (KeyboardInterrupt included)
before anything was saved, an `Ending.INTERRUPTED` entry is saved and the exception goes on. On
SIGTERM or SIGHUP the entry is saved and the process ends with SystemExit(128 + signum), so
`finally` blocks (restoring the terminal, stopping speech) still run. A signal that arrives while
a save is being written waits for it to finish: exactly one entry is written.

Signal handlers are installed only in the main thread and the previous ones are restored on exit.
The app handles signals itself (see app.py) and calls `save_once` directly.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from types import FrameType
from typing import Any, Protocol

from selfcare_tui.journal.model import Ending, SessionEntry

BuildEntry = Callable[[Ending], SessionEntry | None]
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class JournalLike(Protocol):
    def save(self, entry: SessionEntry) -> Any:
        """Keep `entry` as a new one; returns where (a path), for the user and for `update`."""
        ...

    def update(self, where: Any, entry: SessionEntry) -> Any:
        """Replace the entry `save` put at `where`."""
        ...

    def recent(self, since: date) -> list[tuple[SessionEntry, Any]]:
        """The entries started on or after `since`, oldest first, each with where it is kept
        (for `update`)."""
        ...


class SessionGuard:
    """Saves one entry for a session, once, however many times it is asked to."""

    def __init__(
        self,
        build_entry: BuildEntry,
        journal: JournalLike | None,
        keep_unsaved: Callable[[SessionEntry], object] | None = None,
    ) -> None:
        self.build_entry = build_entry
        self.journal = journal
        self.keep_unsaved = keep_unsaved
        """Where an entry goes when the journal cannot take it (journal/fallback.py)."""
        self.saved_path: object | None = None
        self.saved_ending: Ending | None = None
        self.begun_at: object | None = None
        """Where the entry of the session under way was first written, to be completed."""
        self.problem: str | None = None
        """Why the journal could not take the entry (at the start or at the end)."""
        self.kept_unsaved = False
        """The entry went to `keep_unsaved`, since the journal could not take it."""
        self._lock = threading.RLock()
        self._done = False
        self._busy = False
        self._pending_signal: int | None = None

    @property
    def saved(self) -> bool:
        return self._done

    def begin(self, entry: SessionEntry) -> None:
        """Write the session as it starts (ending "interrupted" until it is completed), so even
        a kill -9 leaves it in the journal. A failure here is tried again at the end."""
        if self.journal is None:
            return
        with self._lock:
            try:
                self.begun_at = self.journal.save(entry)
            except OSError as error:
                self.problem = error.strerror or str(error)

    def resume(self, where: object, entry: SessionEntry) -> None:
        """Go on with the session kept at `where` (cut off earlier): it is completed there, and
        marked as under way again at once."""
        if self.journal is None:
            return
        with self._lock:
            self.begun_at = where
            try:
                self.journal.update(where, entry)
            except OSError as error:
                self.problem = error.strerror or str(error)

    def save_once(self, ending: Ending) -> object | None:
        """Save the entry with `ending`; returns where, or None if nothing was saved now."""
        # Re-entrant: a signal handled in this thread just before `_busy` is set saves itself.
        with self._lock:
            if self._done or self.journal is None:
                return None
            self._busy = True
            try:
                entry = self.build_entry(ending)
                if entry is not None:
                    self.saved_path = self._write(entry)
                    self.saved_ending = entry.ending
                    self._done = True
            finally:
                self._busy = False
        pending, self._pending_signal = self._pending_signal, None
        if pending is not None:
            raise SystemExit(128 + pending)
        return self.saved_path if self._done else None

    def _write(self, entry: SessionEntry) -> object:
        assert self.journal is not None
        try:
            if self.begun_at is not None:
                return self.journal.update(self.begun_at, entry)
            return self.journal.save(entry)
        except OSError as error:
            if self.keep_unsaved is None:
                raise
            self.problem = error.strerror or str(error)
            kept = self.keep_unsaved(entry)
            self.kept_unsaved = True
            return kept

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        """A signal handler: save as interrupted, then leave with 128 + signum."""
        if self._busy:
            self._pending_signal = signum  # let the save finish; save_once exits after it
            return
        try:
            self.save_once(Ending.INTERRUPTED)
        except Exception as error:
            report_unsaved(error)
        raise SystemExit(128 + signum)


@contextmanager
def save_on_exit(guard: SessionGuard) -> Iterator[SessionGuard]:
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in _SIGNALS:
            previous[signum] = signal.signal(signum, guard.on_signal)
    try:
        yield guard
    except BaseException:
        if not guard.saved:
            try:
                guard.save_once(Ending.INTERRUPTED)
            except Exception as error:  # never hide why the session ended
                report_unsaved(error)
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def report_unsaved(error: Exception) -> None:
    print(f"selfcare: could not save the interrupted session: {error}", file=sys.stderr)
