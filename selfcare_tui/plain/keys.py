"""Reading the user: answers to prompts line by line, and keys while a routine plays.

Two sources with the same interface:
- `TerminalInput` (standard input is a terminal): prompts read a line; during the routine the
  terminal is in cbreak mode and single keys (arrows included) are read with select() between
  ticks. The terminal settings are restored however the routine ends, exceptions included.
- `LineInput` (a pipe, a script, a tester): a daemon thread reads lines into a queue, so the
  routine's timer never waits for input. End of input is remembered: prompts then get None.

While a routine plays, both give key names as Textual names them ("space", "n", "right",
"question_mark") or, from a line, a command word ("pause", "next"); the session's key table
(session/commands.py) says what each does.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import sys
import threading
from collections.abc import Collection, Iterator
from typing import Protocol, TextIO

from selfcare_tui.session.commands import KEY_CHARACTERS, CommandKeys, PlayerCommand, command_for

WORDS = {
    "pause": PlayerCommand.PAUSE, "resume": PlayerCommand.PAUSE, "next": PlayerCommand.NEXT,
    "skip": PlayerCommand.NEXT, "previous": PlayerCommand.PREVIOUS, "back": PlayerCommand.PREVIOUS,
    "repeat": PlayerCommand.REPEAT, "status": PlayerCommand.STATUS, "where": PlayerCommand.STATUS,
    "mute": PlayerCommand.MUTE, "unmute": PlayerCommand.MUTE, "faster": PlayerCommand.FASTER,
    "slower": PlayerCommand.SLOWER, "quit": PlayerCommand.QUIT, "stop": PlayerCommand.QUIT,
    "help": PlayerCommand.HELP, "longer": PlayerCommand.LONGER, "more": PlayerCommand.LONGER,
    "end": PlayerCommand.END_HOLD, "done": PlayerCommand.END_HOLD,
}  # fmt: skip
"""Words a line may give instead of a key."""
LINE_HELP = "One command per line: a key, such as n, or a word, such as next."
_KEY_NAMES = {character: name for name, character in KEY_CHARACTERS.items()}
_ARROWS = {"\x1b[C": "right", "\x1b[D": "left", "\x1bOC": "right", "\x1bOD": "left"}


def key_name(character: str) -> str:
    """The Textual name of the key that types `character`: " " is "space", "?" "question_mark"."""
    return _KEY_NAMES.get(character, character.lower())


def command_of(token: str, commands: tuple[CommandKeys, ...]) -> PlayerCommand | None:
    """What a key name or a typed word asks for; None when it asks for nothing."""
    return WORDS.get(token) or command_for(token, commands)


def line_token(line: str) -> str | None:
    """The key name or word a typed line stands for; None for an empty line (ignored)."""
    word = line.strip().lower()
    if not word:
        return "space" if " " in line.rstrip("\r\n") else None
    return key_name(word) if len(word) == 1 else word


class CommandReader(Protocol):
    @property
    def ended(self) -> bool:
        """No more keys will come (end of input, or the terminal went away)."""
        ...

    def poll(self, timeout: float) -> list[str]:
        """The keys or words given within `timeout` seconds (returns early when there are some)."""
        ...


class Input(Protocol):
    interactive: bool
    """True when single keys work (a terminal)."""

    def read_line(self) -> str | None:
        """The next line without its newline, or None at end of input."""
        ...

    def read_answer(self, shortcuts: Collection[str]) -> str | None:
        """An answer to a choice: on a terminal, keys that answer at once; else a line."""
        ...

    def discard_typeahead(self) -> None:
        """Forget keys typed before a question was asked (a late routine key is no answer)."""
        ...

    def commands(self) -> contextlib.AbstractContextManager[CommandReader]: ...


class LineInput:
    interactive = False

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

    def read_answer(self, shortcuts: Collection[str]) -> str | None:
        return self.read_line()

    def discard_typeahead(self) -> None:
        """Lines from a script are all meant as answers: nothing to forget."""

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
        token = None if line is None else line_token(line)
        return [] if token is None else [token]


class TerminalInput:
    interactive = True

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._fd = stream.fileno()

    def read_line(self) -> str | None:
        line = self._stream.readline()
        return None if not line else line.rstrip("\r\n")

    def discard_typeahead(self) -> None:
        import termios

        termios.tcflush(self._fd, termios.TCIFLUSH)

    def read_answer(self, shortcuts: Collection[str]) -> str | None:
        """Keys that answer at once, as in the app: "y", "5"; after "1" a short pause (or Enter)
        tells 1 from 10. Enter alone skips; Enter just after an answer is not the next answer."""
        import termios
        import tty

        saved = termios.tcgetattr(self._fd)
        try:
            tty.setcbreak(self._fd, termios.TCSANOW)  # keys typed ahead are kept
            answer = _typed_answer(self._fd, {key.lower() for key in shortcuts})
            if answer:
                _swallow_enter(self._fd)
        finally:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, saved)
        if answer is not None:
            self._stream_echo(answer)
        return answer

    def _stream_echo(self, answer: str) -> None:
        """cbreak mode does not echo: show what was typed, as a line would."""
        sys.stdout.write(f"{answer}\n")
        sys.stdout.flush()

    @contextlib.contextmanager
    def commands(self) -> Iterator[CommandReader]:
        import termios
        import tty

        saved = termios.tcgetattr(self._fd)
        try:
            tty.setcbreak(self._fd, termios.TCSANOW)  # keys typed ahead are kept
            yield _KeyReader(self._fd)
        finally:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, saved)
            # Keys pressed as the routine ended must not answer the first question after it.
            termios.tcflush(self._fd, termios.TCIFLUSH)


class _KeyReader:
    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.ended = False

    def poll(self, timeout: float) -> list[str]:
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return []
        data = os.read(self._fd, 64).decode("utf-8", errors="ignore")
        if not data:  # the terminal went away; the routine plays on
            self.ended = True
            threading.Event().wait(timeout)
            return []
        return keys_in(data)


TYPING_PAUSE = 1.0
"""Seconds to wait after "1" for a "0", since both 1 and 10 are answers."""
ENTER_GRACE = 0.3
"""An Enter this soon after a key answer is taken as part of it, not as the next answer."""


def _typed_answer(fd: int, shortcuts: set[str]) -> str | None:
    typed = ""
    while True:
        longer = any(key.startswith(typed) and key != typed for key in shortcuts)
        ready, _, _ = select.select([fd], [], [], TYPING_PAUSE if typed and longer else None)
        if not ready:
            return typed
        character = os.read(fd, 1).decode("utf-8", errors="ignore")
        if not character:
            return None  # the terminal went away
        if character in "\r\n":
            return typed
        if character in "\x7f\b":
            typed = typed[:-1]
            continue
        if not character.isprintable():
            continue  # escape sequences and other control keys answer nothing
        typed += character.lower()
        still = any(key.startswith(typed) and key != typed for key in shortcuts)
        if typed in shortcuts and not still:
            return typed
        if not any(key.startswith(typed) for key in shortcuts):
            return typed  # fits nothing: the question says how to answer, and asks again


def _swallow_enter(fd: int) -> None:
    ready, _, _ = select.select([fd], [], [], ENTER_GRACE)
    if ready:
        import termios

        peek = os.read(fd, 1)
        if peek not in (b"\r", b"\n"):
            # Not an Enter: keys typed this soon after an answer are taken as a slip, dropped.
            termios.tcflush(fd, termios.TCIFLUSH)


def keys_in(data: str) -> list[str]:
    """Key names in what a terminal sent: arrows are read, other escape sequences ignored."""
    keys: list[str] = []
    while data:
        if data.startswith("\x1b"):
            arrow = next((seq for seq in _ARROWS if data.startswith(seq)), None)
            if arrow is None:
                break  # a key we do not use: drop the rest of the sequence
            keys.append(_ARROWS[arrow])
            data = data[len(arrow) :]
            continue
        character, data = data[0], data[1:]
        if not character.isspace() or character == " ":
            keys.append(key_name(character))
    return keys


def open_input(stream: TextIO | None = None) -> Input:
    """Keys on a terminal (where termios exists), else one command per line."""
    stream = stream or sys.stdin
    try:
        interactive = stream.isatty()
        import termios  # noqa: F401  (POSIX only)
    except (ImportError, AttributeError, ValueError, OSError):
        interactive = False
    return TerminalInput(stream) if interactive else LineInput(stream)
