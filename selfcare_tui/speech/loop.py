"""The speech thread: the engine, the player and the loop that says what a SpeechService queued.

It is the service's other half, loaded by the thread when it starts (see `SpeechService._run`),
so creating a service at the app's launch loads neither pyttsx3's wrapper nor the player, the
watchdog or the folder of WAVs. It works on the service's state under the service's lock, as
the service's own methods do.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from selfcare_tui.private_files import reserve_private
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
    close_player,
    find_player,
)
from selfcare_tui.speech.model import SpeechEvent, SpeechEventKind, Utterance
from selfcare_tui.speech.service import (
    ENGINE_HUNG,
    ENGINE_START_HUNG,
    PLAYER_HUNG,
    SILENT,
    Clip,
    SpeechService,
    speech_event,
)
from selfcare_tui.speech.settings import SettingsError, VoiceInfo, resolve_voice
from selfcare_tui.speech.sounds import SoundChannel
from selfcare_tui.speech.splitting import split_for_speech
from selfcare_tui.speech.timing import trim_silence
from selfcare_tui.speech.watchdog import Hung, Worker
from selfcare_tui.speech.workspace import Workspace

logger = logging.getLogger(__name__)

SETTLE_TIMEOUT = 1.0
"""How long a stopped engine or player is given to return before its thread is abandoned."""
PREPARE_MARGIN = 0.2
"""Seconds a clip must still have to play for a part to be synthesised ahead while it plays."""
CLIPS_KEPT = 400
"""Synthesised parts kept ready (a full routine has about 150): the oldest go first."""


def run_speech_thread(service: SpeechService) -> None:
    """The speech thread, from the engine's start to the service's close."""
    factory = Pyttsx3Synthesiser if service._factory is None else service._factory
    engine = _Engine(factory, service._engine_timeout)
    workspace: Workspace | None = None
    try:
        workspace = service._workspace = Workspace.create(service._temp_root)
        started = _start_engine(service, engine)
        player = _start_player(service)
        service._sounds = SoundChannel.create(workspace.path / "sounds", player)
        service._ready.set()
        _SpeechLoop(service, engine if started else None, player, workspace.path).run()
    except Exception:  # the app must never go down with its voice
        logger.exception("speech thread failed")
        service._turn_off("Speech stopped after an unexpected error: captions only.")
        service._ready.set()
        with contextlib.suppress(Exception):  # every utterance still gets its final event
            _SpeechLoop(service, None, SilentPlayer(), Path()).run()
    finally:
        engine.close()
        if service._sounds is not None:
            service._sounds.stop()
            close_player(service._sounds.player)
        service._ready.set()
        if workspace is not None:
            workspace.close()


def _start_engine(service: SpeechService, engine: _Engine) -> bool:
    try:
        service._voices = engine.start()
    except EngineUnavailable as error:
        service._turn_off(str(error))
        return False
    except Hung:
        logger.warning("speech engine did not start within %s s", service._engine_timeout)
        engine.stop()
        service._turn_off(ENGINE_START_HUNG)
        return False
    except Exception as error:
        logger.exception("speech engine failed to start")
        service._turn_off(f"The speech engine failed to start ({error}): captions only.")
        return False
    _check_voice(service)
    return True


def _check_voice(service: SpeechService) -> None:
    if service._voice is not None and service._voices:
        try:
            resolve_voice(service._voice, service._voices)
        except SettingsError as error:
            service._voice, service._problem = None, f"{error}; using the default voice"


def _start_player(service: SpeechService) -> Player:
    player = (find_player if service._player_factory is None else service._player_factory)()
    if player is None:
        service._problem = service._problem or NO_PLAYER
        return SilentPlayer()
    return player


@dataclass
class _Heard:
    """A playback watched by a thread of its own, which reaps it and says when it ended."""

    playback: Playback
    cond: threading.Condition
    ended: bool = False
    played: bool = False
    limit: float = 0.0
    """On time.monotonic: past this, a player still running counts as hung."""

    def start(self) -> _Heard:
        threading.Thread(target=self._watch, name="selfcare-speech-reaper", daemon=True).start()
        return self

    def _watch(self) -> None:
        played = self.playback.wait()
        with self.cond:
            self.ended, self.played = True, played
            self.cond.notify_all()


class _Engine:
    """The synthesiser on a watched worker thread of its own.

    pyttsx3 wants every call from the thread that made its engine, so the synthesiser is made,
    configured and used on the worker's thread. A call with no answer within `timeout` raises
    Hung; `stop()` then cancels it (if the synthesiser can) and abandons its thread, and the
    next `restart()` makes a fresh synthesiser on a fresh thread.
    """

    def __init__(self, factory: SynthesiserFactory, timeout: float) -> None:
        self._factory = factory
        self._timeout = timeout
        self._worker = Worker("selfcare-speech-engine")
        self._synthesiser: Synthesiser | None = None

    def start(self) -> list[VoiceInfo]:
        def make() -> tuple[Synthesiser, list[VoiceInfo]]:
            synthesiser = self._factory()
            return synthesiser, synthesiser.voices()

        self._synthesiser, voices = self._worker.run(make, self._timeout)
        return voices

    def restart(self) -> None:
        self._worker.abandon()
        self._synthesiser = None  # so the factory can collect it and make a fresh one
        self._synthesiser = self._worker.run(self._factory, self._timeout)

    def synthesise(
        self, settings: tuple[str | None, int, float] | None, text: str, wav: Path
    ) -> None:
        synthesiser = self._synthesiser
        if synthesiser is None:
            raise RuntimeError("no engine")

        def call() -> None:
            if settings is not None:
                synthesiser.configure(*settings)
            synthesiser.synthesise(text, wav)

        self._worker.run(call, self._timeout)

    def stop(self) -> None:
        """After Hung: make the stuck call return if the synthesiser can, and let it go."""
        cancel = getattr(self._synthesiser, "cancel", None)
        if callable(cancel):
            with contextlib.suppress(Exception):
                cancel()
        self._worker.settle(min(SETTLE_TIMEOUT, self._timeout))
        self._worker.abandon()
        self._synthesiser = None

    def close(self) -> None:
        self._worker.close()


class _SpeechLoop:
    """The speech thread's work: all engine and player calls start here."""

    def __init__(
        self,
        service: SpeechService,
        engine: _Engine | None,
        player: Player,
        workdir: Path,
    ) -> None:
        self._service = service
        self._engine = engine
        self._player = player
        self._workdir = workdir
        self._restarted = False
        self._player_hangs = 0
        self._lingering: list[_Heard] = []
        """Players that outlast their sound (paplay drains for ~2 s): reaped by their watcher,
        killed if still running `player_grace` seconds after their sound ended."""
        self._clip_ids = itertools.count(1)
        self._started_at: float | None = None
        self._heard_seconds = 0.0

    def run(self) -> None:
        service = self._service
        try:
            while True:
                work = service._next_work(self._lingering_timeout())
                service._emit(work.events)
                if work.closing:
                    return
                if self._check_lingering():
                    continue
                if work.prepare is not None:
                    self._prepare(work.prepare)
                if work.utterance is not None:
                    service._emit([self._say(work.utterance)])
                    with service._cond:
                        service._scheduler.finish()
        finally:
            for heard in self._lingering:
                heard.playback.stop()

    def _say(self, utterance: Utterance) -> SpeechEvent:
        service = self._service
        if service._muted:
            return speech_event(SpeechEventKind.MUTED, utterance)
        if self._engine is None:
            return speech_event(SpeechEventKind.FAILED, utterance, service._problem or "no speech")
        parts = split_for_speech(utterance.text, service._max_words)
        if not parts:
            return speech_event(SpeechEventKind.DROPPED, utterance, "nothing to say")
        self._started_at, self._heard_seconds = None, 0.0
        for part in parts:
            with service._cond:
                if service._cancel_current:
                    return speech_event(SpeechEventKind.INTERRUPTED, utterance)
            clip = self._clip(part)
            if isinstance(clip, str):
                return speech_event(SpeechEventKind.FAILED, utterance, clip)
            ending = self._play(utterance, clip)
            if ending is not None:
                return ending
        detail = SILENT if isinstance(self._player, SilentPlayer) else ""
        return SpeechEvent(
            SpeechEventKind.FINISHED, utterance, detail, self._started_at, self._heard_seconds
        )

    # -- the engine ------------------------------------------------------------------------

    def _prepare(self, part: str) -> None:
        """Synthesise `part` ahead; a failure shows (and is handled) when it is said."""
        if self._engine is not None:
            self._clip(part)

    def _clip(self, part: str) -> Clip | str:
        """`part` ready to play: prepared before, or synthesised now; else why it failed."""
        service = self._service
        with service._cond:
            key = service._clip_key(part)
            clip = service._clips.get(key)
            if clip is not None:
                service._clips.move_to_end(key)
                return clip
        wav = self._workdir / f"clip-{next(self._clip_ids)}.wav"
        reserve_private(wav)  # 0600 whatever the umask: the engine keeps the mode
        failure = self._synthesise(part, wav)
        if failure is not None:
            wav.unlink(missing_ok=True)
            return failure
        try:
            clip = Clip(wav, trim_silence(wav))
        except Exception:  # wave.Error, EOFError, OSError: the player will say so itself
            clip = Clip(wav, 0.0)
        with service._cond:
            service._clips[key] = clip
            while len(service._clips) > CLIPS_KEPT:
                service._clips.popitem(last=False)[1].wav.unlink(missing_ok=True)
        return clip

    def _synthesise(self, text: str, wav: Path) -> str | None:
        """None on success, else why it failed, after one engine restart."""
        error = self._try_synthesise(text, wav)
        if error is not None and self._restart():
            error = self._try_synthesise(text, wav)
        if error is None:
            return None
        self._engine = None
        if isinstance(error, Hung):
            self._service._turn_off(ENGINE_HUNG)
        else:
            self._service._turn_off(
                f"Speech stopped after an engine error ({error}): captions only."
            )
        return self._service._problem

    def _try_synthesise(self, text: str, wav: Path) -> Exception | None:
        if self._engine is None:
            return RuntimeError("no engine")
        try:
            self._engine.synthesise(self._settings(), text, wav)
        except Hung as error:
            logger.warning(
                "speech engine gave no answer within %s s", self._service._engine_timeout
            )
            self._engine.stop()
            return error
        except Exception as error:
            logger.exception("speech synthesis failed")
            return error
        return None

    def _restart(self) -> bool:
        if self._restarted or self._engine is None:
            return False
        self._restarted = True
        try:
            self._engine.restart()
        except Hung:
            logger.warning("speech engine restart gave no answer")
            self._engine.stop()
            return False
        except Exception:
            logger.exception("speech engine restart failed")
            return False
        with self._service._cond:
            self._service._dirty = True
        return True

    def _settings(self) -> tuple[str | None, int, float] | None:
        """The voice, rate and volume to give the engine, or None when they have not changed."""
        service = self._service
        with service._cond:
            if not service._dirty:
                return None
            voice, rate, volume = service._voice, service._rate, service._volume
            service._dirty = False
        voice_id = resolve_voice(voice, service._voices).id if voice and service._voices else voice
        return voice_id, rate, volume

    # -- the player ------------------------------------------------------------------------

    def _play(self, utterance: Utterance, clip: Clip) -> SpeechEvent | None:
        """Play one part; None once it has been heard, else the utterance's final event.

        Heard means: its WAV's length has passed since playback began, or the player ended
        well before that. A player still running then is left to finish (see `_lingering`).
        """
        service = self._service
        while True:
            playback = self._start_playback(clip.wav)
            if playback is None:
                return speech_event(SpeechEventKind.INTERRUPTED, utterance)
            began = time.monotonic()
            if self._started_at is None:
                self._started_at = service._clock()
                service._emit([speech_event(SpeechEventKind.STARTED, utterance)])
            heard = _Heard(playback, service._cond).start()
            ends = began + clip.seconds
            self._prepare_while(partial(self._heard_out, heard, ends), ends)
            with service._cond:
                service._playback_stop = None
                cancelled = service._cancel_current
            self._heard_seconds += min(clip.seconds, time.monotonic() - began)
            if cancelled:
                playback.stop()
                return SpeechEvent(
                    SpeechEventKind.INTERRUPTED, utterance, "", self._started_at,
                    round(self._heard_seconds, 3),
                )  # fmt: skip
            if not heard.ended:
                heard.limit = ends + service._player_grace
                self._lingering.append(heard)
                return None
            if heard.played or isinstance(self._player, SilentPlayer):
                return None
            self._lose_audio_output()

    def _prepare_while(self, done: Callable[[], bool], ends: float) -> None:
        """Wait until `done()` (checked under the lock) or `ends`, synthesising ahead meanwhile:
        a session speaks most of the time (the safety check, the questions), so waiting for
        silence to prepare the routine's words would leave them unprepared."""
        service = self._service

        def can_prepare() -> bool:
            margin = ends - time.monotonic()
            return bool(service._to_prepare) and not service._muted and margin > PREPARE_MARGIN

        while True:
            with service._cond:
                # Words asked for while this part plays wake the wait and are made ready now.
                service._cond.wait_for(lambda: done() or can_prepare(), ends - time.monotonic())
                if done() or not can_prepare():
                    return
                part = service._to_prepare.popleft()
            self._prepare(part)  # 10–20 ms: the clip playing now is not held up

    def _heard_out(self, heard: _Heard, ends: float) -> bool:
        """Under the lock: stop waiting on a part (cut off, its player ended, or time's up)."""
        return self._service._cancel_current or heard.ended or time.monotonic() >= ends

    def _lingering_timeout(self) -> float | None:
        if not self._lingering:
            return None
        return max(0.0, min(heard.limit for heard in self._lingering) - time.monotonic())

    def _check_lingering(self) -> bool:
        """Kill players that outlast their grace; True when that turned the voice off."""
        now = time.monotonic()
        with self._service._cond:
            hung = [heard for heard in self._lingering if not heard.ended and now > heard.limit]
            self._lingering = [
                heard for heard in self._lingering if not heard.ended and heard not in hung
            ]
        for heard in hung:
            logger.warning("audio player still running past the end of its WAV")
            heard.playback.stop()  # the player and everything it started
        if not hung:
            return False
        self._player_hangs += 1
        if self._player_hangs < 2 or isinstance(self._player, SilentPlayer):
            return False
        self._lose_player()
        return True

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

    def _lose_player(self) -> None:
        # A hung player is worse news than any earlier notice: it replaces it.
        self._player = SilentPlayer()
        self._service._problem = PLAYER_HUNG
