"""One word for each thing: sides, step outcomes, endings, pain and durations.

Every screen, plain mode, the journal, history, export and speech name these through the enums
and formatters here, so a side or a duration reads the same wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Side(StrEnum):
    """The side being worked: for a stretch, the side that is stretched."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    NONE = "none"

    @property
    def other(self) -> Side:
        return {Side.LEFT: Side.RIGHT, Side.RIGHT: Side.LEFT}.get(self, self)

    @property
    def one_sided(self) -> bool:
        return self in (Side.LEFT, Side.RIGHT)


class CountdownStyle(StrEnum):
    """How the last seconds of a hold are counted: "3, 2, 1" said, ticks, both, or nothing."""

    SPEECH = "speech"
    SOUNDS = "sounds"
    BOTH = "both"
    OFF = "off"

    @property
    def spoken(self) -> bool:
        return self in (CountdownStyle.SPEECH, CountdownStyle.BOTH)

    @property
    def ticks(self) -> bool:
        return self in (CountdownStyle.SOUNDS, CountdownStyle.BOTH)


EXTRA_SHARE = 0.5
"""How much longer "more time on one side" makes that side's holds."""
SHORTER_SHARE = 2 / 3
"""How long a hold is in the shorter version (never under 10 s: `routines.tailoring`)."""


@dataclass(frozen=True)
class Tailoring:
    """How a routine is played this time, without editing it: more time for one side, one side
    only, or a shorter version (any of them together). The routine file stays the source."""

    more_time: Side = Side.NONE
    """LEFT or RIGHT: that side's holds last EXTRA_SHARE longer."""
    only: Side = Side.NONE
    """LEFT or RIGHT: the other side's steps are left out."""
    shorter: bool = False

    @property
    def as_written(self) -> bool:
        return self == Tailoring()

    def words(self) -> str:
        """ "more time on your left side (+50 %)", "your right side only; shorter holds", or
        "as written"."""
        parts = []
        if self.more_time.one_sided:
            parts.append(f"more time on your {self.more_time.value} side (+{EXTRA_SHARE:.0%})")
        if self.only.one_sided:
            parts.append(f"your {self.only.value} side only")
        if self.shorter:
            parts.append("shorter holds")
        return "; ".join(parts) or "as written"

    def offer(self) -> str:
        """What "again?" offers: "Last time you gave your left side more time"."""
        parts = []
        if self.more_time.one_sided:
            parts.append(f"gave your {self.more_time.value} side more time")
        if self.only.one_sided:
            parts.append(f"worked your {self.only.value} side only")
        if self.shorter:
            parts.append("chose shorter holds")
        return "Last time you " + _joined(parts)


def _joined(parts: list[str]) -> str:
    return " and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + ", and " + parts[-1]


class StepOutcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    PARTIAL = "partial"
    NOT_REACHED = "not_reached"


class Ending(StrEnum):
    COMPLETED = "completed"
    QUIT = "quit"
    INTERRUPTED = "interrupted"
    """Cut off: Ctrl+C, SIGTERM, or the terminal closed."""


class Overall(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


_SIDE_LABELS = {Side.LEFT: "Left side", Side.RIGHT: "Right side", Side.BOTH: "Both sides"}
_ENDING_WORDS = {
    Ending.COMPLETED: "completed",
    Ending.QUIT: "stopped early",
    Ending.INTERRUPTED: "cut off",
}
_OVERALL_WORDS = {Overall.BETTER: "better", Overall.SAME: "about the same", Overall.WORSE: "worse"}
NO_SCORE = "–"


def side_label(side: Side) -> str:
    """ "Left side", "Right side", "Both sides", or "" for a step with no side."""
    return _SIDE_LABELS.get(side, "")


def ending_words(ending: Ending) -> str:
    return _ENDING_WORDS[ending]


def overall_words(overall: Overall | None) -> str:
    return "" if overall is None else _OVERALL_WORDS[overall]


def pain_score(value: int | None) -> str:
    """A 0-10 score, or a dash when the question was skipped."""
    return NO_SCORE if value is None else str(value)


def pain_pair(before: int | None, after: int | None, joiner: str = " → ") -> str:
    """ "6 → 3", "– → 3", or "not recorded"; `joiner` " to " where it is read aloud (a screen
    reader says "→" as "right arrow")."""
    if before is None and after is None:
        return "not recorded"
    return f"{pain_score(before)}{joiner}{pain_score(after)}"


def clock_text(seconds: int) -> str:
    """A countdown: "2:05"."""
    minutes, rest = divmod(max(0, seconds), 60)
    return f"{minutes}:{rest:02d}"


def minutes_left_text(remaining: int, total_minutes: int) -> str:
    """A whole routine's time left, in minutes rounded up, of its length as listed and said at
    its start (`routines.model.minutes_of`): "12 of 15 min left"."""
    left = min(-(-max(0, remaining) // 60), total_minutes)
    return f"{left} of {total_minutes} min left"


def duration_text(seconds: float) -> str:
    """A short duration on screen or in a file: "45 s", "2 min", "2 min 05 s"."""
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"


def spoken_duration(seconds: int) -> str:
    """A duration as it is said: "1 minute 30 seconds"."""
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def about_minutes(minutes: int) -> str:
    """A routine's length: "about 8 minutes"."""
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"
