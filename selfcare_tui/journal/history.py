"""What the journal says over time: pure functions over entries, and the Markdown export.

Nothing here diagnoses. A change in pain is at most "worth noting" (about 2 points or 30%, the
change CONTENT.md calls meaningful over weeks of care), and every summary ends with a massage
therapist or a physician; the physician comes first when pain is higher or sharp pain was
reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from selfcare_tui import content
from selfcare_tui.journal.model import SessionEntry
from selfcare_tui.text import markdown_inline as inline
from selfcare_tui.vocabulary import (
    duration_text,
    ending_words,
    overall_words,
    pain_pair,
    side_label,
)

WORTH_NOTING_POINTS = 2
WORTH_NOTING_SHARE = 0.3
DISCLAIMER = (
    "This is a log I kept myself with the selfcare app. It is not a medical record and does not "
    "diagnose anything."
)


@dataclass(frozen=True)
class PainChange:
    """Pain before and after one session (either may be None: the question was skipped)."""

    day: date
    before: int | None
    after: int | None

    @property
    def difference(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class PainTrend:
    """Average pain over the sessions of a window; None where nothing was recorded."""

    sessions: int
    average_before: float | None
    average_after: float | None
    earlier_before: float | None
    """Average pain before, over the earlier half of the sessions that recorded it."""
    later_before: float | None
    """Average pain before, over the later half."""

    @property
    def direction(self) -> str:
        """ "lower", "higher" or "about the same" between the halves; "" with too few sessions."""
        if self.earlier_before is None or self.later_before is None:
            return ""
        change = self.later_before - self.earlier_before
        if abs(change) < 0.5:
            return "about the same"
        return "lower" if change < 0 else "higher"

    @property
    def worth_noting(self) -> bool:
        """A change of about 2 points or 30% between the halves: worth noting, not a result."""
        return _worth_noting(self.earlier_before, self.later_before)


@dataclass(frozen=True)
class SideBalance:
    left: float
    right: float

    @property
    def left_share(self) -> float | None:
        """The left side's share of left+right time, 0 to 1; None if neither side was done."""
        total = self.left + self.right
        return self.left / total if total else None


# -- counting ------------------------------------------------------------------------------------


def sessions_per_day(entries: Iterable[SessionEntry]) -> dict[date, int]:
    """Sessions started on each local day, in date order (days without any left out)."""
    counts = Counter(entry.local_date for entry in entries)
    return dict(sorted(counts.items()))


def week_start(day: date) -> date:
    """The Monday of `day`'s week (ISO weeks)."""
    return day - timedelta(days=day.weekday())


def days_practised_per_week(entries: Iterable[SessionEntry]) -> dict[date, int]:
    """For each week (keyed by its Monday) with any session, on how many days there was one."""
    days = {entry.local_date for entry in entries}
    counts = Counter(week_start(day) for day in days)
    return dict(sorted(counts.items()))


def in_last_days(entries: Iterable[SessionEntry], days: int, today: date) -> list[SessionEntry]:
    """The entries of the `days` days up to and including `today`."""
    first = today - timedelta(days=days - 1)
    return [entry for entry in entries if first <= entry.local_date <= today]


# -- pain ----------------------------------------------------------------------------------------


def pain_changes(entries: Iterable[SessionEntry]) -> list[PainChange]:
    """Pain before and after, per session that recorded either."""
    changes = []
    for entry in entries:
        before, after = entry.reflection.pain_before, entry.reflection.pain_after
        if before is not None or after is not None:
            changes.append(PainChange(entry.local_date, before, after))
    return changes


def pain_trend(entries: Sequence[SessionEntry]) -> PainTrend:
    """Averages over `entries` (pass a window: `in_last_days(...)`), and earlier vs later half."""
    befores = [e.reflection.pain_before for e in entries if e.reflection.pain_before is not None]
    afters = [e.reflection.pain_after for e in entries if e.reflection.pain_after is not None]
    half = len(befores) // 2
    earlier = _mean(befores[:half]) if half else None
    later = _mean(befores[-half:]) if half else None
    return PainTrend(len(entries), _mean(befores), _mean(afters), earlier, later)


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _worth_noting(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return False
    change = abs(after - before)
    return change >= WORTH_NOTING_POINTS or (before > 0 and change / before >= WORTH_NOTING_SHARE)


# -- sides ---------------------------------------------------------------------------------------


def side_balance(entries: Iterable[SessionEntry]) -> SideBalance:
    left = right = 0.0
    for entry in entries:
        for step in entry.steps:
            if step.side == "left":
                left += step.seconds_spent
            elif step.side == "right":
                right += step.seconds_spent
    return SideBalance(left, right)


# -- words ---------------------------------------------------------------------------------------


def spoken_summary(entries: Sequence[SessionEntry], today: date, days: int = 7) -> str:
    """E.g. "Last 7 days: 5 sessions on 4 days, pain from 6 to 4 on average." """
    window = in_last_days(entries, days, today)
    period = f"Last {days} days" if days != 1 else "Today"
    if not window:
        return f"{period}: no sessions yet."
    count = len(window)
    practised = len({entry.local_date for entry in window})
    sentence = f"{period}: {count} session{'s' * (count != 1)}"
    if practised != count:
        sentence += f" on {practised} day{'s' * (practised != 1)}"
    both = [
        entry.reflection
        for entry in window
        if entry.reflection.pain_before is not None and entry.reflection.pain_after is not None
    ]
    if both:
        before = _mean([r.pain_before for r in both if r.pain_before is not None])
        after = _mean([r.pain_after for r in both if r.pain_after is not None])
        sentence += f", pain from {_number(before)} to {_number(after)} on average."
    else:
        sentence += ", no pain scores recorded."
    if any(entry.reflection.sharp_pain for entry in window):
        sentence += " Sharp pain was reported: ask a massage therapist or physician about it."
    return sentence


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def physician_first(entries: Sequence[SessionEntry]) -> bool:
    """Sharp pain, feeling worse, or pain higher over the period: the physician comes first."""
    if any(entry.reflection.needs_physician_first for entry in entries):
        return True
    trend = pain_trend(entries)
    return trend.direction == "higher"


# -- the Markdown export -------------------------------------------------------------------------


def export_markdown(
    entries: Sequence[SessionEntry], since: date | None = None, today: date | None = None
) -> str:
    """A summary to bring to a massage therapist or physician: Markdown, for the user to share."""
    chosen = sorted(
        (e for e in entries if since is None or e.local_date >= since),
        key=lambda entry: entry.started_at.timestamp(),
    )
    lines = ["# Stretching and self-massage log", "", f"*{DISCLAIMER}*", ""]
    lines += _period_lines(chosen, since, today)
    if not chosen:
        lines += ["No sessions were recorded in this period.", ""]
    else:
        lines += _sessions_section(chosen)
        lines += _pain_section(chosen)
        lines += _sides_section(chosen)
        lines += _sharp_pain_section(chosen)
        lines += _notes_section(chosen)
    lines += _questions_section(chosen)
    lines += _sources_section()
    return "\n".join(lines).rstrip("\n") + "\n"


def _sources_section() -> list[str]:
    """Where the app's safety and reflection wording comes from (the routines cite their own)."""
    lines = [
        "## Sources",
        "",
        "The app's safety questions and reflection prompts follow these sources; each "
        "routine's own sources are listed by `selfcare sources ID`.",
        "",
    ]
    for citation in content.CITATIONS:
        keys = " ".join(f"\\[{key}\\]" for key in citation.sources)
        lines.append(f"- {inline(citation.words)}: {keys}")
    lines.append("")
    lines += [f"- \\[{key}\\] {inline(title)}" for key, title in content.SOURCES.items()]
    return [*lines, ""]


def _period_lines(
    chosen: Sequence[SessionEntry], since: date | None, today: date | None
) -> list[str]:
    if chosen:
        first, last = chosen[0].local_date, chosen[-1].local_date
        start = since or first
        days = len({entry.local_date for entry in chosen})
        weeks = days_practised_per_week(chosen)
        per_week = sum(weeks.values()) / len(weeks)
        line = (
            f"Period: {start.isoformat()} to {last.isoformat()}. {len(chosen)} session"
            f"{'s' * (len(chosen) != 1)} on {days} day{'s' * (days != 1)}; in the weeks with "
            f"any practice, {_number(per_week)} day{'s' * (per_week != 1)} a week on average."
        )
    else:
        period = f"since {since.isoformat()}" if since else "(all time)"
        line = f"Period: {period}."
    if today is not None:
        line += f" Written {today.isoformat()}."
    return [line, ""]


def _sessions_section(chosen: Sequence[SessionEntry]) -> list[str]:
    lines = [
        "## Sessions",
        "",
        "| Date | Time | Routine | How it ended | Minutes | Pain before → after | Overall |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in chosen:
        pain = pain_pair(entry.reflection.pain_before, entry.reflection.pain_after)
        overall = overall_words(entry.reflection.overall)
        start = entry.started_at
        lines.append(
            f"| {start.date().isoformat()} | {start.hour:02d}:{start.minute:02d} | "
            f"{inline(entry.routine_title)} | {ending_words(entry.ending)} | "
            f"{round(entry.duration_seconds / 60)} | {pain} | {overall} |"
        )
    routines = Counter(entry.routine_title for entry in chosen)
    listed = ", ".join(f"{inline(title)} ({count})" for title, count in routines.most_common())
    return [*lines, "", f"Routines: {listed}.", ""]


def _pain_section(chosen: Sequence[SessionEntry]) -> list[str]:
    lines = ["## Pain (0 = no pain, 10 = worst imaginable)", ""]
    trend = pain_trend(chosen)
    if trend.average_before is None and trend.average_after is None:
        return [*lines, "No pain scores were recorded.", ""]
    before_only, after_only = _scored_apart(chosen)
    if trend.average_before is not None:
        lines.append(f"- Average before a session: {_number(trend.average_before)}.")
    if trend.average_after is not None:
        lines.append(f"- Average after a session: {_number(trend.average_after)}.")
    if before_only or after_only:
        lines.append(
            f"- These two averages count different sessions: {before_only} scored only before "
            f"and {after_only} only after; the line below compares sessions scored both times."
        )
    changes = [c.difference for c in pain_changes(chosen) if c.difference is not None]
    if changes:
        lower = sum(1 for change in changes if change < 0)
        higher = sum(1 for change in changes if change > 0)
        lines.append(
            f"- Within a session: lower after in {lower}, higher after in {higher}, "
            f"the same in {len(changes) - lower - higher} of {len(changes)} sessions."
        )
    if trend.direction:
        sentence = (
            f"- Pain before a session, earlier vs later in this period: "
            f"{_number(trend.earlier_before)} then {_number(trend.later_before)} on average "
            f"({trend.direction})."
        )
        if trend.worth_noting:
            sentence += " Worth noting."
        lines.append(sentence)
    lines += [
        "",
        "These are my own scores, worth noting but not a result: a change of about 2 points, "
        "or 30%, over weeks is the kind of change worth discussing.",
        "",
    ]
    return lines


def _sides_section(chosen: Sequence[SessionEntry]) -> list[str]:
    balance = side_balance(chosen)
    lines = ["## Time per side", ""]
    if balance.left_share is None:
        return [*lines, "No one-sided steps were done.", ""]
    lines += [
        f"- Left: {duration_text(balance.left)}",
        f"- Right: {duration_text(balance.right)}",
        f"- Left share of one-sided time: {round(balance.left_share * 100)}%",
        "",
    ]
    return lines


def _sharp_pain_section(chosen: Sequence[SessionEntry]) -> list[str]:
    reports = [entry for entry in chosen if entry.reflection.sharp_pain]
    if not reports:
        return []
    lines = ["## Sharp pain reported", ""]
    for entry in reports:
        steps = entry.reflection.sharp_pain_steps
        which = ", ".join(_step_words(entry, index) for index in steps) or "step not recorded"
        when = f"{entry.started_at:%Y-%m-%d %H:%M}"
        lines.append(f"- {when}, {inline(entry.routine_title)}: {which}")
    return [*lines, "", content.SHARP_PAIN_ADVICE, ""]


def _step_words(entry: SessionEntry, index: int) -> str:
    """ "step 3 (Side bend, left side)": the side is always named, for a therapist."""
    title = inline(entry.step_title(index))
    side = side_label(entry.step_side(index)).lower()
    with_side = title if not side or side in title.lower() else f"{title}, {side}"
    return f"step {index + 1} ({with_side})"


def _scored_apart(chosen: Sequence[SessionEntry]) -> tuple[int, int]:
    """How many sessions have a pain score only before, and only after."""
    pairs = [(e.reflection.pain_before, e.reflection.pain_after) for e in chosen]
    before = sum(1 for b, a in pairs if b is not None and a is None)
    after = sum(1 for b, a in pairs if b is None and a is not None)
    return before, after


def _notes_section(chosen: Sequence[SessionEntry]) -> list[str]:
    noted = [entry for entry in chosen if entry.reflection.note.strip()]
    if not noted:
        return []
    lines = ["## Notes", ""]
    for entry in noted:
        session = f"{entry.started_at:%Y-%m-%d %H:%M}, {inline(entry.routine_title)}"
        lines.append(f"- {session}: {inline(entry.reflection.note)}")
    return [*lines, ""]


def _questions_section(chosen: Sequence[SessionEntry]) -> list[str]:
    lines = ["## Worth bringing to an appointment", ""]
    lines += [f"- {prompt}" for prompt in content.closing_prompts(physician_first(chosen))]
    lines += ["", "### Questions to bring", ""]
    therapist = [
        "My goal is lower back relief. Could you focus on the quadratus lumborum and the "
        "gluteus medius, working on both muscles in sequence on each side of the pelvis?",
        "Here are my health problems and past surgeries: (write them here).",
    ]
    physician = [
        "If my pain does not improve after a few weeks of stretching, or gets worse, should I "
        "see a physician who specialises in the spine?",
        "Are any diagnostic tests worth doing?",
    ]
    sharp_steps = sorted(
        {entry.step_title(index) for entry in chosen for index in entry.reflection.sharp_pain_steps}
    )
    specific = [
        f"Should I stop or change “{inline(title)}”? It caused sharp pain." for title in sharp_steps
    ]
    ordered = physician + therapist if physician_first(chosen) else therapist + physician
    lines += [f"{n}. {question}" for n, question in enumerate([*specific, *ordered], start=1)]
    return [*lines, ""]
