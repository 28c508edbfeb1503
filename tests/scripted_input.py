"""Plain mode's input for in-process tests: lines for the questions, keys at moments of routine
time, and a fake clock that moves as the face polls for keys, so a routine plays without waiting.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from selfcare_tui.testing import FakeClock

EPSILON = 1e-9


class ScriptedInput:
    interactive = False
    ended = False

    def __init__(
        self,
        lines: Iterable[str],
        clock: FakeClock,
        *,
        keys: Iterable[tuple[float, str]] = (),
        sigterm_at: float | None = None,
        listen: Callable[[], object] = lambda: None,
    ) -> None:
        self.lines = list(lines)
        self.clock = clock
        self.keys = list(keys)
        """(routine seconds, key name), in time order."""
        self.sigterm_at = sigterm_at
        self.listen = listen
        """Called before each answer and each tick: a test that waits for speech to finish
        plays a user who hears every question out."""

    def read_line(self) -> str | None:
        self.listen()
        return self.lines.pop(0) if self.lines else None

    def read_answer(self, shortcuts: object) -> str | None:
        return self.read_line()

    def discard_typeahead(self) -> None:
        """Every scripted line is meant as an answer."""

    @contextmanager
    def commands(self) -> Iterator[ScriptedInput]:
        yield self

    def poll(self, timeout: float) -> list[str]:
        now = self.clock.now()
        due = [key for at, key in self.keys if at <= now + EPSILON]
        if due:
            self.keys = self.keys[len(due) :]
            return due
        if self.sigterm_at is not None and self.sigterm_at <= now + EPSILON:
            signal.raise_signal(signal.SIGTERM)
        self.listen()
        moments = [at for at, _ in self.keys]
        if self.sigterm_at is not None:
            moments.append(self.sigterm_at)
        # Whole seconds: the same instants as the app's tests, with no rounding between them.
        self.clock.advance(min([now + 1.0, *moments]) - now)
        return []
