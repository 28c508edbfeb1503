"""The history screen: opened from the picker (F2 or the command palette), spoken, closed."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from unittest.mock import patch

import pytest
from apphelpers import Parts, tiny_library
from pinned_versions import requires_pinned_versions
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static

from selfcare_tui.app.screens import history as history_screen
from selfcare_tui.app.screens.history import (
    EMPTY_MESSAGE,
    TABLE_ROWS,
    HistoryScreen,
    history_facts,
)
from selfcare_tui.app.screens.picker import PickerScreen
from selfcare_tui.journal.history import facts_of
from selfcare_tui.journal.model import (
    Ending,
    JournalOverview,
    Overall,
    Reflection,
    SessionEntry,
    StepLog,
)
from selfcare_tui.journal.store import Journal

LOCAL = timezone(timedelta(hours=-5))
SIZE = (100, 30)
SUMMARY = (
    "Since your first session, 3 weeks ago: 10 sessions, about 2.5 a week. Left side 15 "
    "minutes, right side 12 minutes in all. Your pain has come down from 7 to 5 over 3 weeks. "
    "Last 7 days: 5 sessions on 4 days, pain from 5.4 to 3.4 on average."
)


def session(
    day: int,
    hour: int,
    pain: tuple[int | None, int | None],
    ending: Ending = Ending.COMPLETED,
    title: str = "QL and gluteus medius basics",
) -> SessionEntry:
    start = datetime(2026, 11, day, hour, 15, tzinfo=LOCAL)
    steps = [
        StepLog(0, "Side bend", "left", "done", 90, 90.0),
        StepLog(1, "Side bend", "right", "done", 90, 75.0),
        StepLog(2, "Breathing", "none", "done", 60, 60.0),
    ]
    reflection = Reflection(pain_before=pain[0], pain_after=pain[1], overall=Overall.BETTER)
    return SessionEntry(
        "ql", title, 1, start, start + timedelta(minutes=5), ending, steps, reflection
    )


ENTRIES = [
    session(3, 7, (7, 6)),
    session(5, 7, (7, 5)),
    session(10, 19, (6, None), Ending.QUIT),
    session(12, 7, (6, 5)),
    session(17, 8, (None, None), Ending.INTERRUPTED),
    session(19, 7, (6, 4), title="Evening [wind-down]"),
    session(21, 7, (6, 4)),
    session(23, 7, (5, 3)),
    session(23, 20, (5, 3)),
    session(25, 7, (5, 3)),
]
PROBLEMS = [(Path("memory/2026-11-20T12-00-00Z-ab12.toml"), "not valid TOML (line 3)")]


def parts_with(tmp_path: Path, entries: list[SessionEntry], problems=()) -> Parts:
    parts = Parts(tiny_library(tmp_path))
    parts.journal.entries.extend(entries)
    parts.journal.problems.extend(problems)
    return parts


async def open_with_key(pilot: Pilot) -> HistoryScreen:
    await pilot.pause()
    assert isinstance(pilot.app.screen, PickerScreen)
    await pilot.press("f2")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


def footer_ids(pilot: Pilot) -> set[str | None]:
    bindings = pilot.app.active_bindings.values()
    return {active.binding.id for active in bindings if active.binding.show}


def cell_texts(screen: HistoryScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_f2_opens_history_which_speaks_and_closes(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, ENTRIES)
    async with parts.app().run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot)
        rows = cell_texts(screen)
        assert len(rows) == len(ENTRIES)
        assert rows[0] == ["2026-11-25 07:15", ENTRIES[-1].routine_title, "completed", "5 → 3"]
        assert ["2026-11-17 08:15", ENTRIES[4].routine_title, "cut off", "not recorded"] in rows
        assert ["2026-11-10 19:15", ENTRIES[2].routine_title, "stopped early", "6 → –"] in rows
        assert "Evening [wind-down]" in [row[1] for row in rows]
        assert parts.speaker.texts[-1] == SUMMARY

        sides = str(screen.query_one("#history-sides", Static).render())
        assert sides.startswith("Left 15 min, right 12 min 30 s (55% / 45%)")
        weeks = str(screen.query_one("#history-weeks", Static).render())
        assert "this week (from 2026-11-23): 2 days so far" in weeks
        assert "week of 2026-11-16: 3 days of 7" in weeks
        numbers = str(screen.query_one("#history-pain-numbers", Static).render())
        assert "after:  6 5 5 4 4 3 3 3" in numbers

        spoken = len(parts.speaker.texts)
        await pilot.press("s")
        assert parts.speaker.texts[spoken:] == [SUMMARY]

        interruptions = parts.speaker.interruptions
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen)
        # By ear: the summary is cut short, and the list says it is back, with its routine.
        assert parts.speaker.interruptions == interruptions + 1
        assert parts.speaker.texts[-1] == pilot.app.screen.back_words()
        assert parts.speaker.texts[-1].startswith("Routines list. Desk break")


async def test_q_closes_and_the_footer_names_the_keys(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, ENTRIES)
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "picker.history" in footer_ids(pilot)
        screen = await open_with_key(pilot)
        assert {"history.speak", "history.close"} <= footer_ids(pilot)
        assert screen.is_current
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen)


async def test_the_command_palette_opens_history(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, ENTRIES)
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"History")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.query_one(DataTable).row_count == len(ENTRIES)


async def test_an_empty_journal_says_so(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, [])
    async with parts.app().run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot)
        assert not screen.query(DataTable)
        assert str(screen.query_one("#history-empty", Static).render()) == EMPTY_MESSAGE
        assert parts.speaker.texts[-1] == EMPTY_MESSAGE
        assert EMPTY_MESSAGE.startswith("No sessions yet.")


async def test_unreadable_files_are_listed_by_name_and_mentioned(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, ENTRIES, PROBLEMS)
    async with parts.app().run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot)
        listed = str(screen.query_one("#history-problems", Static).render())
        assert listed == "2026-11-20T12-00-00Z-ab12.toml: not valid TOML (line 3)"
        assert parts.speaker.texts[-1].startswith(SUMMARY + " 1 journal file could not be read")


async def test_a_real_journal_folder_loads(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, [])
    journal = Journal(tmp_path / "journal")
    for entry in ENTRIES:
        journal.save(entry)
    (journal.folder / "2026-11-24T00-00-00Z-ffff.toml").write_text("not = [toml")
    parts.app_parts.journal = journal
    async with parts.app().run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot)
        assert screen.query_one(DataTable).row_count == len(ENTRIES)
        assert "2026-11-24T00-00-00Z-ffff.toml" in str(
            screen.query_one("#history-problems", Static).render()
        )


async def test_no_journal_in_this_run_is_a_notice(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, [])
    parts.app_parts.journal = None
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen)
        assert any("no journal" in text for text in parts.speaker.texts)


async def test_history_is_not_opened_over_a_session(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, ENTRIES)
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.app.run_action("history")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HistoryScreen)


async def test_ten_thousand_sessions_open_with_the_latest_few(tmp_path: Path) -> None:
    # How fast is measured in bench/history_bench.py, in a pseudo-terminal.
    first = datetime(2000, 1, 1, 7, 0, tzinfo=LOCAL)
    many = []
    for n in range(10_000):
        start = first + timedelta(days=n)
        like = ENTRIES[n % len(ENTRIES)]
        many.append(replace(like, started_at=start, ended_at=start + timedelta(minutes=5)))
    parts = parts_with(tmp_path, many)
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_with_key(pilot)
        assert screen.query_one(DataTable).row_count == TABLE_ROWS
        caption = str(screen.query_one("#history-count", Label).render())
        assert caption.startswith(f"Latest {TABLE_ROWS} of 10,000 sessions")


@requires_pinned_versions
@pytest.mark.parametrize(
    "size", [(40, 12), (80, 24), (120, 40)], ids=lambda size: f"{size[0]}x{size[1]}"
)
def test_snapshot(size: tuple[int, int], tmp_path: Path, snap_compare) -> None:
    parts = parts_with(tmp_path, ENTRIES, PROBLEMS)

    async def run_before(pilot: Pilot) -> None:
        await open_with_key(pilot)
        pilot.app.clear_notifications()  # the small-terminal notice has its own picture
        await pilot.pause()

    assert snap_compare(parts.app(), terminal_size=size, run_before=run_before)


def held_back(parts: Parts) -> threading.Event:
    """Make the journal's read wait (5 s at most) until the event returned is set."""
    release = threading.Event()
    read = parts.journal.overview

    def slow_overview(latest: int, **options: int | None) -> JournalOverview:
        release.wait(5)
        return read(latest, **options)

    parts.journal.overview = slow_overview  # type: ignore[method-assign]
    return release


async def test_a_slow_journal_says_it_is_being_read(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, [])
    release = held_back(parts)
    async with parts.app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        screen = pilot.app.screen  # at once, before the journal is read
        assert isinstance(screen, HistoryScreen)
        summary = str(screen.query_one("#history-summary", Static).render())
        assert summary == "Reading your journal…"
        await pilot.pause(0.8)
        assert parts.speaker.texts[-1].startswith("Reading your journal")
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.screen is screen
        assert parts.speaker.texts[-1] == str(screen.query_one("#history-summary", Static).render())
        assert screen.query_one("#history-empty", Static)


async def test_each_session_is_said_as_it_is_reached(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, ENTRIES)
    async with parts.app().run_test(size=SIZE) as pilot:
        await open_with_key(pilot)
        await pilot.press("down")
        await pilot.pause()
        second_newest = ENTRIES[-2]
        said = parts.speaker.texts[-1]
        assert said.startswith(f"{second_newest.started_at:%A %d %B %Y, %H:%M}")
        assert second_newest.routine_title in said and "→" not in said


async def test_a_journal_read_after_the_screen_is_closed_changes_nothing(tmp_path: Path) -> None:
    from selfcare_tui.app.screens.picker import PickerScreen

    parts = parts_with(tmp_path, ENTRIES)
    reading = held_back(parts)
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, HistoryScreen)
        screen.dismiss()  # Escape, as the journal is still being read...
        facts = history_facts(facts_of(ENTRIES), ENTRIES, [], date(2026, 11, 25))
        screen.post_message(HistoryScreen.Loaded(facts))
        reading.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.3)  # ...and then it has been: no crash, the routines stay
        assert isinstance(pilot.app.screen, PickerScreen)


async def read_ahead(pilot: Pilot) -> None:
    """What the routines list asks for once it has been shown a few seconds."""
    await pilot.pause()
    pilot.app.screen.post_message(PickerScreen.Settled())
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()


async def test_the_routines_list_asks_to_read_ahead_once_settled(tmp_path: Path) -> None:
    parts = parts_with(tmp_path, ENTRIES)
    parts.app_parts.read_ahead_after = 0.01
    app = parts.app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.history_reader()
        assert reader is not None
        for _ in range(100):  # on the app's progress, not on time
            if reader.kept is not None:
                break
            await pilot.pause()
        assert reader.kept is not None
        assert reader.kept.facts.latest == ENTRIES[-TABLE_ROWS:]


async def test_the_journal_read_ahead_fills_the_screen_at_once_until_it_changes(
    tmp_path: Path,
) -> None:
    parts = parts_with(tmp_path, [])
    now = [time.time_ns() + 60 * 1_000_000_000]  # the folder's last change has settled
    journal = Journal(tmp_path / "journal", now_ns=lambda: now[0])
    for entry in ENTRIES:
        journal.save(entry)
    parts.app_parts.journal = journal
    async with parts.app().run_test(size=SIZE) as pilot:
        await read_ahead(pilot)
        with patch.object(journal, "overview", side_effect=AssertionError("read again")):
            await pilot.press("f2")
            screen = pilot.app.screen
            assert isinstance(screen, HistoryScreen)
            assert screen.query_one(DataTable).row_count == len(ENTRIES)  # in its first paint
            await pilot.press("escape")

        last, later = ENTRIES[-1], timedelta(hours=1)
        moved = replace(last, started_at=last.started_at + later, ended_at=last.ended_at + later)
        journal.save(moved)
        screen = await open_with_key(pilot)
        assert screen.query_one(DataTable).row_count == len(ENTRIES) + 1


async def test_a_journal_index_lost_is_read_only_when_asked(tmp_path: Path) -> None:
    from selfcare_tui.journal.index import discard

    parts = parts_with(tmp_path, [])
    journal = Journal(tmp_path / "journal")
    for entry in ENTRIES:
        journal.save(replace(entry, started_at=entry.started_at - timedelta(days=30)))
    discard(journal.folder)
    parts.app_parts.journal = journal
    with patch.object(history_screen, "READ_AHEAD_AT_MOST", len(ENTRIES) - 1):
        async with parts.app().run_test(size=SIZE) as pilot:
            await read_ahead(pilot)
            reader = pilot.app.history_reader()
            assert reader is not None and reader.kept is None
            screen = await open_with_key(pilot)
            assert screen.query_one(DataTable).row_count == len(ENTRIES)
