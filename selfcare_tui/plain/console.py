"""Output for the plain mode: one line per event, printed, and spoken unless muted.

Nothing here ever writes an escape sequence: no colour (so NO_COLOR is honoured by
construction), no cursor movement, no alternate screen, no box drawing, no spinner.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from selfcare_tui.session.player import Announcement
from selfcare_tui.session.speaking import speak_announcement
from selfcare_tui.speech.model import Speaker, UtteranceKind


def plain_text(text: str) -> str:
    """One line, with control characters (escape included) removed from whatever we were given."""
    cleaned = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(cleaned.split())


class Console:
    """Prints lines to `out`, speaks them through `speaker`, and notes speech problems once."""

    def __init__(
        self,
        speaker: Speaker | None,
        out: TextIO | None = None,
        err: TextIO | None = None,
        speed: float = 1.0,
    ) -> None:
        self.speaker = speaker
        self.speed = speed
        self._out = out or sys.stdout
        self._err = err or sys.stderr
        self._lock = threading.Lock()
        self._problem_shown: str | None = None

    def say(self, text: str, spoken: str | None = None) -> None:
        """Print `text` and speak it (or `spoken`, e.g. without a file path)."""
        self.line(text)
        if self.speaker is not None:
            self.speaker.speak(spoken or text, UtteranceKind.INSTRUCTION)
        self.check_speech()

    def hush(self) -> None:
        """Stop speaking now, as a screen reader does when the user types."""
        if self.speaker is not None:
            self.speaker.interrupt()

    def line(self, text: str) -> None:
        """Print only."""
        self._write(self._out, plain_text(text))

    def note(self, text: str) -> None:
        """A note about the tool itself (not the session) on standard error."""
        self._write(self._err, plain_text(text))

    def announce(self, announcement: Announcement) -> None:
        """The player's announcements: printed, and spoken with its interrupt and staleness."""
        self.line(announcement.text)
        if self.speaker is not None:
            speak_announcement(self.speaker, announcement, self.speed)

    def check_speech(self) -> None:
        """Say once (on stderr) why speech is degraded, e.g. no audio output; then carry on."""
        problem = self.speaker.problem if self.speaker is not None else None
        if problem and problem != self._problem_shown and not self.speaker.muted:
            self._problem_shown = problem
            self.note(f"Speech: {problem}")

    def _write(self, stream: TextIO, text: str) -> None:
        with self._lock:
            try:
                stream.write(text + "\n")
                stream.flush()
            except (BrokenPipeError, ValueError):
                pass
