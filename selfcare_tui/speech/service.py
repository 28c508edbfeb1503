"""SpeechService: the real Speaker, one daemon thread owning the engine and the player.

The thread sleeps on a condition while there is nothing to say (no polling), synthesises each
utterance to a WAV, hands it to a player process and waits for it. Callers only touch the
scheduler under the lock, so `speak()` never blocks on the engine and `interrupt()` only has to
kill the player process.
"""

from __future__ import annotations

import itertools
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from selfcare_tui.speech.engine import (
    NO_AUDIO_OUTPUT,
    NO_PLAYER,
    EngineUnavailable,
    Playback,
    Player,
    Pyttsx3Synthesiser,
    SilentPlayer,
    Synthesiser,
    SynthesiserFactory,
    find_player,
)
from selfcare_tui.speech.model import (
    EventCallback,
    SpeechEvent,
    SpeechEventKind,
    Utterance,
    UtteranceKind,
)
from selfcare_tui.speech.scheduler import Scheduler
from selfcare_tui.speech.settings import (
    SettingsError,
    SpeechSettings,
    VoiceInfo,
    check_rate,
    check_volume,
    resolve_voice,
)

logger = logging.getLogger(__name__)

SILENT = "silent: no audio output"
CLOSE_TIMEOUT = 0.5


@dataclass(frozen=True, slots=True)
class _Work:
    events: list[SpeechEvent]
    utterance: Utterance | None
    closing: bool = False


class SpeechService:
    """The real Speaker. Create it once, `subscribe()`, then `speak()`; `close()` on quit.

    Every utterance gets exactly one final event: finished, interrupted, failed, dropped or
    muted; finished, interrupted and failed may come after `started`. With no audio output the
    WAV is "played" silently for its length and reported `finished` with detail SILENT, so the
    pacing (and the transcript) is the same as with sound.
    """

    def __init__(
        self,
        settings: SpeechSettings | None = None,
        *,
        synthesiser_factory: SynthesiserFactory = Pyttsx3Synthesiser,
        player_factory: Callable[[], Player | None] = find_player,
        clock: Callable[[], float] = time.monotonic,
        start: bool = True,
    ) -> None:
        settings = settings or SpeechSettings()
        self._factory = synthesiser_factory
        self._player_factory = player_factory
        self._clock = clock
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._scheduler = Scheduler(clock)
        self._pending: list[SpeechEvent] = []
        self._subscribers: list[EventCallback] = []
        self._voice, self._rate, self._volume = settings.voice, settings.rate, settings.volume
        self._muted = settings.muted
        self._dirty = True
        self._cancel_current = False
        self._playback_stop: Callable[[], None] | None = None
        self._closing = False
        self._waiting = False
        self._available = True
        self._problem: str | None = None
        self._voices: list[VoiceInfo] = []
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="selfcare-speech", daemon=True)
        if start:
            self._thread.start()

    # -- the Speaker protocol ------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self._available

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
    def voices(self) -> list[VoiceInfo]:
        """The engine's voices, once it has started (empty before, or without an engine)."""
        return list(self._voices)

    def start(self) -> None:
        """Start the speech thread, when created with `start=False`."""
        self._thread.start()

    def speak(
        self,
        text: str,
        kind: UtteranceKind = UtteranceKind.INSTRUCTION,
        *,
        stale_after: float | None = None,
    ) -> Utterance:
        kind = UtteranceKind(kind)
        utterance = Utterance(next(self._ids), text, kind, self._clock(), stale_after)
        with self._cond:
            if self._closing or not text.strip():
                reason = "speech is closed" if self._closing else "nothing to say"
                self._pending.append(_event(SpeechEventKind.DROPPED, utterance, reason))
            else:
                replaced = self._scheduler.push(utterance)
                self._pending += _dropped(replaced, "replaced by a new instruction")
            self._cond.notify_all()
        if self._closing:
            self._emit(self._take_pending())
        return utterance

    def interrupt(self) -> None:
        with self._cond:
            self._pending += _dropped(self._scheduler.clear(), "interrupted")
            self._cut_current()
            self._cond.notify_all()

    def set_muted(self, muted: bool) -> None:
        with self._cond:
            self._muted = muted
            if muted:
                self._cut_current()

    def set_rate(self, wpm: int) -> None:
        check_rate(wpm)
        with self._cond:
            self._rate, self._dirty = wpm, True

    def set_volume(self, volume: float) -> None:
        check_volume(volume)
        with self._cond:
            self._volume, self._dirty = float(volume), True

    def set_voice(self, voice: str | None) -> None:
        """Raises SettingsError (with close matches) once the engine's voices are known."""
        if voice is not None and self._voices:
            resolve_voice(voice, self._voices)
        with self._cond:
            self._voice, self._dirty = voice, True

    def subscribe(self, callback: EventCallback) -> None:
        with self._cond:
            self._subscribers.append(callback)

    def close(self) -> None:
        """Cut off speech, drop the queue and end the thread (within CLOSE_TIMEOUT)."""
        with self._cond:
            if self._closing:
                return
            self._closing = True
            self._pending += _dropped(self._scheduler.clear(), "speech closed")
            self._cut_current()
            self._cond.notify_all()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(CLOSE_TIMEOUT)

    # -- helpers for the app, tests and the benchmark -------------------------------------

    def wait_ready(self, timeout: float = 2.0) -> bool:
        """Wait until the engine has started or failed to (then `problem` says why)."""
        return self._ready.wait(timeout)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is queued or being said."""
        with self._cond:
            return self._cond.wait_for(self._is_idle, timeout)

    def _is_idle(self) -> bool:
        return self._waiting and not self._scheduler and not self._pending

    # -- caller side, under the lock ------------------------------------------------------

    def _cut_current(self) -> None:
        if self._scheduler.current is not None:
            self._cancel_current = True
            if self._playback_stop is not None:
                self._playback_stop()

    # -- the speech thread ----------------------------------------------------------------

    def _run(self) -> None:
        workdir = Path(tempfile.mkdtemp(prefix="selfcare-speech-"))
        try:
            synthesiser = self._start_engine()
            player = self._start_player()
            self._ready.set()
            _SpeechLoop(self, synthesiser, player, workdir).run()
        except Exception:  # the app must never go down with its voice
            logger.exception("speech thread failed")
            self._turn_off("Speech stopped after an unexpected error: captions only.")
        finally:
            self._ready.set()
            shutil.rmtree(workdir, ignore_errors=True)

    def _start_engine(self) -> Synthesiser | None:
        try:
            synthesiser = self._factory()
            self._voices = synthesiser.voices()
        except EngineUnavailable as error:
            self._turn_off(str(error))
            return None
        except Exception as error:
            logger.exception("speech engine failed to start")
            self._turn_off(f"The speech engine failed to start ({error}): captions only.")
            return None
        self._check_voice()
        return synthesiser

    def _check_voice(self) -> None:
        if self._voice is not None and self._voices:
            try:
                resolve_voice(self._voice, self._voices)
            except SettingsError as error:
                self._voice, self._problem = None, f"{error}; using the default voice"

    def _start_player(self) -> Player:
        player = self._player_factory()
        if player is None:
            self._problem = self._problem or NO_PLAYER
            return SilentPlayer()
        return player

    def _turn_off(self, problem: str) -> None:
        self._available, self._problem = False, problem

    def _next_work(self) -> _Work:
        with self._cond:
            while True:
                events = self._take_pending()
                if self._closing:
                    return _Work(events, None, closing=True)
                turn = self._scheduler.take()
                events += _dropped(turn.dropped, "stale")
                if turn.utterance is not None:
                    self._cancel_current = False
                    return _Work(events, turn.utterance)
                if events:
                    return _Work(events, None)
                self._waiting = True
                self._cond.notify_all()  # wakes wait_idle()
                self._cond.wait()
                self._waiting = False

    def _take_pending(self) -> list[SpeechEvent]:
        events, self._pending = self._pending, []
        return events

    def _emit(self, events: Iterable[SpeechEvent]) -> None:
        for event in events:
            for callback in list(self._subscribers):
                try:
                    callback(event)
                except Exception:  # a broken subscriber must not silence the others
                    logger.exception("speech event subscriber failed")


class _SpeechLoop:
    """The speech thread's work: all engine and player calls happen here."""

    def __init__(
        self,
        service: SpeechService,
        synthesiser: Synthesiser | None,
        player: Player,
        workdir: Path,
    ) -> None:
        self._service = service
        self._synthesiser = synthesiser
        self._player = player
        self._workdir = workdir
        self._restarted = False

    def run(self) -> None:
        service = self._service
        while True:
            work = service._next_work()
            service._emit(work.events)
            if work.closing:
                return
            if work.utterance is not None:
                service._emit([self._say(work.utterance)])
                with service._cond:
                    service._scheduler.finish()

    def _say(self, utterance: Utterance) -> SpeechEvent:
        service = self._service
        if service._muted:
            return _event(SpeechEventKind.MUTED, utterance)
        if self._synthesiser is None:
            return _event(SpeechEventKind.FAILED, utterance, service._problem or "no speech")
        wav = self._workdir / f"utterance-{utterance.id}.wav"
        try:
            failure = self._synthesise(utterance.text, wav)
            if failure is not None:
                return _event(SpeechEventKind.FAILED, utterance, failure)
            return self._play(utterance, wav)
        finally:
            wav.unlink(missing_ok=True)

    def _synthesise(self, text: str, wav: Path) -> str | None:
        """None on success, else why it failed, after one engine restart."""
        error = self._try_synthesise(text, wav)
        if error is not None and self._restart():
            error = self._try_synthesise(text, wav)
        if error is None:
            return None
        self._synthesiser = None
        self._service._turn_off(f"Speech stopped after an engine error ({error}): captions only.")
        return self._service._problem

    def _try_synthesise(self, text: str, wav: Path) -> Exception | None:
        if self._synthesiser is None:
            return RuntimeError("no engine")
        try:
            self._configure(self._synthesiser)
            self._synthesiser.synthesise(text, wav)
        except Exception as error:
            logger.exception("speech synthesis failed")
            return error
        return None

    def _restart(self) -> bool:
        if self._restarted:
            return False
        self._restarted = True
        self._synthesiser = None  # so the factory can collect it and make a fresh one
        try:
            self._synthesiser = self._service._factory()
        except Exception:
            logger.exception("speech engine restart failed")
            return False
        with self._service._cond:
            self._service._dirty = True
        return True

    def _configure(self, synthesiser: Synthesiser) -> None:
        service = self._service
        with service._cond:
            if not service._dirty:
                return
            voice, rate, volume = service._voice, service._rate, service._volume
            service._dirty = False
        voice_id = resolve_voice(voice, service._voices).id if voice and service._voices else voice
        synthesiser.configure(voice_id, rate, volume)

    def _play(self, utterance: Utterance, wav: Path) -> SpeechEvent:
        started = False
        while True:
            playback = self._start_playback(wav)
            if playback is None:
                return _event(SpeechEventKind.INTERRUPTED, utterance)
            if not started:
                self._service._emit([_event(SpeechEventKind.STARTED, utterance)])
                started = True
            played = playback.wait()
            with self._service._cond:
                self._service._playback_stop = None
                cancelled = self._service._cancel_current
            if cancelled:
                return _event(SpeechEventKind.INTERRUPTED, utterance)
            if played or isinstance(self._player, SilentPlayer):
                detail = SILENT if isinstance(self._player, SilentPlayer) else ""
                return _event(SpeechEventKind.FINISHED, utterance, detail)
            self._lose_audio_output()

    def _start_playback(self, wav: Path) -> Playback | None:
        service = self._service
        with service._cond:
            if service._cancel_current:
                return None
            try:
                playback = self._player.start(wav)
            except OSError:
                self._lose_audio_output()
                playback = self._player.start(wav)
            service._playback_stop = playback.stop
            return playback

    def _lose_audio_output(self) -> None:
        # Said once, through `problem`; from then on every WAV is "played" silently.
        self._player = SilentPlayer()
        if self._service._problem is None:
            self._service._problem = NO_AUDIO_OUTPUT


def _event(kind: SpeechEventKind, utterance: Utterance, detail: str = "") -> SpeechEvent:
    return SpeechEvent(kind, utterance, detail)


def _dropped(utterances: Iterable[Utterance], reason: str) -> list[SpeechEvent]:
    return [_event(SpeechEventKind.DROPPED, utterance, reason) for utterance in utterances]
