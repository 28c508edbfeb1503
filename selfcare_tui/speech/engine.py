"""The real voice: pyttsx3 synthesis to WAV files, and subprocess players for them.

pyttsx3 is imported only inside `Pyttsx3Synthesiser`, so importing this module stays cheap.
Its `say()` is not used: on Linux and macOS it plays through a blocking player that cannot be
stopped and whose errors reach the terminal. Instead each utterance is written to a WAV and
played by a player process that `interrupt()` can kill at once.
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from selfcare_tui.speech.settings import VoiceInfo

NO_AUDIO_OUTPUT = "No audio output found: captions only."
NO_PLAYER = "No audio player found (pw-play, paplay or aplay): captions only."


class EngineUnavailable(RuntimeError):
    """The text-to-speech engine cannot start; the message says how to fix it."""


class SynthesisError(RuntimeError):
    """The engine failed on one utterance."""


class Synthesiser(Protocol):
    """Owned by one thread: every call comes from the thread that created it."""

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None: ...

    def synthesise(self, text: str, wav: Path) -> None: ...

    def voices(self) -> list[VoiceInfo]: ...


SynthesiserFactory = Callable[[], Synthesiser]


def install_hint() -> str:
    """What to tell a user whose speech engine is missing."""
    if sys.platform == "darwin":
        return "The macOS speech driver is missing: pip install pyobjc"
    if sys.platform == "win32":
        return "The Windows speech driver is missing: pip install pywin32"
    return "espeak-ng is not installed: sudo apt install espeak-ng"


class Pyttsx3Synthesiser:
    """pyttsx3 writing WAV files; create and use it on one thread only (pyttsx3 #126, #440)."""

    def __init__(self, driver_name: str | None = None) -> None:
        try:
            import pyttsx3

            # A collected espeak driver clears the process-wide synth callback, which would
            # silence the engine made after it: collect dead engines before making this one.
            gc.collect()
            # init() shares one engine per driver, so a second one (say `list_voices()`) cannot
            # take the callback away from this one.
            self._engine: Any = pyttsx3.init(driver_name)
        except Exception as error:
            raise EngineUnavailable(install_hint()) from error
        errors: list[BaseException] = []
        self._errors = errors

        def on_error(exception: BaseException, **_: object) -> None:
            errors.append(exception)  # not a bound method: no cycle keeping the engine alive

        self._engine.connect("error", on_error)
        _silence_driver_prints(self._engine.driver_name)

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        if voice_id is not None:
            self._engine.setProperty("voice", voice_id)
        self._engine.setProperty("rate", rate)
        self._engine.setProperty("volume", volume)

    def synthesise(self, text: str, wav: Path) -> None:
        self._errors.clear()
        self._engine.save_to_file(text, str(wav))
        self._engine.runAndWait()
        if self._errors:
            raise SynthesisError(str(self._errors[0])) from self._errors[0]
        if not wav.exists():
            raise SynthesisError("the engine wrote no audio")

    def voices(self) -> list[VoiceInfo]:
        return [_voice_info(voice) for voice in self._engine.getProperty("voices")]


def _voice_info(voice: Any) -> VoiceInfo:
    languages = tuple(str(language) for language in (voice.languages or ()))
    return VoiceInfo(id=str(voice.id), name=str(voice.name or voice.id), languages=languages)


def _silence_driver_prints(driver_name: str) -> None:
    # The espeak driver prints "Audio saved to ..." after every save_to_file (sapi5 and nsss print
    # other notes). Shadowing `print` in that one module keeps it off the terminal without
    # redirecting fd 1, which would also swallow whatever the app's own threads write meanwhile.
    module = sys.modules.get(f"pyttsx3.drivers.{driver_name}")
    if module is not None:
        module.print = _discard  # type: ignore[attr-defined]


def _discard(*_: object, **__: object) -> None:
    return None


def list_voices() -> list[VoiceInfo]:
    """The installed voices. Raises EngineUnavailable.

    Creates a pyttsx3 engine on the calling thread: while a SpeechService runs in this process,
    use its `voices` instead (pyttsx3 shares one engine per driver across threads).
    """
    return Pyttsx3Synthesiser().voices()


def wav_duration(wav: Path) -> float:
    with wave.open(str(wav), "rb") as reader:
        rate = reader.getframerate()
        return reader.getnframes() / rate if rate else 0.0


class Playback(Protocol):
    def wait(self) -> bool:
        """Block until the end; True when played to the end, False when the player failed."""
        ...

    def stop(self) -> None:
        """Cut it off now; safe from any thread, and after the end."""
        ...


class Player(Protocol):
    def start(self, wav: Path) -> Playback: ...


@dataclass(frozen=True)
class CommandPlayer:
    """A player program given the WAV path as its last argument."""

    command: tuple[str, ...]

    def start(self, wav: Path) -> Playback:
        process = subprocess.Popen(
            [*self.command, str(wav)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own session: a Ctrl+C meant for the app does not reach it.
            start_new_session=True,
        )
        return _ProcessPlayback(process)


@dataclass
class _ProcessPlayback:
    process: subprocess.Popen[bytes]

    def wait(self) -> bool:
        return self.process.wait() == 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()


@dataclass(frozen=True)
class SilentPlayer:
    """Plays nothing for as long as the WAV lasts, so pacing is the same without a sound card."""

    def start(self, wav: Path) -> Playback:
        return TimedPlayback(wav_duration(wav))


@dataclass
class TimedPlayback:
    seconds: float
    _stopped: threading.Event = field(default_factory=threading.Event)

    def wait(self) -> bool:
        self._stopped.wait(self.seconds)
        return True

    def stop(self) -> None:
        self._stopped.set()


@dataclass(frozen=True)
class WinsoundPlayer:
    """Windows: winsound plays asynchronously and can be purged, unlike SAPI5's blocking say()."""

    def start(self, wav: Path) -> Playback:
        if sys.platform != "win32":
            raise EngineUnavailable("winsound plays sound on Windows only")
        import winsound

        winsound.PlaySound(str(wav), winsound.SND_FILENAME | winsound.SND_ASYNC)
        return _WinsoundPlayback(wav_duration(wav))


@dataclass
class _WinsoundPlayback(TimedPlayback):
    def stop(self) -> None:
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(None, winsound.SND_PURGE)
        super().stop()


_LINUX_PLAYERS: tuple[tuple[str, ...], ...] = (("pw-play",), ("paplay",), ("aplay", "-q"))


def find_player(which: Callable[[str], str | None] = shutil.which) -> Player | None:
    """The platform's player, or None when none is installed."""
    if sys.platform == "win32":
        return WinsoundPlayer()
    if sys.platform == "darwin":
        return CommandPlayer(("afplay",)) if which("afplay") else None
    for command in _LINUX_PLAYERS:
        if which(command[0]):
            return CommandPlayer(command)
    return None
