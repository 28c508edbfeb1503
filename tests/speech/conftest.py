"""Fakes for the speech tests: a clock, synthesisers, players and an event log to wait on."""

from __future__ import annotations

import threading
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from selfcare_tui.speech import SpeechEvent, SpeechEventKind, SpeechService, VoiceInfo
from selfcare_tui.speech.engine import Playback, Player, TimedPlayback

WAIT = 2.0  # bound for waiting on a real thread; passing tests never wait this long


@dataclass
class FakeClock:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def write_wav(path: Path, seconds: float, rate: int = 22050) -> None:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\0\0" * int(seconds * rate))


@dataclass
class FakeSynthesiser:
    """Writes silent WAVs of `seconds`; raises `error` for its first `failures` utterances.

    An utterance lasts as long as its WAV unless its player ends first: the default is long, so
    a GatePlayer decides when it ends (pass a short one where nothing holds the gate)."""

    seconds: float = 30.0
    failures: int = 0
    error: Exception = field(default_factory=lambda: RuntimeError("driver blew up"))
    said: list[str] = field(default_factory=list)
    configured: list[tuple[str | None, int, float]] = field(default_factory=list)

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        self.configured.append((voice_id, rate, volume))

    def synthesise(self, text: str, wav: Path) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        self.said.append(text)
        write_wav(wav, self.seconds)

    def voices(self) -> list[VoiceInfo]:
        return [
            VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",)),
            VoiceInfo("gmw/en-us", "English (America)", ("en-us",)),
        ]


@dataclass
class GatePlayer:
    """Each playback lasts until the test opens the gate or the service stops it."""

    started: list[Path] = field(default_factory=list)
    gate: threading.Event = field(default_factory=threading.Event)

    def start(self, wav: Path) -> Playback:
        self.started.append(wav)
        return _GatePlayback(self.gate)


@dataclass
class _GatePlayback:
    gate: threading.Event
    stopped: threading.Event = field(default_factory=threading.Event)

    def wait(self) -> bool:
        while not (self.gate.is_set() or self.stopped.is_set()):
            self.stopped.wait(0.005)
        return True

    def stop(self) -> None:
        self.stopped.set()


@dataclass(frozen=True)
class FailingPlayer:
    """Like aplay with no sound card: exits at once with an error."""

    def start(self, wav: Path) -> Playback:
        return _FailedPlayback()


class _FailedPlayback(TimedPlayback):
    def __init__(self) -> None:
        super().__init__(0.0)

    def wait(self) -> bool:
        return False


class EventLog:
    """A subscriber that tests can wait on, without sleeping."""

    def __init__(self) -> None:
        self.events: list[SpeechEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: SpeechEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(
        self, kind: SpeechEventKind, text: str | None = None, timeout: float = WAIT
    ) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self.find(kind, text) is not None, timeout)

    def find(self, kind: SpeechEventKind, text: str | None = None) -> SpeechEvent | None:
        for event in self.events:
            if event.kind is kind and (text is None or event.utterance.text == text):
                return event
        return None

    def summary(self) -> list[tuple[str, str]]:
        with self._cond:
            return [(str(event.kind), event.utterance.text) for event in self.events]


ServiceMaker = Callable[..., tuple[SpeechService, EventLog]]


@pytest.fixture(autouse=True)
def no_runtime_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """Speech files go to the test's cache folder, never the session's $XDG_RUNTIME_DIR."""
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)


@pytest.fixture
def make_service() -> Iterator[ServiceMaker]:
    """Builds SpeechServices with fakes (override any keyword) and closes them afterwards."""
    made: list[SpeechService] = []

    def make(
        synthesiser: FakeSynthesiser | None = None,
        player: Player | None = None,
        **kwargs: object,
    ) -> tuple[SpeechService, EventLog]:
        synth = synthesiser or FakeSynthesiser()
        chosen = player if player is not None else GatePlayer()
        kwargs.setdefault("synthesiser_factory", lambda: synth)
        kwargs.setdefault("player_factory", lambda: chosen)
        service = SpeechService(**kwargs)  # type: ignore[arg-type]
        log = EventLog()
        service.subscribe(log)
        made.append(service)
        assert service.wait_ready(WAIT)
        return service, log

    yield make
    for service in made:
        service.close()
