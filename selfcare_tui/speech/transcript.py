"""A plain-text record of what was said and when: one tab-separated line per utterance."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from selfcare_tui.private_files import open_private_append
from selfcare_tui.speech.model import Speaker, SpeechEvent


class Transcript:
    """Appends `seconds<TAB>kind<TAB>outcome<TAB>text<TAB>heard from<TAB>heard for` for each
    utterance's (and earcon's) final event.

    Seconds count from the transcript's creation on `clock`, which should be the speaker's; the
    last two columns say when what was played began to be heard and for how long (empty when it
    was not heard, or the speaker cannot tell). Earcons have the kind `sound`.
    Each line is flushed as it is written, so a crash loses nothing already said. The file holds
    pain scores: it is created 0600 whatever the umask (an existing one of ours is tightened),
    and a link planted by another user is refused (see `open_private_append`).
    """

    def __init__(self, path: Path | str, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(path)
        self._clock = clock
        self._start = clock()
        self._lock = threading.Lock()
        binary = open_private_append(self.path)
        self._file: TextIO | None = io.TextIOWrapper(binary, encoding="utf-8", errors="replace")

    def attach(self, speaker: Speaker) -> Transcript:
        speaker.subscribe(self)
        return self

    def __call__(self, event: SpeechEvent) -> None:
        if event.outcome is not None:
            self.write(self.format_line(event))

    def format_line(self, event: SpeechEvent) -> str:
        seconds = self._clock() - self._start
        text = " ".join(event.utterance.text.split())  # tabs and newlines would break columns
        heard_from = "" if event.started_at is None else f"{event.started_at - self._start:.3f}"
        heard_for = "" if event.seconds is None else f"{event.seconds:.3f}"
        return (
            f"{seconds:.2f}\t{event.utterance.kind}\t{event.outcome}\t{text}"
            f"\t{heard_from}\t{heard_for}\n"
        )

    def heard(self, words: str, acted: bool) -> None:
        """A voice command's recognised words (never the audio): kind `heard`, outcome
        `command` when acted on, `not sure` when not."""
        seconds = self._clock() - self._start
        text = " ".join(words.split())
        self.write(f"{seconds:.2f}\theard\t{'command' if acted else 'not sure'}\t{text}\t\t\n")

    def write(self, line: str) -> None:
        with self._lock:
            if self._file is not None:
                self._file.write(line)
                self._file.flush()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def __enter__(self) -> Transcript:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
