"""In-memory Speakers for tests and for running without speech; they emit events synchronously."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from selfcare_tui.speech.model import (
    EventCallback,
    SpeechEvent,
    SpeechEventKind,
    Utterance,
    UtteranceKind,
)
from selfcare_tui.speech.settings import DEFAULT_RATE, check_rate


class RecordingSpeaker:
    """Records what it is asked to say; each utterance is started and finished at once.

    Events reach subscribers on the caller's thread, before `speak()` returns.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = lambda: 0.0,
        muted: bool = False,
        rate: int = DEFAULT_RATE,
        problem: str | None = None,
    ) -> None:
        self.spoken: list[tuple[UtteranceKind, str]] = []
        """(kind, text) of every `speak()` call, in order."""
        self.events: list[SpeechEvent] = []
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

    def __init__(self, problem: str = "Speech is off: captions only.", **kwargs: object) -> None:
        super().__init__(problem=problem, **kwargs)  # type: ignore[arg-type]

    @property
    def available(self) -> bool:
        return False

    def _outcome(self) -> list[tuple[SpeechEventKind, str]]:
        if self._muted:
            return [(SpeechEventKind.MUTED, "")]
        return [(SpeechEventKind.FAILED, self._problem or "")]
