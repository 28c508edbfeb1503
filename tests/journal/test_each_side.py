"""Pain per side, tailoring, time added during holds and resumes: kept in the journal, read back
from the file and from the cache, refused when a file holds nonsense, and summed up week by week
in history and the export."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from selfcare_tui.journal.codec import EntryError, entry_from_document, entry_to_document
from selfcare_tui.journal.history import (
    export_markdown,
    facts_of,
    side_trends,
    since_first_summary,
    trend_sentence,
    week_rows,
)
from selfcare_tui.journal.model import Reflection, SessionEntry, StepLog
from selfcare_tui.journal.store import Journal
from selfcare_tui.vocabulary import Ending, Side, StepOutcome, Tailoring

UTC_MINUS_5 = timezone(timedelta(hours=-5))
FIRST_DAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC_MINUS_5)  # a Monday


def each_side(make_entry: Callable[..., SessionEntry], **changes: object) -> SessionEntry:
    entry = make_entry(
        pain_before=6, pain_after=4, pain_before_left=6, pain_before_right=3,
        pain_after_left=4, pain_after_right=3,
    )  # fmt: skip
    steps = list(entry.steps)
    steps[0] = replace(steps[0], seconds_added=20)
    steps[1] = replace(steps[1], ended_early=True)
    tailored = replace(entry, steps=steps, tailoring=Tailoring(more_time=Side.LEFT), resumed=1)
    return replace(tailored, **changes)


def test_everything_per_side_round_trips_through_the_file_and_the_cache(
    tmp_path: Path, make_entry
) -> None:
    entry = each_side(make_entry)
    journal = Journal(tmp_path)
    path = journal.save(entry)
    document = tomllib.loads(path.read_text())
    assert document["tailoring"] == {"more_time": "left"}
    assert document["resumed"] == 1
    assert document["reflection"]["pain_before_left"] == 6
    assert document["steps"][0]["seconds_added"] == 20
    assert document["steps"][1]["ended_early"] is True
    assert "seconds_added" not in document["steps"][2]  # only what happened is written
    assert journal.load_all().entries == [entry]
    assert journal.load_all().entries == [entry]  # the second time from the cache


def test_an_entry_as_written_has_no_tailoring_table(make_entry) -> None:
    document = entry_to_document(make_entry())
    assert "tailoring" not in document and "resumed" not in document
    assert "pain_before_left" not in document["reflection"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(tailoring={"more_time": "up"}), "tailoring.more_time"),
        (lambda d: d.update(tailoring={"shorter": "yes"}), "tailoring.shorter"),
        (lambda d: d["reflection"].update(pain_after_right=11), "reflection.pain_after_right"),
        (lambda d: d["steps"][0].update(seconds_added=-5), "steps[0].seconds_added"),
        (lambda d: d["steps"][0].update(ended_early=1), "steps[0].ended_early"),
        (lambda d: d.update(resumed=-1), "resumed"),
    ],
)
def test_nonsense_in_the_new_keys_is_refused_by_name(make_entry, change, message) -> None:
    document = entry_to_document(each_side(make_entry))
    change(document)
    with pytest.raises(EntryError, match=message.replace("[", r"\[").replace("]", r"\]")):
        entry_from_document(document)


# -- weeks and sides ---------------------------------------------------------------------------


def session(day: int, left: int | None, right: int | None, seconds: float = 60) -> SessionEntry:
    start = FIRST_DAY + timedelta(days=day)
    steps = [
        StepLog(0, "Side bend", Side.LEFT, StepOutcome.DONE, 60, seconds),
        StepLog(1, "Side bend", Side.RIGHT, StepOutcome.DONE, 60, seconds),
    ]
    sorer = max((s for s in (left, right) if s is not None), default=None)
    reflection = Reflection(pain_before=sorer, pain_before_left=left, pain_before_right=right)
    return SessionEntry(
        "desk-break", "Desk break", 1, start, start + timedelta(minutes=5), Ending.COMPLETED,
        steps, reflection,
    )  # fmt: skip


WEEKS = [session(0, 6, 3), session(2, 6, 3), session(8, 5, 3), session(15, 4, 3), session(22, 3, 3)]


def test_each_week_has_its_sessions_time_and_pain_per_side() -> None:
    rows = week_rows(facts_of(WEEKS))
    assert [row.monday for row in rows] == [date(2026, 3, d) for d in (2, 9, 16, 23)]
    assert rows[0].sessions == 2 and rows[0].days == 2
    assert rows[0].seconds == {Side.LEFT: 120, Side.RIGHT: 120}
    assert rows[0].pain_before == {Side.LEFT: 6, Side.RIGHT: 3}


def test_the_trend_is_said_per_side_in_plain_words() -> None:
    trends = side_trends(facts_of(WEEKS))
    assert (
        trends[Side.LEFT].direction == "down" and trends[Side.RIGHT].direction == "about the same"
    )
    assert trend_sentence(facts_of(WEEKS)) == (
        "Your left side has come down from 6 to 3 over 3 weeks; "
        "your right side is about the same, around 3."
    )


def test_one_score_for_both_sides_is_one_trend() -> None:
    both = [replace(e, reflection=Reflection(pain_before=e.reflection.pain_before)) for e in WEEKS]
    assert trend_sentence(facts_of(both)) == "Your pain has come down from 6 to 3 over 3 weeks."


def test_the_summary_covers_the_weeks_since_the_first_session() -> None:
    summary = since_first_summary(facts_of(WEEKS), date(2026, 3, 27))
    assert summary.startswith(
        "Since your first session, 3 weeks ago: 5 sessions, about 1.2 a week. "
        "Left side 5 minutes, right side 5 minutes in all. Your left side has come down"
    )


def test_the_export_has_per_side_columns_weeks_and_where_sharp_pain_was(make_entry) -> None:
    sharp = replace(
        WEEKS[-1],
        reflection=replace(WEEKS[-1].reflection, sharp_pain=True, sharp_pain_steps=[0]),
        tailoring=Tailoring(more_time=Side.LEFT),
    )
    text = export_markdown([*WEEKS[:-1], sharp])
    assert "| Pain before → after | Left | Right | Overall | As played |" in text
    assert "| 6 → – | 6 → – | 3 → – |" in text
    assert "more time on left side (+50%)" in text
    assert "| 2026-03-02 | 2 | 2 | 2 | 2 | 6 | 3 |" in text  # week, sessions, days, min, pain
    assert "Your left side has come down from 6 to 3 over 3 weeks" in text
    assert "Where: left side in 1 session." in text
