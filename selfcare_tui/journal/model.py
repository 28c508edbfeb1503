"""A journal entry: one session, with its steps as played and the reflection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from selfcare_tui.vocabulary import Ending, Overall, Side, StepOutcome, Tailoring

__all__ = ["Ending", "Overall", "Reflection", "SessionEntry", "SessionFacts", "StepLog"]

SEVERE_PAIN_SCORE = 9
"""From 9 of 10, pain is severe: a reason to talk with a physician (CONTENT.md, [34])."""


@dataclass
class Reflection:
    """The user's answers; None or empty wherever a question was skipped."""

    pain_before: int | None = None
    """One score for both sides; or, when each side was scored, the sorer side's."""
    pain_after: int | None = None
    pain_before_left: int | None = None
    """Set only when each side was scored apart (then `pain_before` is the higher of the two)."""
    pain_before_right: int | None = None
    pain_after_left: int | None = None
    pain_after_right: int | None = None
    overall: Overall | None = None
    easier_steps: list[int] = field(default_factory=list)
    harder_steps: list[int] = field(default_factory=list)
    sharp_pain: bool | None = None
    """None when the question was skipped: a therapist must not read "no" into it."""
    sharp_pain_steps: list[int] = field(default_factory=list)
    note: str = ""

    def side_pain(self, side: Side, after: bool) -> int | None:
        """The score of one side, before or after; a score for both sides counts for each."""
        if after:
            by_side = self.pain_after_left if side is Side.LEFT else self.pain_after_right
        else:
            by_side = self.pain_before_left if side is Side.LEFT else self.pain_before_right
        if by_side is not None or self.by_side(after):
            return by_side
        return self.pain_after if after else self.pain_before

    def by_side(self, after: bool) -> bool:
        """Whether each side was scored apart (before, or after)."""
        if after:
            return self.pain_after_left is not None or self.pain_after_right is not None
        return self.pain_before_left is not None or self.pain_before_right is not None

    @property
    def needs_physician_first(self) -> bool:
        """Sharp pain, feeling worse, pain higher than before, or severe pain (9 or 10) after:
        the physician comes first."""
        after = self.pain_after
        rose = self.pain_before is not None and after is not None and after > self.pain_before
        severe = after is not None and after >= SEVERE_PAIN_SCORE
        return self.sharp_pain is True or self.overall is Overall.WORSE or rose or severe


@dataclass(frozen=True)
class StepLog:
    index: int
    title: str
    side: Side
    outcome: StepOutcome
    seconds_planned: int
    seconds_spent: float
    seconds_added: int = 0
    """Added during the hold ("10 seconds more"); `seconds_planned` is as the step began."""
    ended_early: bool = False
    """The user ended the hold early: done, not skipped."""


class SessionFacts(NamedTuple):
    """What the journal's counts and trends need of a session (`SessionEntry.facts`): its day,
    its pain scores and its time per side, no words. The history screen reads these from the
    index rather than whole entries: ten thousand in a few milliseconds."""

    local_date: date
    pain_before: int | None
    pain_after: int | None
    pain_before_left: int | None
    """The left side's score before, as `Reflection.side_pain` gives it."""
    pain_before_right: int | None
    by_side: bool
    """Whether either side was scored apart, before or after."""
    sharp_pain: bool | None
    physician_first: bool
    """`Reflection.needs_physician_first`."""
    left_seconds: float
    right_seconds: float
    practice: bool
    """A run with --speed (`SessionEntry.practice`): history leaves it out."""

    def side_pain_before(self, side: Side) -> int | None:
        return self.pain_before_left if side is Side.LEFT else self.pain_before_right


@dataclass
class SessionEntry:
    routine_id: str
    routine_title: str
    format_version: int
    started_at: datetime
    """Timezone-aware, in the user's local offset at the start."""
    ended_at: datetime
    ending: Ending
    steps: list[StepLog]
    reflection: Reflection = field(default_factory=Reflection)
    practice: bool = False
    """Played with --speed other than 1 (a demo or a test): left out of history and export
    unless asked for."""
    tailoring: Tailoring = field(default_factory=Tailoring)
    """How the routine was tailored this time (the steps are logged as played)."""
    resumed: int = 0
    """How many times the session was resumed after being cut off."""

    @property
    def completed(self) -> bool:
        return self.ending is Ending.COMPLETED

    @property
    def duration_seconds(self) -> float:
        """Real elapsed time, through UTC: right across a daylight-saving change."""
        # Subtracting two datetimes that share one tzinfo compares wall clocks; UTC does not.
        return (self.ended_at.astimezone(UTC) - self.started_at.astimezone(UTC)).total_seconds()

    @property
    def local_date(self) -> date:
        """The calendar day the session started on, where the user was."""
        return self.started_at.date()

    def step_title(self, index: int) -> str:
        """The title of the step with this index, or "step N" if it was not logged."""
        for step in self.steps:
            if step.index == index:
                return step.title
        return f"step {index + 1}"

    def step_side(self, index: int) -> Side:
        """The side the step with this index worked (NONE if it was not logged)."""
        return next((step.side for step in self.steps if step.index == index), Side.NONE)

    @property
    def facts(self) -> SessionFacts:
        answers = self.reflection
        seconds = self.seconds_by_side
        return SessionFacts(
            self.local_date, answers.pain_before, answers.pain_after,
            answers.side_pain(Side.LEFT, after=False), answers.side_pain(Side.RIGHT, after=False),
            answers.by_side(after=False) or answers.by_side(after=True), answers.sharp_pain,
            answers.needs_physician_first, seconds[Side.LEFT], seconds[Side.RIGHT], self.practice,
        )  # fmt: skip

    @property
    def seconds_by_side(self) -> dict[Side, float]:
        totals = dict.fromkeys(Side, 0.0)
        for step in self.steps:
            totals[step.side] += step.seconds_spent
        return totals


@dataclass
class JournalHistory:
    """Everything readable in the journal folder, and what could not be read."""

    folder: Path
    entries: list[SessionEntry] = field(default_factory=list)
    """Sorted by start time (the instant, not the wall clock)."""
    names: list[str] = field(default_factory=list)
    """The file name of each entry, in the same order as `entries`."""
    problems: list[tuple[Path, str]] = field(default_factory=list)
    """(file, one-line reason) for each file that was left unread, sorted by name."""
    practice_left_out: int = 0
    """Practice runs (--speed) taken out of `entries` (see journal.commands)."""

    @property
    def paths(self) -> list[Path]:
        """The file of each entry, in the same order as `entries`."""
        return [self.folder / name for name in self.names]


@dataclass
class JournalOverview:
    """The journal in numbers, and its latest entries in full: what the history screen shows.
    Practice runs (--speed) are left out: they are demos and tests."""

    sessions: list[SessionFacts] = field(default_factory=list)
    """Every session's facts, oldest first."""
    latest: list[SessionEntry] = field(default_factory=list)
    """The latest sessions, oldest first."""
    problems: list[tuple[Path, str]] = field(default_factory=list)
    """(file, one-line reason) for each file that was left unread, sorted by name."""
    stamp: str | None = field(default=None, compare=False)
    """The folder as it was when the index last checked every file (`folder_stamp`); None: too
    fresh to tell, or no folder. `Journal.unchanged_since` compares it with the folder now."""
    checked_ns: int = field(default=0, compare=False)
    """When the index last checked every file: what the read relied on is that old."""
