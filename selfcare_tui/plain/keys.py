"""Reading the user: answers to prompts line by line, and commands while a routine plays.

Two sources with the same interface:
- `TerminalInput` (standard input is a terminal): prompts read a line; during the routine the
  terminal is in cbreak mode and single keys are commands, read with select() between ticks.
  The terminal settings are restored however the routine ends, exceptions included.
- `LineInput` (a pipe, a script, a tester): a daemon thread reads lines into a queue, so the
  routine's timer never waits for input. End of input is remembered: prompts then get None.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import sys
import threading
from collections.abc import Iterator
from typing import Protocol, TextIO

PAUSE, NEXT, PREVIOUS, REPEAT, STATUS, MUTE, QUIT, HELP = (
    "pause", "next", "previous", "repeat", "status", "mute", "quit", "help",
)  # fmt: skip
UNKNOWN = "unknown"

KEYS = {" ": PAUSE, "n": NEXT, "p": PREVIOUS, "r": REPEAT, "s": STATUS, "m": MUTE, "q": QUIT}
KEYS |= {"h": HELP, "?": HELP}
WORDS = {
    "space": PAUSE, "pause": PAUSE, "resume": PAUSE, "next": NEXT, "skip": NEXT,
    "previous": PREVIOUS, "prev": PREVIOUS, "back": PREVIOUS, "repeat": REPEAT,
    "status": STATUS, "where": STATUS, "mute": MUTE, "unmute": MUTE, "quit": QUIT, "stop": QUIT,
    "help": HELP,
}  # fmt: skip

KEY_HELP = (
    "Keys: space pause or resume, n next step, p previous step, r repeat the instruction, "
    "s where you are, m mute or unmute, q quit."
)
LINE_HELP = (
    "Commands, one per line: space or pause, n next step, p previous step, r repeat the "
    "instruction, s where you are, m mute or unmute, q quit."
)


def line_command(line: str) -> str | None:
    """The command a typed line stands for; None for an empty line (ignored while playing)."""
    word = line.strip().lower()
    if not word:
        return PAUSE if " " in line.rstrip("\r\n") else None
    return KEYS.get(word) or WORDS.get(word) or UNKNOWN


class CommandReader(Protocol):
    def poll(self, timeout: float) -> list[str]:
        """The commands given within `timeout` seconds (returns early when there are some)."""
        ...


class Input(Protocol):
    interactive: bool
    """True when single keys work (a terminal)."""

    @property
    def help(self) -> str: ...

    def read_line(self) -> str | None:
        """The next line without its newline, or None at end of input."""
        ...

    def commands(self) -> contextlib.AbstractContextManager[CommandReader]: ...


class LineInput:
    interactive = False
    help = LINE_HELP

    def __init__(self, stream: TextIO) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._ended = False
        self._thread = threading.Thread(
            target=self._read, args=(stream,), name="selfcare-input", daemon=True
        )
        self._thread.start()

    @property
    def ended(self) -> bool:
        return self._ended

    def _read(self, stream: TextIO) -> None:
        try:
            for line in stream:
                self._lines.put(line.rstrip("\r\n"))
        except (OSError, ValueError):
            pass
        finally:
            self._lines.put(None)

    def _take(self, timeout: float | None) -> str | None:
        """A line, or None at end of input; raises queue.Empty after `timeout`."""
        if self._ended:
            return None
        line = self._lines.get(timeout=timeout) if timeout is not None else self._lines.get()
        if line is None:
            self._ended = True
        return line

    def read_line(self) -> str | None:
        return self._take(None)

    @contextlib.contextmanager
    def commands(self) -> Iterator[CommandReader]:
        yield self

    def poll(self, timeout: float) -> list[str]:
        """At most one line's command, so lines after a `q` are left for the questions."""
        if self._ended:
            threading.Event().wait(timeout)
            return []
        try:
            line = self._take(timeout)
        except queue.Empty:
            return []
        command = None if line is None else line_command(line)
        return [] if command is None else [command]


class TerminalInput:
    interactive = True
    help = KEY_HELP

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._fd = stream.fileno()

    def read_line(self) -> str | None:
        line = self._stream.readline()
        return None if not line else line.rstrip("\r\n")

    @contextlib.contextmanager
    def commands(self) -> Iterator[CommandReader]:
        import termios
        import tty

        saved = termios.tcgetattr(self._fd)
        try:
            tty.setcbreak(self._fd)
            yield _KeyReader(self._fd)
        finally:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, saved)
            # Keys pressed as the routine ended must not answer the first question after it.
            termios.tcflush(self._fd, termios.TCIFLUSH)


class _KeyReader:
    def __init__(self, fd: int) -> None:
        self._fd = fd

    def poll(self, timeout: float) -> list[str]:
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return []
        data = os.read(self._fd, 64).decode("utf-8", errors="ignore")
        if not data:  # the terminal went away; the routine plays on
            threading.Event().wait(timeout)
            return []
        # An arrow or function key sends ESC and a few letters: ignore the whole sequence.
        data = data.split("\x1b", 1)[0]
        return [KEYS.get(key.lower(), UNKNOWN) for key in data if not key.isspace() or key == " "]


def open_input(stream: TextIO | None = None) -> Input:
    """Keys on a terminal (where termios exists), else one command per line."""
    stream = stream or sys.stdin
    try:
        interactive = stream.isatty()
        import termios  # noqa: F401  (POSIX only)
    except (ImportError, AttributeError, ValueError, OSError):
        interactive = False
    return TerminalInput(stream) if interactive else LineInput(stream)
