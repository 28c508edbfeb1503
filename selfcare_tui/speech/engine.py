"""The real voice: pyttsx3 synthesis to WAV files, and subprocess players for them.

pyttsx3 is imported only inside `Pyttsx3Synthesiser`, so importing this module stays cheap.
Its `say()` is not used: on Linux and macOS it plays through a blocking player that cannot be
stopped and whose errors reach the terminal. Instead each utterance is written to a WAV and
played by a player process that `interrupt()` can kill at once. The player runs in its own
process group (its own session), and the whole group is killed: a player that forks leaves no
children behind.

espeak-ng reports missing data by printing over the terminal and ending the whole process, so
before it is started in this process it is started once in a child whose output is kept
(`check_espeak`): a broken install becomes a one-line EngineUnavailable, never a dead app.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
import threading
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from selfcare_tui.speech.settings import VoiceInfo
from selfcare_tui.speech.splitting import speakable

NO_AUDIO_OUTPUT = "No audio output found: captions only."
NO_PLAYER = "No audio player found (pw-play, paplay or aplay): captions only."


class EngineUnavailable(RuntimeError):
    """The text-to-speech engine cannot start; the message says how to fix it."""


class SynthesisError(RuntimeError):
    """The engine failed on one utterance."""


class Synthesiser(Protocol):
    """Owned by one thread: every call comes from the thread that created it.

    A synthesiser may also have `cancel()`, callable from any thread, which makes a
    `synthesise()` that makes no progress return (raising) soon; the watchdog calls it.
    """

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


_engines_made: list[bool] = []
"""One item per pyttsx3 engine made in this process."""


class Pyttsx3Synthesiser:
    """pyttsx3 writing WAV files; create and use it on one thread only (pyttsx3 #126, #440)."""

    def __init__(self, driver_name: str | None = None) -> None:
        if _uses_espeak(driver_name):
            check_espeak()
        try:
            import pyttsx3

            # A collected espeak driver clears the process-wide synth callback, which would
            # silence the engine made after it: collect dead engines before making this one
            # (none before the first: a full collection holds up the app's first key).
            if _engines_made:
                gc.collect()
            _engines_made.append(True)
            # init() shares one engine per driver, so a second one (say `list_voices()`) cannot
            # take the callback away from this one.
            self._engine: Any = pyttsx3.init(driver_name)
        except Exception as error:
            raise EngineUnavailable(install_hint()) from error
        errors: list[BaseException] = []
        self._errors = errors
        done = threading.Event()
        self._done = done
        self._cancelled = False
        # espeak-ng synthesises on a thread of its own: an engine's first runAndWait() returns
        # before the WAV is written (any text longer than a few words), so the end of each
        # synthesis is awaited through the driver's own "finished" notice.
        self._awaits_finish = self._engine.driver_name == "espeak"

        def on_error(exception: BaseException, **_: object) -> None:
            errors.append(exception)  # not a bound method: no cycle keeping the engine alive

        completions: list[bool] = []
        self._completions = completions

        def on_finished(completed: bool = True, **_: object) -> None:
            completions.append(bool(completed))
            done.set()

        self._engine.connect("error", on_error)
        self._engine.connect("finished-utterance", on_finished)
        _silence_driver_prints(self._engine.driver_name)

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        if voice_id is not None:
            self._engine.setProperty("voice", voice_id)
        self._engine.setProperty("rate", rate)
        self._engine.setProperty("volume", volume)

    def synthesise(self, text: str, wav: Path) -> None:
        line = speakable(text)  # a lone surrogate would make the driver's encode() fail
        if not line:
            raise SynthesisError("there is nothing to say")
        for attempt in range(1, _SYNTHESIS_ATTEMPTS + 1):
            self._errors.clear()
            self._completions.clear()
            self._done.clear()
            self._engine.save_to_file(line, str(wav))
            self._engine.runAndWait()
            if self._awaits_finish:
                self._done.wait()  # cancel() sets it too
            if self._cancelled:
                raise SynthesisError("stopped: the engine made no progress")
            # The espeak driver cuts a synthesis off when the engine still looked busy as it
            # began (its stop() at the start of each run): reported as not completed. Again.
            if self._completions == [False] and not self._errors and attempt < _SYNTHESIS_ATTEMPTS:
                continue
            break
        if self._errors:
            raise SynthesisError(str(self._errors[0])) from self._errors[0]
        if not wav.exists() or wav.stat().st_size == 0:  # the caller may have made it empty
            raise SynthesisError("the engine wrote no audio")

    def cancel(self) -> None:
        """From any thread: end a synthesis that makes no progress; the synthesiser is done."""
        self._cancelled = True
        self._done.set()
        with contextlib.suppress(Exception):  # "run loop not started": it is past the loop
            self._engine.endLoop()

    def voices(self) -> list[VoiceInfo]:
        return [_voice_info(voice) for voice in self._engine.getProperty("voices")]


_SYNTHESIS_ATTEMPTS = 3


def _uses_espeak(driver_name: str | None) -> bool:
    if driver_name is not None:
        return driver_name == "espeak"
    return sys.platform not in ("darwin", "win32")


ESPEAK_CHECK_TIMEOUT = 15.0
_PROBE = """
import sys
from pyttsx3.drivers import _espeak
print("imported", flush=True)
_espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0)
"""
_espeak_ok = False
_espeak_lock = threading.Lock()


def check_espeak(timeout: float = ESPEAK_CHECK_TIMEOUT) -> None:
    """Raise EngineUnavailable, with espeak-ng's own message, if it cannot start (once a run).

    espeak-ng prints a missing-data error on stderr and ends the process (exit(1) from inside
    the library), which would print over the app and close it; so it is first started in a
    child process whose output is kept and never reaches the terminal.
    """
    global _espeak_ok
    with _espeak_lock:
        if _espeak_ok:
            return
        try:
            result = subprocess.run(
                [sys.executable, "-P", "-c", _PROBE],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            raise EngineUnavailable(
                f"espeak-ng did not start within {timeout:g} s: captions only."
            ) from None
        except OSError as error:
            raise EngineUnavailable(f"cannot check espeak-ng ({error}): captions only.") from None
        if result.returncode == 0:
            _espeak_ok = True
            return
        if b"imported" not in result.stdout:
            raise EngineUnavailable(install_hint())
        detail = _last_line(result.stderr) or f"exit status {result.returncode}"
        raise EngineUnavailable(
            f"espeak-ng cannot start ({detail}); reinstall it: "
            "sudo apt install --reinstall espeak-ng"
        )


def _last_line(output: bytes) -> str:
    lines = [speakable(line) for line in output.decode("utf-8", "replace").splitlines()]
    return next((line for line in reversed(lines) if line), "")[:200]


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


def join_wavs(parts: Sequence[Path], output: Path) -> float:
    """Write the WAVs `parts` (all in one format, as one engine makes them) one after the other
    to `output`; returns its length in seconds."""
    with wave.open(str(parts[0]), "rb") as first:
        params = first.getparams()
    with wave.open(str(output), "wb") as writer:
        writer.setparams(params)
        for part in parts:
            with wave.open(str(part), "rb") as reader:
                if reader.getparams()[:3] != params[:3]:
                    raise SynthesisError("the parts of the speech differ in format")
                writer.writeframes(reader.readframes(reader.getnframes()))
    return wav_duration(output)


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
            # Its own session, so its own process group: a Ctrl+C meant for the app does not
            # reach it, and stopping it kills everything it started.
            start_new_session=True,
        )
        return _ProcessPlayback(process)


@dataclass
class _ProcessPlayback:
    """A player process, killed with its whole process group.

    The group's id is the player's pid, which stays reserved until the player is reaped: so the
    group is killed only while the player is alive or a zombie, never a recycled id.
    """

    process: subprocess.Popen[bytes]
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> bool:
        waitid = getattr(os, "waitid", None)
        if waitid is not None:
            with contextlib.suppress(ChildProcessError, OSError):
                waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOWAIT)  # not reaped yet
        with self._lock:
            self._kill_group()  # what the player left running when it ended
            code = self.process.wait()
        return code == 0

    def stop(self) -> None:
        with self._lock:
            if self.process.returncode is None:
                self._kill_group()

    def _kill_group(self) -> None:
        killpg = getattr(os, "killpg", None)
        if killpg is None:  # pragma: no cover - Windows
            with contextlib.suppress(OSError):
                self.process.kill()
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            killpg(self.process.pid, signal.SIGKILL)


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


def close_player(player: Player) -> None:
    """Let a player that holds something open (a stream) go."""
    close = getattr(player, "close", None)
    if callable(close):
        close()


def find_player(
    which: Callable[[str], str | None] = shutil.which,
    server_running: Callable[[], bool] | None = None,
) -> Player | None:
    """The platform's player, or None when none is installed.

    On Linux with a sound server, one stream the app mixes into (`speech.stream`), which keeps
    time; else a player process per WAV. `server_running` checks for the server (default:
    `pactl info`)."""
    if sys.platform == "win32":
        return WinsoundPlayer()
    if sys.platform == "darwin":
        return CommandPlayer(("afplay",)) if which("afplay") else None
    from selfcare_tui.speech import stream

    if which("pacat") and which("pactl") and (server_running or stream.sound_server_running)():
        return stream.StreamPlayer(stream.pacat_command())
    for command in _LINUX_PLAYERS:
        if which(command[0]):
            return CommandPlayer(command)
    return None
