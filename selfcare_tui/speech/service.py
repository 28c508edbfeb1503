"""SpeechService: the real Speaker, one daemon thread owning the engine and the player.

The thread sleeps on a condition while there is nothing to say (no polling), cuts each
utterance into parts at sentence boundaries (`split_for_speech`), synthesises each part to a WAV
in a private folder (`Workspace`), hands it to a player process and waits for the WAV's length.
An utterance ends when its sound has been heard, from the moment playback began and the WAV's
length, never from the player's exit: paplay lingers about 2 s after a 0.7 s clip, and waiting
for it cut the next countdown beat. A player still running then is left to finish on its own.

While nothing is said the thread synthesises ahead what `prepare()` was given (the next step,
the cues and countdown digits), with the silence before the first sound cut, so those are
played at once and their exact length is known (`duration()`) before they are planned.
Callers only touch the scheduler under the lock, so `speak()` never blocks on the engine and
`interrupt()` only has to kill the player process. Earcons (`play_sound()`) bypass the queue:
each is a player process of its own, started at once, mixed over speech by the sound server.

A watchdog guards the two things that can hang: the engine runs on a worker thread of its own,
and a synthesis that gives no answer within `engine_timeout` is cancelled and the engine
restarted once (a second failure turns speech off); a player still running `player_grace`
seconds after its WAV should have ended is killed with its process group; the second time, the
voice goes off. Either way the user is told, through `problem` and a `failed` event for an
utterance, which the app and plain mode show and speak.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
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
from selfcare_tui.speech.model import (
    EventCallback,
    Sound,
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
from selfcare_tui.speech.sounds import SoundChannel, play_sound_event
from selfcare_tui.speech.splitting import MAX_WORDS, split_for_speech
from selfcare_tui.speech.timing import estimate_seconds, trim_silence
from selfcare_tui.speech.watchdog import Hung, Worker
from selfcare_tui.speech.workspace import Workspace

logger = logging.getLogger(__name__)

SILENT = "silent: no audio output"
CLOSE_TIMEOUT = 0.5
ENGINE_TIMEOUT = 10.0
"""How long the engine may take to start, or to synthesise one part, before it counts as hung."""
PLAYER_GRACE = 5.0
"""How long a player may run past the length of its WAV before it counts as hung."""
SETTLE_TIMEOUT = 1.0
"""How long a stopped engine or player is given to return before its thread is abandoned."""
ENGINE_HUNG = "The speech engine stopped responding: voice off, captions only."
ENGINE_START_HUNG = "The speech engine did not start (no answer): captions only."
PLAYER_HUNG = "The audio player stopped responding: voice off, captions only."
PREPARE_MARGIN = 0.2
"""Seconds a clip must still have to play for a part to be synthesised ahead while it plays."""
CLIPS_KEPT = 400
"""Synthesised parts kept ready (a full routine has about 150): the oldest go first."""


@dataclass(frozen=True, slots=True)
class _Clip:
    wav: Path
    seconds: float


ClipKey = tuple[str, str | None, int, float]
"""(part of a text, voice, rate, volume): what a clip was synthesised from."""


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


@dataclass(frozen=True, slots=True)
class _Work:
    events: list[SpeechEvent]
    utterance: Utterance | None
    closing: bool = False
    prepare: str | None = None
    """A part of a text to synthesise ahead, when there is nothing to say."""


class SpeechService:
    """The real Speaker. Create it once, `subscribe()`, then `speak()`; `close()` on quit.

    Every utterance gets exactly one final event: finished, interrupted, failed, dropped or
    muted; finished, interrupted and failed may come after `started` (one `started` however many
    parts a long text is cut into). With no audio output the WAV is "played" silently for its
    length and reported `finished` with detail SILENT, so the pacing (and the transcript) is the
    same as with sound.

    `engine_timeout` and `player_grace` set the watchdog's limits (see the module docstring);
    `temp_root` is where the private folder of WAVs is made (default:
    `locations.speech_temp_dir()`); `max_words` the longest part handed to the engine.
    """

    def __init__(
        self,
        settings: SpeechSettings | None = None,
        *,
        synthesiser_factory: SynthesiserFactory = Pyttsx3Synthesiser,
        player_factory: Callable[[], Player | None] = find_player,
        clock: Callable[[], float] = time.monotonic,
        start: bool = True,
        engine_timeout: float = ENGINE_TIMEOUT,
        player_grace: float = PLAYER_GRACE,
        temp_root: Path | None = None,
        max_words: int = MAX_WORDS,
    ) -> None:
        settings = settings or SpeechSettings()
        self._factory = synthesiser_factory
        self._player_factory = player_factory
        self._clock = clock
        self._engine_timeout = engine_timeout
        self._player_grace = player_grace
        self._temp_root = temp_root
        self._max_words = max_words
        self._workspace: Workspace | None = None
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
        self._clips: OrderedDict[ClipKey, _Clip] = OrderedDict()
        self._to_prepare: deque[str] = deque()
        self._sounds: SoundChannel | None = None
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

    def prepare(self, texts: Iterable[str]) -> None:
        with self._cond:
            for text in texts:
                for part in split_for_speech(text, self._max_words):
                    if self._clip_key(part) not in self._clips:
                        self._to_prepare.append(part)
            self._cond.notify_all()

    def duration(self, text: str) -> float:
        with self._cond:
            parts = split_for_speech(text, self._max_words)
            clips = [self._clips.get(self._clip_key(part)) for part in parts]
            rate = self._rate
        if all(clip is not None for clip in clips):
            return round(sum(clip.seconds for clip in clips if clip is not None), 3)
        return estimate_seconds(text, rate)

    def play_sound(self, sound: Sound) -> None:
        utterance = Utterance(next(self._ids), sound.value, UtteranceKind.SOUND, self._clock())
        self._emit([play_sound_event(self._sounds, sound, utterance, muted=self._muted)])

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
        if self._thread.is_alive() and self._workspace is not None:
            self._workspace.close()  # the thread is stuck: its WAVs go now all the same

    # -- helpers for the app, tests and the benchmark -------------------------------------

    def wait_ready(self, timeout: float = 2.0) -> bool:
        """Wait until the engine has started or failed to (then `problem` says why)."""
        return self._ready.wait(timeout)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is queued, being said or waiting to be prepared."""
        with self._cond:
            return self._cond.wait_for(self._is_idle, timeout)

    def _is_idle(self) -> bool:
        return self._waiting and not self._scheduler and not self._pending and not self._to_prepare

    def _clip_key(self, part: str) -> ClipKey:
        """Under the lock."""
        return (part, self._voice, self._rate, self._volume)

    # -- caller side, under the lock ------------------------------------------------------

    def _cut_current(self) -> None:
        if self._scheduler.current is not None:
            self._cancel_current = True
            if self._playback_stop is not None:
                self._playback_stop()
            self._cond.notify_all()  # the speech thread waits on the clip's length

    # -- the speech thread ----------------------------------------------------------------

    def _run(self) -> None:
        engine = _Engine(self._factory, self._engine_timeout)
        workspace: Workspace | None = None
        try:
            workspace = self._workspace = Workspace.create(self._temp_root)
            started = self._start_engine(engine)
            player = self._start_player()
            self._sounds = SoundChannel.create(workspace.path / "sounds", player)
            self._ready.set()
            _SpeechLoop(self, engine if started else None, player, workspace.path).run()
        except Exception:  # the app must never go down with its voice
            logger.exception("speech thread failed")
            self._turn_off("Speech stopped after an unexpected error: captions only.")
            self._ready.set()
            with contextlib.suppress(Exception):  # every utterance still gets its final event
                _SpeechLoop(self, None, SilentPlayer(), Path()).run()
        finally:
            engine.close()
            if self._sounds is not None:
                self._sounds.stop()
                close_player(self._sounds.player)
            self._ready.set()
            if workspace is not None:
                workspace.close()

    def _start_engine(self, engine: _Engine) -> bool:
        try:
            self._voices = engine.start()
        except EngineUnavailable as error:
            self._turn_off(str(error))
            return False
        except Hung:
            logger.warning("speech engine did not start within %s s", self._engine_timeout)
            engine.stop()
            self._turn_off(ENGINE_START_HUNG)
            return False
        except Exception as error:
            logger.exception("speech engine failed to start")
            self._turn_off(f"The speech engine failed to start ({error}): captions only.")
            return False
        self._check_voice()
        return True

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

    def _next_work(self, timeout: float | None = None) -> _Work:
        """What to do next; an empty _Work after `timeout` seconds with nothing to do."""
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
                if self._to_prepare and not self._muted:
                    return _Work(events, None, prepare=self._to_prepare.popleft())
                self._waiting = True
                self._cond.notify_all()  # wakes wait_idle()
                woken = self._cond.wait(timeout)
                self._waiting = False
                if not woken:
                    return _Work([], None)

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
            return _event(SpeechEventKind.MUTED, utterance)
        if self._engine is None:
            return _event(SpeechEventKind.FAILED, utterance, service._problem or "no speech")
        parts = split_for_speech(utterance.text, service._max_words)
        if not parts:
            return _event(SpeechEventKind.DROPPED, utterance, "nothing to say")
        self._started_at, self._heard_seconds = None, 0.0
        for part in parts:
            with service._cond:
                if service._cancel_current:
                    return _event(SpeechEventKind.INTERRUPTED, utterance)
            clip = self._clip(part)
            if isinstance(clip, str):
                return _event(SpeechEventKind.FAILED, utterance, clip)
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

    def _clip(self, part: str) -> _Clip | str:
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
            clip = _Clip(wav, trim_silence(wav))
        except Exception:  # wave.Error, EOFError, OSError: the player will say so itself
            clip = _Clip(wav, 0.0)
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

    def _play(self, utterance: Utterance, clip: _Clip) -> SpeechEvent | None:
        """Play one part; None once it has been heard, else the utterance's final event.

        Heard means: its WAV's length has passed since playback began, or the player ended
        well before that. A player still running then is left to finish (see `_lingering`).
        """
        service = self._service
        while True:
            playback = self._start_playback(clip.wav)
            if playback is None:
                return _event(SpeechEventKind.INTERRUPTED, utterance)
            began = time.monotonic()
            if self._started_at is None:
                self._started_at = service._clock()
                service._emit([_event(SpeechEventKind.STARTED, utterance)])
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


def _event(kind: SpeechEventKind, utterance: Utterance, detail: str = "") -> SpeechEvent:
    return SpeechEvent(kind, utterance, detail)


def _dropped(utterances: Iterable[Utterance], reason: str) -> list[SpeechEvent]:
    return [_event(SpeechEventKind.DROPPED, utterance, reason) for utterance in utterances]
