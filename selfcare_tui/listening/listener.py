"""The listening thread: microphone → gate → recogniser → commands for the face to take.

Half-duplex: while the app speaks or sounds (its speaker's events say when), and for a short tail
after, the microphone's audio is dropped and any speech under way forgotten, so nothing the app
plays can give a command. A screen reader's own speech cannot be gated this way: the faces say so.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from selfcare_tui.listening.microphone import Microphone, default_source, level_db
from selfcare_tui.listening.phrases import WAKE_WORD, VoiceCommand
from selfcare_tui.listening.recognizer import Heard, Recognizer
from selfcare_tui.speech.model import Speaker, SpeechEvent, SpeechEventKind, UtteranceKind

TAIL_SECONDS = 0.6
"""Listening starts again this long after the app's last sound: the sound server's latency and
the room's echo (measured in bench/voice_bench.py)."""
STATE_EVERY_SECONDS = 0.2
"""How often the level and state are reported to the indicator."""


@dataclass(frozen=True)
class ListenerState:
    microphone: str
    level_db: float
    """The microphone's loudness, dB below full scale."""
    listening: bool
    """False while the app speaks (its own words are not listened to)."""
    heard: str
    """The last words recognised, "" before any; "(not sure) ..." when not acted on."""


class Listener:
    def __init__(
        self,
        microphone: Microphone,
        recognizer: Recognizer,
        *,
        on_change: Callable[[], object] = lambda: None,
        record: Callable[[Heard], None] = lambda heard: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.microphone = microphone
        self.recognizer = recognizer
        self.on_change = on_change
        """Called from the listening thread when there is a command to take or a new state: a
        face wakes up its own thread with it."""
        self.record = record
        """Gets every command heard, acted on or not (for a transcript: words, never audio)."""
        self.clock = clock
        self.state = ListenerState(microphone.source, -90.0, True, "")
        self._commands: queue.SimpleQueue[tuple[VoiceCommand, Heard]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._speaking: set[int] = set()
        self._quiet_from = 0.0
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="selfcare-listener", daemon=True)

    def start(self) -> Listener:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closed.set()
        self.microphone.close()
        self._thread.join(2.0)

    def take(self) -> list[tuple[VoiceCommand, Heard]]:
        """The commands heard since the last call, oldest first."""
        taken = []
        while not self._commands.empty():
            taken.append(self._commands.get())
        return taken

    def speech_event(self, event: SpeechEvent) -> None:
        """The speaker's events (subscribe this): what the app says or sounds is not listened to."""
        now = self.clock()
        with self._lock:
            utterance = event.utterance
            if utterance.kind is UtteranceKind.SOUND:
                self._quiet_from = max(self._quiet_from, now + (event.seconds or 0) + TAIL_SECONDS)
            elif event.kind is SpeechEventKind.STARTED:
                self._speaking.add(utterance.id)
            elif event.kind.outcome is not None:
                self._speaking.discard(utterance.id)
                self._quiet_from = max(self._quiet_from, now + TAIL_SECONDS)

    def _gated(self) -> bool:
        with self._lock:
            return bool(self._speaking) or self.clock() < self._quiet_from

    def _run(self) -> None:
        reported = 0.0
        was_gated = False
        while not self._closed.is_set():
            chunk = self.microphone.read()
            if not chunk:
                break
            gated = self._gated()
            if gated and not was_gated:
                self.recognizer.reset()  # speech under way when the app began is not a command
            was_gated = gated
            heard = [] if gated else self.recognizer.feed(chunk)
            for item in heard:
                self._heard(item)
            now = self.clock()
            if heard or now - reported >= STATE_EVERY_SECONDS:
                self._report(level_db(chunk), not gated, heard[-1] if heard else None)
                reported = now

    def _heard(self, heard: Heard) -> None:
        if heard.command is None:
            return
        self.record(heard)
        if heard.acted_on:
            self._commands.put((heard.command, heard))

    def _report(self, level: float, listening: bool, heard: Heard | None) -> None:
        words = self.state.heard
        if heard is not None and heard.words:
            words = (
                heard.words if heard.acted_on or not heard.command else f"(not sure) {heard.words}"
            )
        self.state = ListenerState(self.microphone.source, level, listening, words)
        self.on_change()


def start_listening(
    speaker: Speaker,
    device: str | None,
    on_change: Callable[[], object] = lambda: None,
    record: Callable[[Heard], None] = lambda heard: None,
) -> Listener:
    """Listen on `device` (or the default microphone), gated by `speaker`; VoiceUnavailable says
    in one line why it cannot."""
    recognizer = Recognizer()
    source = default_source(device)
    listener = Listener(Microphone(source), recognizer, on_change=on_change, record=record)
    speaker.subscribe(listener.speech_event)
    return listener.start()


LEVEL_BARS = "▁▂▃▄▅▆▇█"


def indicator_text(state: ListenerState) -> str:
    """The listening indicator, in words (and a level bar): what the microphone is, how loud,
    whether the app is listening, and what it last heard."""
    loudness = max(0.0, min(1.0, (state.level_db + 60) / 60))
    bar = LEVEL_BARS[round(loudness * (len(LEVEL_BARS) - 1))]
    listening = f"listening for {WAKE_WORD}" if state.listening else "paused while the app speaks"
    heard = f" · heard: {state.heard}" if state.heard else ""
    return f"Mic {state.microphone} {bar} {state.level_db:.0f} dB · {listening}{heard}"


def listening_words(listener: Listener, screen_reader: bool) -> str:
    """Said when listening starts: how to give a command, and where it may mishear."""
    commands = ", ".join(command.value for command in VoiceCommand)
    words = (
        f"Voice commands are on: say {WAKE_WORD}, then one of {commands}. "
        f"Listening on {listener.microphone.source}."
    )
    if screen_reader:
        words += " Your screen reader's speech is not held back while the app listens, so "
        words += "voice commands may mishear it."
    return words
