"""A speaker made after the app's first frame: building the speech service (its modules, its
folders, its thread) is about a fifth of the app's start-up, and nothing is said before the
first frame anyway."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from selfcare_tui.speech.model import EventCallback, Sound, Utterance, UtteranceKind
from selfcare_tui.speech.settings import SpeechSettings

if TYPE_CHECKING:
    from selfcare_tui.speech.service import SpeechService
    from selfcare_tui.speech.speechd import SpeechDispatcherSpeaker

    RealSpeaker = SpeechService | SpeechDispatcherSpeaker


class DeferredSpeaker:
    """A Speaker whose real one is made by `make` at `start()`, or at the first use that needs
    it. Until then it answers from the settings, and keeps subscriptions and mute for it."""

    def __init__(self, make: Callable[[], RealSpeaker], settings: SpeechSettings) -> None:
        self._make = make
        self._real: RealSpeaker | None = None
        self._muted = settings.muted
        self._rate = settings.rate
        self._subscribers: list[EventCallback] = []

    def start(self) -> None:
        """Make the real speaker, and start it."""
        self._speaker().start()

    def _speaker(self) -> RealSpeaker:
        if self._real is None:
            real = self._make()
            for callback in self._subscribers:
                real.subscribe(callback)
            if real.muted != self._muted:
                real.set_muted(self._muted)
            if real.rate != self._rate:
                real.set_rate(self._rate)
            self._real = real
        return self._real

    @property
    def available(self) -> bool:
        return self._real is None or self._real.available

    @property
    def problem(self) -> str | None:
        return None if self._real is None else self._real.problem

    @property
    def muted(self) -> bool:
        return self._muted if self._real is None else self._real.muted

    @property
    def rate(self) -> int:
        return self._rate if self._real is None else self._real.rate

    def speak(
        self,
        text: str,
        kind: UtteranceKind = UtteranceKind.INSTRUCTION,
        *,
        stale_after: float | None = None,
    ) -> Utterance:
        return self._speaker().speak(text, kind, stale_after=stale_after)

    def interrupt(self) -> None:
        if self._real is not None:
            self._real.interrupt()

    def prepare(self, texts: Iterable[str]) -> None:
        self._speaker().prepare(texts)

    def duration(self, text: str) -> float:
        return self._speaker().duration(text)

    def play_sound(self, sound: Sound) -> None:
        self._speaker().play_sound(sound)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        if self._real is not None:
            self._real.set_muted(muted)

    def set_rate(self, wpm: int) -> None:
        if self._real is not None:
            self._real.set_rate(wpm)
        self._rate = wpm

    def subscribe(self, callback: EventCallback) -> None:
        if self._real is None:
            self._subscribers.append(callback)
        else:
            self._real.subscribe(callback)

    def close(self) -> None:
        if self._real is not None:
            self._real.close()
