"""History figures, the spoken summary, and the Markdown export."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from selfcare_tui import content
from selfcare_tui.journal.history import (
    DISCLAIMER,
    days_practised_per_week,
    export_markdown,
    facts_of,
    pain_changes,
    pain_trend,
    physician_first,
    sessions_per_day,
    side_balance,
    spoken_summary,
)
from selfcare_tui.journal.model import Overall

UTC1 = timezone(timedelta(hours=1))


@pytest.fixture
def day(make_entry):
    def on_day(n: int, hour: int = 8, **answers):
        return make_entry(datetime(2026, 6, n, hour, 0, tzinfo=UTC1), **answers)

    return on_day


def test_sessions_and_days_practised(day) -> None:
    entries = [day(1), day(1, 19), day(3), day(8), day(14)]  # 2026-06-01 is a Monday
    assert sessions_per_day(facts_of(entries)) == {
        date(2026, 6, 1): 2,
        date(2026, 6, 3): 1,
        date(2026, 6, 8): 1,
        date(2026, 6, 14): 1,
    }
    assert days_practised_per_week(facts_of(entries)) == {date(2026, 6, 1): 2, date(2026, 6, 8): 2}


def test_pain_changes_and_trend(day) -> None:
    entries = [
        day(1, pain_before=7, pain_after=5),
        day(2, pain_before=6, pain_after=None),
        day(3, pain_before=None, pain_after=None),
        day(4, pain_before=4, pain_after=3),
        day(5, pain_before=3, pain_after=2),
    ]
    changes = pain_changes(facts_of(entries))
    assert [(c.before, c.after, c.difference) for c in changes] == [
        (7, 5, -2),
        (6, None, None),
        (4, 3, -1),
        (3, 2, -1),
    ]
    trend = pain_trend(facts_of(entries))
    assert trend.average_before == 5 and trend.average_after == 10 / 3
    assert (trend.earlier_before, trend.later_before) == (6.5, 3.5)
    assert trend.direction == "lower" and trend.worth_noting
    assert pain_trend([]).direction == "" and pain_trend([]).average_before is None


def test_side_balance_counts_time_spent(day) -> None:
    balance = side_balance(facts_of([day(1), day(2)]))
    assert (balance.left, balance.right) == (205.0, 240.0)
    assert round(balance.left_share or 0, 3) == round(205 / 445, 3)
    assert side_balance([]).left_share is None


def test_spoken_summary(day) -> None:
    entries = [
        day(1, pain_before=6, pain_after=4),
        day(2, pain_before=7, pain_after=5),
        day(2, 20, pain_before=5, pain_after=3),
    ]
    today = date(2026, 6, 3)
    assert spoken_summary(facts_of(entries), today) == (
        "Last 7 days: 3 sessions on 2 days, pain from 6 to 4 on average."
    )
    assert spoken_summary(facts_of(entries), date(2026, 7, 1)) == "Last 7 days: no sessions yet."
    quiet = [day(1, pain_before=None, pain_after=None)]
    assert (
        spoken_summary(facts_of(quiet), today) == "Last 7 days: 1 session, no pain scores recorded."
    )
    sharp = [day(2, sharp_pain=True, sharp_pain_steps=[2])]
    assert "Sharp pain was reported" in spoken_summary(facts_of(sharp), today)


def test_export_has_every_section_and_the_disclaimer(day) -> None:
    entries = [
        day(1, pain_before=6, pain_after=4),
        day(2, pain_before=6, pain_after=4, note="Tight | *left* side"),
        day(3, pain_before=3, pain_after=2),
        day(4, pain_before=3, pain_after=2, note=""),
    ]
    text = export_markdown(entries, today=date(2026, 6, 5))
    for heading in (
        "# Stretching and self-massage log",
        "## Sessions",
        "## Pain (0 = no pain, 10 = worst imaginable)",
        "## Time per side",
        "## Notes",
        "## Worth bringing to an appointment",
        "### Questions to bring",
    ):
        assert heading in text.splitlines()
    assert DISCLAIMER in text
    assert "| 2026-06-02 | 08:00 | QL and gluteus medius basics | completed | 9 | 6 → 4 |" in text
    assert "Tight \\| \\*left\\* side" in text  # user text cannot break the Markdown
    assert "6 then 3 on average (lower). Worth noting." in text
    assert "- Left: 6 min 50 s" in text and "- Right: 8 min" in text
    assert "## Sharp pain reported" not in text
    # The therapist comes first when nothing points to the physician.
    assert text.index(content.THERAPIST_PROMPT) < text.index(content.PHYSICIAN_PROMPT)
    assert "quadratus lumborum and the gluteus medius" in text
    assert "health problems and past surgeries" in text
    assert "specialises in the spine" in text and "diagnostic tests" in text


def test_export_puts_the_physician_first_when_pain_is_worse_or_sharp(day) -> None:
    worse = [day(1, pain_before=3, pain_after=3), day(2, pain_before=6, overall=Overall.WORSE)]
    assert physician_first(facts_of(worse))
    text = export_markdown(worse)
    assert text.index(content.PHYSICIAN_PROMPT) < text.index(content.THERAPIST_PROMPT)

    sharp = [day(1, sharp_pain=True, sharp_pain_steps=[2], overall=Overall.BETTER)]
    text = export_markdown(sharp)
    assert "## Sharp pain reported" in text
    reported = "- 2026-06-01 08:00, QL and gluteus medius basics: step 3 (Figure-four, left side)"
    assert reported in text
    assert content.SHARP_PAIN_ADVICE in text
    assert "1. Should I stop or change “Figure-four”? It caused sharp pain." in text
    assert text.index(content.PHYSICIAN_PROMPT) < text.index(content.THERAPIST_PROMPT)


def test_export_never_claims_a_result_or_a_diagnosis(day) -> None:
    entries = [day(n, pain_before=8, pain_after=1) for n in range(1, 10)]
    text = export_markdown(entries).lower()
    for phrase in ("improved your condition", "diagnosis:", "cured", "healed", "you have", "treat"):
        assert phrase not in text
    assert "worth noting" in text and "not a medical record" in text


def test_export_with_since_and_no_data(day) -> None:
    text = export_markdown([day(1), day(10)], since=date(2026, 6, 5))
    assert "2026-06-01" not in text and "| 2026-06-10 |" in text
    empty = export_markdown([], since=date(2026, 6, 5))
    assert "No sessions were recorded in this period." in empty
    assert DISCLAIMER in empty and content.THERAPIST_PROMPT in empty
    no_pain = export_markdown([day(1, pain_before=None, pain_after=None)])
    assert "No pain scores were recorded." in no_pain and "not recorded" in no_pain


def test_the_export_ties_notes_to_their_session_and_says_when_averages_differ(day) -> None:
    entries = [
        day(1, pain_before=6, pain_after=4, note="tight on the left"),
        day(2, pain_before=7, pain_after=None),
        day(3, 19, pain_before=None, pain_after=2),
    ]
    text = export_markdown(entries)
    assert "- 2026-06-01 08:00, QL and gluteus medius basics: tight on the left" in text
    assert "count different sessions: 1 scored only before and 1 only after" in text
