"""Output for the plain mode: one line per event, printed; speech is the session's.

Nothing here ever writes an escape sequence: no colour (so NO_COLOR is honoured by
construction), no cursor movement, no alternate screen, no box drawing, no spinner.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from selfcare_tui.session.player import Announcement
from selfcare_tui.speech.model import Speaker, UtteranceKind
from selfcare_tui.text import one_line


class Console:
    """Prints lines to `out`, speaks plain mode's own words, and notes speech problems once."""

    def __init__(self, speaker: Speaker, out: TextIO | None = None, err: TextIO | None = None):
        self.speaker = speaker
        self._out = out or sys.stdout
        self._err = err or sys.stderr
        self._lock = threading.Lock()
        self._problem_shown: str | None = None

    def say(self, text: str, kind: UtteranceKind = UtteranceKind.INSTRUCTION) -> None:
        """Print `text` and speak it: plain mode's own words, such as how to answer. In order
        after what is being said (an instruction queues; a status would jump ahead)."""
        self.line(text)
        self.speaker.speak(text, kind)
        self.check_speech()

    def speak(self, text: str) -> None:
        """Speak only: for what is printed in another form, such as a list."""
        self.speaker.speak(text, UtteranceKind.INSTRUCTION)

    def line(self, text: str) -> None:
        """Print only."""
        self._write(self._out, one_line(text))

    def note(self, text: str) -> None:
        """A note about the tool itself (not the session) on standard error."""
        self._write(self._err, one_line(text))

    def show(self, announcement: Announcement) -> None:
        """The player's announcements, printed (the session speaks them)."""
        self.line(announcement.text)

    def check_speech(self) -> None:
        """Say once (on stderr) why speech is degraded, e.g. no audio output; then carry on."""
        problem = self.speaker.problem
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
