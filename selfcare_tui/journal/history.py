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
from selfcare_tui.journal.model import Reflection, SessionEntry, SessionFacts
from selfcare_tui.text import markdown_inline as inline
from selfcare_tui.vocabulary import (
    Side,
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


def facts_of(entries: Iterable[SessionEntry]) -> list[SessionFacts]:
    """What the counts and trends below need of each entry."""
    return [entry.facts for entry in entries]


def sessions_per_day(sessions: Iterable[SessionFacts]) -> dict[date, int]:
    """Sessions started on each local day, in date order (days without any left out)."""
    counts = Counter(session.local_date for session in sessions)
    return dict(sorted(counts.items()))


def week_start(day: date) -> date:
    """The Monday of `day`'s week (ISO weeks)."""
    return day - timedelta(days=day.weekday())


def days_practised_per_week(sessions: Iterable[SessionFacts]) -> dict[date, int]:
    """For each week (keyed by its Monday) with any session, on how many days there was one."""
    days = {session.local_date for session in sessions}
    counts = Counter(week_start(day) for day in days)
    return dict(sorted(counts.items()))


def in_last_days(sessions: Iterable[SessionFacts], days: int, today: date) -> list[SessionFacts]:
    """The sessions of the `days` days up to and including `today`."""
    first = today - timedelta(days=days - 1)
    return [session for session in sessions if first <= session.local_date <= today]


# -- pain ----------------------------------------------------------------------------------------


def pain_changes(sessions: Iterable[SessionFacts]) -> list[PainChange]:
    """Pain before and after, per session that recorded either."""
    changes = []
    for session in sessions:
        before, after = session.pain_before, session.pain_after
        if before is not None or after is not None:
            changes.append(PainChange(session.local_date, before, after))
    return changes


def pain_trend(sessions: Sequence[SessionFacts]) -> PainTrend:
    """Averages over `sessions` (pass a window: `in_last_days(...)`), and earlier vs later half."""
    befores = [s.pain_before for s in sessions if s.pain_before is not None]
    afters = [s.pain_after for s in sessions if s.pain_after is not None]
    half = len(befores) // 2
    earlier = _mean(befores[:half]) if half else None
    later = _mean(befores[-half:]) if half else None
    return PainTrend(len(sessions), _mean(befores), _mean(afters), earlier, later)


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _worth_noting(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return False
    change = abs(after - before)
    return change >= WORTH_NOTING_POINTS or (before > 0 and change / before >= WORTH_NOTING_SHARE)


# -- sides ---------------------------------------------------------------------------------------


def side_balance(sessions: Iterable[SessionFacts]) -> SideBalance:
    left = right = 0.0
    for session in sessions:
        left += session.left_seconds
        right += session.right_seconds
    return SideBalance(left, right)


# -- weeks and sides ------------------------------------------------------------------------------


ABOUT_THE_SAME = 1.0
"""Points within which a side's pain is "about the same" from the first weeks to the latest."""
PAIN_SIDES = (Side.LEFT, Side.RIGHT)


@dataclass(frozen=True)
class WeekRow:
    """One week (Monday to Sunday) with any session: the numbers a therapist asks for."""

    monday: date
    sessions: int
    days: int
    seconds: dict[Side, float]
    """Seconds spent on one-sided steps, left and right."""
    pain_before: dict[Side, float | None]
    """Average pain before a session, per side (a score for both sides counts for each)."""


@dataclass(frozen=True)
class SideTrend:
    """A side's pain before a session: the first week with a score, against the latest."""

    side: Side
    first: float | None
    latest: float | None
    weeks: int
    """Weeks from the first of those weeks to the latest."""

    @property
    def direction(self) -> str:
        """ "down", "up", "about the same", or "" when there is only one week to go by."""
        if self.first is None or self.latest is None or not self.weeks:
            return ""
        if abs(self.latest - self.first) < ABOUT_THE_SAME:
            return "about the same"
        return "down" if self.latest < self.first else "up"

    def words(self, subject: str) -> str:
        """E.g. "your left side has come down from 6 to 3 over 3 weeks"."""
        over = f"over {self.weeks} week{'s' * (self.weeks != 1)}"
        first, latest = _number(self.first), _number(self.latest)
        if self.direction == "about the same":
            return f"{subject} is about the same, around {latest}"
        if self.direction:
            return f"{subject} has come {self.direction} from {first} to {latest} {over}"
        return f"{subject} scored {latest} before your sessions" if self.latest is not None else ""


def week_rows(sessions: Iterable[SessionFacts]) -> list[WeekRow]:
    """Every week with a session, oldest first."""
    weeks: dict[date, list[SessionFacts]] = {}
    mondays: dict[date, date] = {}  # sessions share days: each day's Monday is worked out once
    for session in sessions:
        day = session.local_date
        monday = mondays.get(day) or mondays.setdefault(day, week_start(day))
        weeks.setdefault(monday, []).append(session)
    rows = []
    for monday, of_week in sorted(weeks.items()):
        balance = side_balance(of_week)
        rows.append(
            WeekRow(
                monday,
                len(of_week),
                len({session.local_date for session in of_week}),
                {Side.LEFT: balance.left, Side.RIGHT: balance.right},
                {side: _mean(_side_scores(of_week, side)) for side in PAIN_SIDES},
            )
        )
    return rows


def balance_of_weeks(rows: Iterable[WeekRow]) -> SideBalance:
    """The side balance of the sessions of all these weeks together."""
    left = right = 0.0
    for row in rows:
        left += row.seconds[Side.LEFT]
        right += row.seconds[Side.RIGHT]
    return SideBalance(left, right)


def _side_scores(sessions: Iterable[SessionFacts], side: Side) -> list[int]:
    scores = (session.side_pain_before(side) for session in sessions)
    return [score for score in scores if score is not None]


def side_trends(
    sessions: Sequence[SessionFacts], rows: list[WeekRow] | None = None
) -> dict[Side, SideTrend]:
    """Each side's trend in pain before a session, from its first scored week to its latest
    (`rows`: the sessions' week_rows, when the caller has them already)."""
    rows = week_rows(sessions) if rows is None else rows
    trends = {}
    for side in PAIN_SIDES:
        scored = [row for row in rows if row.pain_before[side] is not None]
        if not scored:
            trends[side] = SideTrend(side, None, None, 0)
            continue
        first, latest = scored[0], scored[-1]
        weeks = (latest.monday - first.monday).days // 7
        trends[side] = SideTrend(side, first.pain_before[side], latest.pain_before[side], weeks)
    return trends


def scored_by_side(sessions: Iterable[SessionFacts]) -> bool:
    """Whether any session scored the left and the right apart."""
    return any(session.by_side for session in sessions)


def trend_sentence(sessions: Sequence[SessionFacts], rows: list[WeekRow] | None = None) -> str:
    """Pain since the first session, per side when sides were scored apart: "Your left side
    has come down from 6 to 3 over 3 weeks; your right side is about the same, around 3." """
    trends = side_trends(sessions, rows)
    if not scored_by_side(sessions):
        words = trends[Side.LEFT].words("your pain")
    else:
        left = trends[Side.LEFT].words("your left side")
        right = trends[Side.RIGHT].words("your right side")
        words = "; ".join(part for part in (left, right) if part)
    return f"{words[0].upper()}{words[1:]}." if words else ""


def since_first_summary(
    sessions: Sequence[SessionFacts], today: date, rows: list[WeekRow] | None = None
) -> str:
    """The trend since the first session, in plain words: sessions per week, time per side,
    pain per side. E.g. "Since your first session, 5 weeks ago: 14 sessions, about 3 a week.
    Left side 42 min, right side 35 min in all. Your left side has come down ..."

    `rows`: the sessions' week_rows, when the caller has them already."""
    if not sessions:
        return ""
    first = min(session.local_date for session in sessions)
    weeks = max(1, (week_start(today) - week_start(first)).days // 7 + 1)
    count = len(sessions)
    ago = "this week" if weeks == 1 else f"{weeks - 1} week{'s' * (weeks != 2)} ago"
    sentence = (
        f"Since your first session, {ago}: {count} session{'s' * (count != 1)}, "
        f"about {_number(count / weeks)} a week."
    )
    rows = week_rows(sessions) if rows is None else rows
    balance = balance_of_weeks(rows)
    if balance.left_share is not None:
        sentence += (
            f" Left side {spoken_time(balance.left)}, right side {spoken_time(balance.right)} "
            "in all."
        )
    trend = trend_sentence(sessions, rows)
    return f"{sentence} {trend}" if trend else sentence


def spoken_time(seconds: float) -> str:
    """Time spent, rounded for the ear: "45 seconds", "12 minutes", "1 hour 5 minutes"."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return f"{round(seconds)} seconds"
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' * (hours != 1)}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' * (rest != 1)}")
    return " ".join(parts)


# -- words ---------------------------------------------------------------------------------------


def spoken_summary(sessions: Sequence[SessionFacts], today: date, days: int = 7) -> str:
    """E.g. "Last 7 days: 5 sessions on 4 days, pain from 6 to 4 on average." """
    window = in_last_days(sessions, days, today)
    period = f"Last {days} days" if days != 1 else "Today"
    if not window:
        return f"{period}: no sessions yet."
    count = len(window)
    practised = len({session.local_date for session in window})
    sentence = f"{period}: {count} session{'s' * (count != 1)}"
    if practised != count:
        sentence += f" on {practised} day{'s' * (practised != 1)}"
    both = [s for s in window if s.pain_before is not None and s.pain_after is not None]
    if both:
        before = _mean([s.pain_before for s in both if s.pain_before is not None])
        after = _mean([s.pain_after for s in both if s.pain_after is not None])
        sentence += f", pain from {_number(before)} to {_number(after)} on average."
    else:
        sentence += ", no pain scores recorded."
    if any(session.sharp_pain for session in window):
        sentence += " Sharp pain was reported: ask a massage therapist or physician about it."
    return sentence


def pain_number(value: float | None) -> str:
    """An average pain score as shown: "4", "4.5", or a dash when none was given."""
    return "–" if value is None else _number(value)


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def physician_first(sessions: Sequence[SessionFacts]) -> bool:
    """Sharp pain, feeling worse, or pain higher over the period: the physician comes first."""
    if any(session.physician_first for session in sessions):
        return True
    trend = pain_trend(sessions)
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
    facts = facts_of(chosen)
    lines += _period_lines(facts, since, today)
    if not chosen:
        lines += ["No sessions were recorded in this period.", ""]
    else:
        lines += _sessions_section(chosen, scored_by_side(facts))
        lines += _pain_section(facts)
        lines += _weeks_section(facts)
        lines += _sides_section(facts)
        lines += _sharp_pain_section(chosen)
        lines += _notes_section(chosen)
    lines += _questions_section(chosen, physician_first(facts))
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
    chosen: Sequence[SessionFacts], since: date | None, today: date | None
) -> list[str]:
    if chosen:
        first, last = chosen[0].local_date, chosen[-1].local_date
        start = since or first
        days = len({session.local_date for session in chosen})
        weeks = days_practised_per_week(chosen)
        per_week = sum(weeks.values()) / len(weeks)
        line = (
            f"Period: {start.isoformat()} to {last.isoformat()}. {len(chosen)} session"
            f"{'s' * (len(chosen) != 1)} on {days} day{'s' * (days != 1)}; in the weeks with "
            f"any session, {_number(per_week)} day{'s' * (per_week != 1)} a week on average."
        )
    else:
        period = f"since {since.isoformat()}" if since else "(all time)"
        line = f"Period: {period}."
    if today is not None:
        line += f" Written {today.isoformat()}."
    return [line, ""]


def _sessions_section(chosen: Sequence[SessionEntry], by_side: bool) -> list[str]:
    tailored = any(_as_played(entry) for entry in chosen)
    headings = ["Date", "Time", "Routine", "How it ended", "Minutes", "Pain before → after"]
    headings += ["Left", "Right"] if by_side else []
    headings += ["Overall"] + (["As played"] if tailored else [])
    lines = ["## Sessions", "", f"| {' | '.join(headings)} |", "|---" * len(headings) + "|"]
    for entry in chosen:
        reflection = entry.reflection
        start = entry.started_at
        ended = ending_words(entry.ending) + (" (resumed)" if entry.resumed else "")
        cells = [
            start.date().isoformat(), f"{start.hour:02d}:{start.minute:02d}",
            inline(entry.routine_title), ended, str(round(entry.duration_seconds / 60)),
            pain_pair(reflection.pain_before, reflection.pain_after),
        ]  # fmt: skip
        if by_side:
            cells += [_side_pair(reflection, side) for side in PAIN_SIDES]
        cells.append(overall_words(reflection.overall))
        if tailored:
            cells.append(_as_played(entry))
        lines.append(f"| {' | '.join(cells)} |")
    routines = Counter(entry.routine_title for entry in chosen)
    listed = ", ".join(f"{inline(title)} ({count})" for title, count in routines.most_common())
    notes = [f"Routines: {listed}."]
    if by_side:
        notes.append(
            "Left and Right: pain on that side, where it was scored apart (otherwise the one "
            "score stands for both); Pain before → after is then the sorer side's."
        )
    return [*lines, "", *notes, ""]


def _side_pair(reflection: Reflection, side: Side) -> str:
    if not (reflection.by_side(after=False) or reflection.by_side(after=True)):
        return ""
    return pain_pair(reflection.side_pain(side, after=False), reflection.side_pain(side, True))


def _as_played(entry: SessionEntry) -> str:
    """How the routine was tailored, and what was changed during the holds; "" if neither."""
    parts = [] if entry.tailoring.as_written else [entry.tailoring.words().replace("your ", "")]
    added = sum(step.seconds_added for step in entry.steps)
    early = sum(1 for step in entry.steps if step.ended_early)
    if added:
        parts.append(f"+{added} s added to holds")
    if early:
        parts.append(f"{early} hold{'s' * (early != 1)} ended early")
    return "; ".join(parts)


def _weeks_section(chosen: Sequence[SessionFacts]) -> list[str]:
    """Week by week since the first session: how often, time per side, pain per side."""
    lines = [
        "## Week by week",
        "",
        "| Week of | Sessions | Days | Left min | Right min | Left pain before | "
        "Right pain before |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = week_rows(chosen)
    for row in rows:
        minutes = [str(round(row.seconds[side] / 60)) for side in PAIN_SIDES]
        pain = [pain_number(row.pain_before[side]) for side in PAIN_SIDES]
        cells = [row.monday.isoformat(), str(row.sessions), str(row.days), *minutes, *pain]
        lines.append(f"| {' | '.join(cells)} |")
    trend = trend_sentence(chosen, rows)
    return [*lines, "", *([trend, ""] if trend else [])]


def _pain_section(chosen: Sequence[SessionFacts]) -> list[str]:
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


def _sides_section(chosen: Sequence[SessionFacts]) -> list[str]:
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
    sides = Counter(
        side
        for entry in reports
        for side in {
            side_label(entry.step_side(i)).lower() for i in entry.reflection.sharp_pain_steps
        }
        if side in ("left side", "right side")
    )
    if sides:
        counted = ", ".join(f"{side} in {n} session{'s' * (n != 1)}" for side, n in sides.items())
        lines += ["", f"Where: {counted}."]
    return [*lines, "", content.SHARP_PAIN_ADVICE, ""]


def _sharp_pain_sides(entry: SessionEntry) -> set[str]:
    """ "left side", "right side": where the steps that caused sharp pain worked."""
    sides = {entry.step_side(index) for index in entry.reflection.sharp_pain_steps}
    return {side_label(side).lower() for side in sides if side in PAIN_SIDES}


def _step_words(entry: SessionEntry, index: int) -> str:
    """ "step 3 (Side bend, left side)": the side is always named, for a therapist."""
    title = inline(entry.step_title(index))
    side = side_label(entry.step_side(index)).lower()
    with_side = title if not side or side in title.lower() else f"{title}, {side}"
    return f"step {index + 1} ({with_side})"


def _scored_apart(chosen: Sequence[SessionFacts]) -> tuple[int, int]:
    """How many sessions have a pain score only before, and only after."""
    pairs = [(s.pain_before, s.pain_after) for s in chosen]
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


def _questions_section(chosen: Sequence[SessionEntry], physician_comes_first: bool) -> list[str]:
    lines = ["## Worth bringing to an appointment", ""]
    lines += [f"- {prompt}" for prompt in content.closing_prompts(physician_comes_first)]
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
    ordered = physician + therapist if physician_comes_first else therapist + physician
    lines += [f"{n}. {question}" for n, question in enumerate([*specific, *ordered], start=1)]
    return [*lines, ""]
