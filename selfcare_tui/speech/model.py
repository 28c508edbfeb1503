"""The speech vocabulary shared by the service, the fakes and their callers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable


class UtteranceKind(StrEnum):
    """Why something is said; decides its priority in the scheduler."""

    INSTRUCTION = "instruction"
    CUE = "cue"
    STATUS = "status"
    SOUND = "sound"
    """An earcon: played at once over whatever is being said, never queued."""


class Sound(StrEnum):
    """The earcons: short generated sounds, each with its own shape (see `speech.sounds`)."""

    BEAT = "beat"
    """A countdown beat: one short tick."""
    HOLD_START = "hold start"
    """The instruction has been heard: the hold's clock starts now (two rising notes)."""
    HALFWAY = "halfway"
    """Half the hold is done (a double tap)."""
    HOLD_END = "hold end"
    """The hold is over (one long falling note)."""
    SIDE_SWITCH = "side switch"
    """The next step works the other side (three rising notes)."""
    HEARD = "heard"
    """A voice command was heard (two low notes, falling)."""


class Outcome(StrEnum):
    """What finally happened to an utterance (the transcript's third column)."""

    SPOKEN = "spoken"
    INTERRUPTED = "interrupted"
    DROPPED = "dropped"
    MUTED = "muted"
    FAILED = "failed"


class SpeechEventKind(StrEnum):
    """`started` may come first; every utterance then gets exactly one of the others."""

    STARTED = "started"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"
    FAILED = "failed"
    DROPPED = "dropped"
    MUTED = "muted"

    @property
    def outcome(self) -> Outcome | None:
        """The outcome this event settles, or None for `started`."""
        return _OUTCOMES.get(self)


_OUTCOMES: dict[SpeechEventKind, Outcome] = {
    SpeechEventKind.FINISHED: Outcome.SPOKEN,
    SpeechEventKind.INTERRUPTED: Outcome.INTERRUPTED,
    SpeechEventKind.FAILED: Outcome.FAILED,
    SpeechEventKind.DROPPED: Outcome.DROPPED,
    SpeechEventKind.MUTED: Outcome.MUTED,
}


@dataclass(frozen=True, slots=True)
class Utterance:
    """One thing to say."""

    id: int
    """Unique within one speaker, increasing in the order of `speak()` calls."""
    text: str
    kind: UtteranceKind
    queued_at: float
    """The speaker's clock when `speak()` was called."""
    stale_after: float | None = None
    """A deadline on the speaker's clock after which the utterance is not worth saying."""

    def is_stale(self, now: float) -> bool:
        return self.stale_after is not None and now > self.stale_after


@dataclass(frozen=True, slots=True)
class SpeechEvent:
    """Something that happened to an utterance."""

    kind: SpeechEventKind
    utterance: Utterance
    detail: str = ""
    """Why it was dropped or failed, or "silent" when there is no audio output."""
    started_at: float | None = None
    """On the speaker's clock, when it began to be heard (finished and interrupted events)."""
    seconds: float | None = None
    """How long it was heard: its sound's length when played to the end, less if cut off."""

    @property
    def outcome(self) -> Outcome | None:
        return self.kind.outcome


EventCallback = Callable[[SpeechEvent], None]


@runtime_checkable
class Speaker(Protocol):
    """What the app, the plain mode and the player use to talk."""

    @property
    def available(self) -> bool:
        """False when speech cannot work at all (no engine); captions only."""
        ...

    @property
    def problem(self) -> str | None:
        """A one-line message for the user when speech is degraded, else None."""
        ...

    @property
    def muted(self) -> bool: ...

    @property
    def rate(self) -> int:
        """Words per minute."""
        ...

    def speak(
        self,
        text: str,
        kind: UtteranceKind = UtteranceKind.INSTRUCTION,
        *,
        stale_after: float | None = None,
    ) -> Utterance:
        """Queue `text`; never blocks."""
        ...

    def interrupt(self) -> None:
        """Cut off the current utterance and drop everything queued."""
        ...

    def prepare(self, texts: Iterable[str]) -> None:
        """Get `texts` ready to say at once, in the background; never blocks."""
        ...

    def duration(self, text: str) -> float:
        """Seconds `text` takes to say at the current rate: exact once prepared, else an
        estimate; never blocks."""
        ...

    def play_sound(self, sound: Sound) -> None:
        """Play an earcon now, over whatever is being said; never blocks."""
        ...

    def set_muted(self, muted: bool) -> None: ...

    def set_rate(self, wpm: int) -> None: ...

    def subscribe(self, callback: EventCallback) -> None:
        """Call `callback` with every event (from the speech thread, for the real service)."""
        ...

    def close(self) -> None: ...
