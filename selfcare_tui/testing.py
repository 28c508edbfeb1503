"""Fakes for testers who drive selfcare without a screen, a sound card or a journal folder.

    from selfcare_tui.testing import FakeClock, MemoryJournal, RecordingSpeaker

`FakeClock` moves only when told to; `RecordingSpeaker` records what it is asked to say and
emits its events at once, on the caller's thread; `SilentSpeaker` fails every utterance, as a
machine without speech does; `MemoryJournal` keeps entries in a list. The README shows a whole
session driven through Pilot with them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, date
from pathlib import Path

from selfcare_tui.journal.history import facts_of
from selfcare_tui.journal.model import JournalHistory, JournalOverview, SessionEntry
from selfcare_tui.session.clock import ManualClock
from selfcare_tui.speech.model import (
    EventCallback,
    Sound,
    SpeechEvent,
    SpeechEventKind,
    Utterance,
    UtteranceKind,
)
from selfcare_tui.speech.settings import DEFAULT_RATE, check_rate
from selfcare_tui.speech.timing import estimate_seconds


class FakeClock(ManualClock):
    """A clock that moves only when a test calls `advance(seconds)`."""


class MemoryJournal:
    """A journal in a list: `save` keeps the entry, `load_all` gives them back in start order."""

    def __init__(self) -> None:
        self.entries: list[SessionEntry] = []
        self.problems: list[tuple[Path, str]] = []
        """What `load_all` reports as unreadable files, for tests of the history screen."""
        self.version = 0
        """Saves and updates so far: what `unchanged_since` compares (with the count of entries,
        which tests may set directly)."""

    def save(self, entry: SessionEntry) -> str:
        self.entries.append(entry)
        self.version += 1
        return "memory"

    def update(self, where: object, entry: SessionEntry) -> str:
        """Replace the entry of the same session (same routine, same start)."""
        for index, kept in enumerate(self.entries):
            if (kept.routine_id, kept.started_at) == (entry.routine_id, entry.started_at):
                self.entries[index] = entry
                self.version += 1
                return "memory"
        return self.save(entry)

    def recent(self, since: date) -> list[tuple[SessionEntry, object]]:
        history = self.load_all()
        return [(entry, "memory") for entry in history.entries if entry.local_date >= since]

    def load_all(self) -> JournalHistory:
        entries = sorted(self.entries, key=lambda entry: entry.started_at.astimezone(UTC))
        return JournalHistory(Path("memory"), entries, problems=list(self.problems))

    def overview(self, latest: int, *, parse_at_most: int | None = None) -> JournalOverview:
        """As `Journal.overview`: practice runs left out; nothing to parse."""
        sessions = [entry for entry in self.load_all().entries if not entry.practice]
        overview = JournalOverview(facts_of(sessions), sessions[-latest:], list(self.problems))
        overview.stamp = self._stamp()
        return overview

    def unchanged_since(self, overview: JournalOverview) -> bool:
        """As `Journal.unchanged_since`: no entry saved or updated since."""
        return overview.stamp == self._stamp()

    def _stamp(self) -> str:
        return f"{self.version}:{len(self.entries)}"


class RecordingSpeaker:
    """Records what it is asked to say; each utterance is started and finished at once.

    Events reach subscribers on the caller's thread, before `speak()` returns. Speech takes no
    time (`duration()` is 0) unless `words_per_minute` is given: then it takes what an estimate
    at that rate says. Earcons are recorded in `sounds`.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = lambda: 0.0,
        muted: bool = False,
        rate: int = DEFAULT_RATE,
        problem: str | None = None,
        words_per_minute: int | None = None,
    ) -> None:
        self.spoken: list[tuple[UtteranceKind, str]] = []
        """(kind, text) of every `speak()` call, in order."""
        self.events: list[SpeechEvent] = []
        self.sounds: list[Sound] = []
        self.prepared: list[str] = []
        self.words_per_minute = words_per_minute
        self.interruptions = 0
        self.closed = False
        self._clock = clock
        self._ids = itertools.count(1)
        self._muted = muted
        self._rate = check_rate(rate)
        self._problem = problem
        self._subscribers: list[EventCallback] = []

    @property
    def available(self) -> bool:
        return True

    @property
    def problem(self) -> str | None:
        return self._problem

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def rate(self) -> int:
        return self._rate

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.spoken]

    def speak(
        self,
        text: str,
        kind: UtteranceKind = UtteranceKind.INSTRUCTION,
        *,
        stale_after: float | None = None,
    ) -> Utterance:
        kind = UtteranceKind(kind)
        utterance = Utterance(next(self._ids), text, kind, self._clock(), stale_after)
        self.spoken.append((utterance.kind, text))
        for kind_, detail in self._outcome():
            self._emit(SpeechEvent(kind_, utterance, detail))
        return utterance

    def _outcome(self) -> list[tuple[SpeechEventKind, str]]:
        if self._muted:
            return [(SpeechEventKind.MUTED, "")]
        return [(SpeechEventKind.STARTED, ""), (SpeechEventKind.FINISHED, "")]

    def interrupt(self) -> None:
        self.interruptions += 1

    def prepare(self, texts: Iterable[str]) -> None:
        self.prepared.extend(texts)

    def duration(self, text: str) -> float:
        if self.words_per_minute is None:
            return 0.0
        return estimate_seconds(text, self.words_per_minute)

    def play_sound(self, sound: Sound) -> None:
        self.sounds.append(sound)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    def set_rate(self, wpm: int) -> None:
        self._rate = check_rate(wpm)

    def subscribe(self, callback: EventCallback) -> None:
        self._subscribers.append(callback)

    def close(self) -> None:
        self.closed = True

    def _emit(self, event: SpeechEvent) -> None:
        self.events.append(event)
        for callback in list(self._subscribers):
            callback(event)


class SilentSpeaker(RecordingSpeaker):
    """Stands in when there is no speech at all: every utterance fails with `problem`."""

    def __init__(self, problem: str = "Speech is off: captions only.", *, muted: bool = False):
        super().__init__(problem=problem, muted=muted)

    @property
    def available(self) -> bool:
        return False

    def _outcome(self) -> list[tuple[SpeechEventKind, str]]:
        if self._muted:
            return [(SpeechEventKind.MUTED, "")]
        return [(SpeechEventKind.FAILED, self._problem or "")]
