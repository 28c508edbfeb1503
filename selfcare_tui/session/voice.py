"""Mute and speaking rate: the same words, limits and saved settings in the app and plain mode."""

from __future__ import annotations

import threading
from collections.abc import Callable

from selfcare_tui.settings import AppSettings
from selfcare_tui.speech.model import Speaker, SpeechEvent, SpeechEventKind, UtteranceKind
from selfcare_tui.speech.settings import MAX_RATE, MIN_RATE

RATE_STEP = 15
"""Words per minute added or taken by one press of + or -."""


class VoiceControl:
    """Turns the voice off and on, and changes its rate, remembering the choice.

    "Voice off." is heard before the voice goes quiet: the speaker is muted only once that
    utterance has ended, which `settle()` (called by the face on each tick or speech event)
    notices. Speech events may come from the speech thread; only `settle()` acts on them.
    """

    def __init__(
        self,
        speaker: Speaker,
        settings: AppSettings,
        remember: Callable[[AppSettings], None] | None = None,
    ) -> None:
        self.speaker = speaker
        self.settings = settings
        self._remember = remember
        self._mute_after: int | None = None
        self.last_words = ""
        """What the last rate change said."""
        self._ended: set[int] = set()
        self._lock = threading.Lock()
        speaker.subscribe(self._heard)

    @property
    def voice_on(self) -> bool:
        return not self.speaker.muted and self._mute_after is None

    def toggle_mute(self) -> str:
        """Mute or unmute; returns what to show."""
        if self.voice_on:
            self.speaker.interrupt()
            self._mute_after = self.speaker.speak("Voice off.", UtteranceKind.STATUS).id
            shown = "Voice off: captions only (m turns it back on)."
        else:
            self._mute_after = None
            self.speaker.set_muted(False)
            self.speaker.interrupt()
            self.speaker.speak("Voice on.", UtteranceKind.STATUS)
            shown = "Voice on."
        self._keep(self.settings.with_speech(muted=not self.voice_on))
        self.settle()
        return shown

    def change_rate(self, steps: int) -> str:
        """Speak `steps` × RATE_STEP words per minute faster (or slower); returns what to show."""
        rate = min(MAX_RATE, max(MIN_RATE, self.speaker.rate + steps * RATE_STEP))
        self.speaker.set_rate(rate)
        self.speaker.interrupt()
        self.last_words = f"Speaking rate {rate} words per minute."
        self.speaker.speak(self.last_words, UtteranceKind.STATUS)
        self._keep(self.settings.with_speech(rate=rate))
        return f"Speaking rate: {rate} words per minute."

    def settle(self) -> None:
        """Mute once "Voice off." has been heard (or cut off)."""
        with self._lock:
            heard = self._mute_after in self._ended
            if heard or self._mute_after is None:
                self._ended.clear()  # nothing else is waited for
        if heard:
            self._mute_after = None
            self.speaker.set_muted(True)

    def _heard(self, event: SpeechEvent) -> None:
        if event.kind is not SpeechEventKind.STARTED:
            with self._lock:
                self._ended.add(event.utterance.id)

    def _keep(self, settings: AppSettings) -> None:
        self.settings = settings
        if self._remember is not None:
            self._remember(settings)
