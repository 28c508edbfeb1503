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

The thread's code is in `loop.py`, loaded when the thread starts: what callers use is here.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
    SpeechSettings,
    VoiceInfo,
    check_rate,
    check_volume,
    resolve_voice,
)
from selfcare_tui.speech.splitting import MAX_WORDS, split_for_speech
from selfcare_tui.speech.timing import estimate_seconds

if TYPE_CHECKING:
    from selfcare_tui.speech.engine import Player, SynthesiserFactory
    from selfcare_tui.speech.sounds import SoundChannel
    from selfcare_tui.speech.workspace import Workspace

logger = logging.getLogger(__name__)

SILENT = "silent: no audio output"
CLOSE_TIMEOUT = 0.5
ENGINE_TIMEOUT = 10.0
"""How long the engine may take to start, or to synthesise one part, before it counts as hung."""
PLAYER_GRACE = 5.0
"""How long a player may run past the length of its WAV before it counts as hung."""
ENGINE_HUNG = "The speech engine stopped responding: voice off, captions only."
ENGINE_START_HUNG = "The speech engine did not start (no answer): captions only."
PLAYER_HUNG = "The audio player stopped responding: voice off, captions only."


@dataclass(frozen=True, slots=True)
class Clip:
    """A part of a text, synthesised: its WAV and how long it plays."""

    wav: Path
    seconds: float


ClipKey = tuple[str, str | None, int, float]
"""(part of a text, voice, rate, volume): what a clip was synthesised from."""


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

    `synthesiser_factory` makes the engine (default: pyttsx3's), `player_factory` the player
    (default: the first one found; None from it: no player); `engine_timeout` and
    `player_grace` set the watchdog's limits (see the module docstring);
    `temp_root` is where the private folder of WAVs is made (default:
    `locations.speech_temp_dir()`); `max_words` the longest part handed to the engine.
    """

    def __init__(
        self,
        settings: SpeechSettings | None = None,
        *,
        synthesiser_factory: SynthesiserFactory | None = None,
        player_factory: Callable[[], Player | None] | None = None,
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
        self._clips: OrderedDict[ClipKey, Clip] = OrderedDict()
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
                self._pending.append(speech_event(SpeechEventKind.DROPPED, utterance, reason))
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
        from selfcare_tui.speech.sounds import play_sound_event

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
        # The engine, the player and their modules load here, on the speech thread, so
        # creating the service (at the app's launch) costs none of them.
        try:
            from selfcare_tui.speech.loop import run_speech_thread
        except Exception:  # a broken install: captions only, and no one waits on the voice
            logger.exception("speech thread could not load")
            self._turn_off("Speech could not start (a part of selfcare is missing): captions only.")
            self._ready.set()
            self._fail_until_closed()
            return
        run_speech_thread(self)

    def _fail_until_closed(self) -> None:
        """Give every utterance its final event (failed) until the service is closed."""
        while True:
            work = self._next_work()
            self._emit(work.events)
            if work.closing:
                return
            if work.utterance is not None:
                self._emit(
                    [speech_event(SpeechEventKind.FAILED, work.utterance, self._problem or "")]
                )
                with self._cond:
                    self._scheduler.finish()

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


def speech_event(kind: SpeechEventKind, utterance: Utterance, detail: str = "") -> SpeechEvent:
    """An event with no timing (what `started` and the ends before any sound carry)."""
    return SpeechEvent(kind, utterance, detail)


def _dropped(utterances: Iterable[Utterance], reason: str) -> list[SpeechEvent]:
    return [speech_event(SpeechEventKind.DROPPED, utterance, reason) for utterance in utterances]
