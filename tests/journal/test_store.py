"""The journal folder: round trips, names, permissions, problems left untouched, time zones."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import time
import tomllib
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from selfcare_tui import locations
from selfcare_tui.journal import index as index_module
from selfcare_tui.journal import store
from selfcare_tui.journal.codec import JOURNAL_FORMAT
from selfcare_tui.journal.history import facts_of
from selfcare_tui.journal.index import INDEX_NAME, TooManyToParse
from selfcare_tui.journal.model import (
    Ending,
    JournalHistory,
    JournalOverview,
    Overall,
    SessionEntry,
    StepLog,
)
from selfcare_tui.journal.rows import FACTS
from selfcare_tui.journal.store import Journal
from selfcare_tui.vocabulary import Side, StepOutcome

LONDON = ZoneInfo("Europe/London")


SECOND = 1_000_000_000


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip_keeps_every_field(tmp_path: Path, make_entry) -> None:
    entry = make_entry(sharp_pain=True, sharp_pain_steps=[3], note='Line one\nand "two" ✓')
    journal = Journal(tmp_path / "journal")
    path = journal.save(entry)
    [loaded] = journal.load_all().entries
    assert loaded == entry
    assert loaded.started_at.utcoffset() == entry.started_at.utcoffset()
    document = tomllib.loads(path.read_text())
    assert document["journal_format"] == JOURNAL_FORMAT
    assert document["started_at"].utcoffset() == timedelta(0)
    assert document["seconds_by_side"] == {"left": 102.5, "right": 120.0, "both": 0.0, "none": 0.0}
    # A second load comes from the cache and is still equal.
    assert journal.load_all().entries == [entry]


def test_skipped_answers_round_trip_as_none(tmp_path: Path, make_entry) -> None:
    entry = make_entry(pain_before=None, pain_after=None, overall=None, note="")
    journal = Journal(tmp_path)
    journal.save(entry)
    [loaded] = Journal(tmp_path).load_all().entries
    assert loaded.reflection.pain_before is None and loaded.reflection.overall is None


def test_default_folder_is_under_xdg_data_home(private_user_dirs, make_entry) -> None:
    path = Journal().save(make_entry())
    assert path.parent == locations.journal_dir()
    assert path.is_relative_to(private_user_dirs["data"])


def test_file_name_is_the_utc_start_and_a_random_suffix(tmp_path: Path, make_entry) -> None:
    start = datetime(2026, 11, 25, 21, 4, 5, tzinfo=timezone(timedelta(hours=-5)))
    names = {Journal(tmp_path).save(make_entry(start)).name for _ in range(5)}
    assert len(names) == 5  # same start, never the same file
    for name in names:
        assert re.fullmatch(r"2026-11-26T02-04-05Z-[0-9a-f]{4}\.toml", name)


def test_permissions_are_private_whatever_the_umask(tmp_path: Path, make_entry) -> None:
    old = os.umask(0)
    try:
        folder = tmp_path / "data" / "selfcare" / "journal"
        path = Journal(folder).save(make_entry())
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(folder) == 0o700
    assert mode(folder.parent) == 0o700  # created by the journal, so private too


def test_an_existing_loose_folder_is_tightened_never_loosened(tmp_path: Path, make_entry) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    loose.chmod(0o755)
    Journal(loose).save(make_entry())
    assert mode(loose) == 0o700
    strict = tmp_path / "strict"
    strict.mkdir()
    strict.chmod(0o500 | 0o200)
    Journal(strict).save(make_entry())
    assert mode(strict) == 0o700


def test_saving_never_touches_older_files(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    first = journal.save(make_entry())
    before = (first.read_bytes(), first.stat().st_mtime_ns, first.stat().st_ino)
    for _ in range(3):
        journal.save(make_entry())
    assert (first.read_bytes(), first.stat().st_mtime_ns, first.stat().st_ino) == before
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


BROKEN_FILES = {
    "2026-01-01T10-00-00Z-aaaa.toml": b"journal_format = 1\nroutine_id = ",  # cut off
    "2026-01-02T10-00-00Z-bbbb.toml": b"",
    "2026-01-03T10-00-00Z-cccc.toml": b"   \n",
    "notes.toml": b'title = "my own notes"\n',  # foreign
    "2026-01-04T10-00-00Z-dddd.toml": b"\xff\xfe\x00garbage",
    "2026-01-05T10-00-00Z-eeee.toml": b"journal_format = 99\n",
    "2026-01-06T10-00-00Z-ffff.toml": b'journal_format = 1\nroutine_id = "x"\n',
}


def test_corrupt_empty_and_foreign_files_are_reported_and_left_alone(
    tmp_path: Path, make_entry
) -> None:
    journal = Journal(tmp_path)
    good = journal.save(make_entry())
    for name, data in BROKEN_FILES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "README.txt").write_text("not toml")  # not *.toml: not looked at

    for _ in range(2):  # the second load goes through the cache
        history = journal.load_all()
        assert history.paths == [good]
        reported = {path.name: message for path, message in history.problems}
        assert set(reported) == {*BROKEN_FILES, "folder.toml"}
        assert "not valid TOML" in reported["2026-01-01T10-00-00Z-aaaa.toml"]
        assert reported["2026-01-02T10-00-00Z-bbbb.toml"] == "empty file"
        assert "not a selfcare journal entry" in reported["notes.toml"]
        assert "not UTF-8" in reported["2026-01-04T10-00-00Z-dddd.toml"]
        assert "newer selfcare" in reported["2026-01-05T10-00-00Z-eeee.toml"]
        assert "started_at: missing" in reported["2026-01-06T10-00-00Z-ffff.toml"]
    journal.save(make_entry())
    for name, data in BROKEN_FILES.items():
        assert (tmp_path / name).read_bytes() == data
    assert (tmp_path / "README.txt").read_text() == "not toml"


@pytest.mark.usefixtures("every_file_checked")
def test_unknown_keys_from_a_later_version_are_ignored(tmp_path: Path, make_entry) -> None:
    path = Journal(tmp_path).save(make_entry())
    text = path.read_text()
    path.write_text('mood = "calm"\n' + text.replace("[reflection]", "[reflection]\nenergy = 3"))
    history = Journal(tmp_path).load_all()
    assert not history.problems
    assert history.entries == [make_entry()]


def test_hidden_and_temporary_files_are_not_entries(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    journal.save(make_entry())
    (tmp_path / ".2026-01-01T00-00-00Z-1234abcd.tmp").write_bytes(b"journal_format = 1\nrou")
    history = journal.load_all()
    assert len(history.entries) == 1 and not history.problems


@pytest.mark.usefixtures("every_file_checked")
def test_an_edited_file_is_read_again_and_a_broken_index_rebuilt(
    tmp_path: Path, make_entry
) -> None:
    journal = Journal(tmp_path)
    path = journal.save(make_entry())
    journal.load_all()
    assert (tmp_path / INDEX_NAME).exists()
    assert mode(tmp_path / INDEX_NAME) == 0o600
    path.write_text(path.read_text().replace("Left side tighter.", "Edited by hand, longer."))
    assert journal.load_all().entries[0].reflection.note == "Edited by hand, longer."
    (tmp_path / INDEX_NAME).write_text('{"version": 1, "plans": [], "rows": [["x"')
    assert journal.load_all().entries[0].reflection.note == "Edited by hand, longer."
    assert len(journal.load_all().entries) == 1


def test_missing_folder_is_an_empty_history(tmp_path: Path) -> None:
    history = Journal(tmp_path / "nowhere").load_all()
    assert history.entries == [] and history.problems == []
    assert not (tmp_path / "nowhere").exists()


def test_since_uses_the_local_start_date(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    tokyo = timezone(timedelta(hours=9))
    # 2026-03-01 08:00 in Tokyo is still 2026-02-28 in UTC (and in the file name).
    early = make_entry(datetime(2026, 3, 1, 8, 0, tzinfo=tokyo))
    late = make_entry(datetime(2026, 3, 5, 8, 0, tzinfo=tokyo))
    journal.save(make_entry(datetime(2026, 2, 20, 8, 0, tzinfo=tokyo)))
    journal.save(late)
    journal.save(early)
    assert journal.load_all(since=date(2026, 3, 1)).entries == [early, late]
    assert journal.load_all(since=date(2026, 3, 2)).entries == [late]
    assert len(journal.load_all().entries) == 3


def test_entries_are_sorted_by_instant_not_wall_clock(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    new_york = make_entry(datetime(2026, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=-4))))
    london = make_entry(datetime(2026, 6, 1, 9, 0, tzinfo=timezone(timedelta(hours=1))))
    journal.save(new_york)
    journal.save(london)
    assert journal.load_all().entries == [london, new_york]  # 08:00Z before 12:00Z


def test_a_session_across_the_spring_daylight_saving_change(tmp_path: Path, make_entry) -> None:
    # Europe/London, 2026-03-29: clocks go from 01:00 GMT to 02:00 BST.
    start = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)  # 00:30 GMT
    end = datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)  # 02:30 BST: one real hour later
    entry = make_entry(start)
    entry.ended_at = end
    assert entry.duration_seconds == 3600  # not the two hours the wall clock shows
    journal = Journal(tmp_path)
    path = journal.save(entry)
    document = tomllib.loads(path.read_text())
    assert document["started_at_local"].utcoffset() == timedelta(0)
    assert document["ended_at_local"].utcoffset() == timedelta(hours=1)
    assert document["duration_seconds"] == 3600
    assert path.name.startswith("2026-03-29T00-30-00Z-")
    for _ in range(2):
        [loaded] = journal.load_all().entries
        assert loaded == entry
        assert loaded.duration_seconds == 3600
        assert loaded.ended_at.isoformat() == "2026-03-29T02:30:00+01:00"
        assert loaded.local_date == date(2026, 3, 29)


def test_a_session_in_the_repeated_autumn_hour(tmp_path: Path, make_entry) -> None:
    # 2026-10-25: 01:00-02:00 happens twice in London; fold=1 is the second (GMT) one.
    start = datetime(2026, 10, 25, 1, 40, tzinfo=LONDON)  # BST, 00:40Z
    end = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)  # GMT, 01:10Z
    entry = make_entry(start)
    entry.ended_at = end
    assert entry.duration_seconds == 30 * 60
    journal = Journal(tmp_path)
    journal.save(entry)
    [loaded] = journal.load_all().entries
    assert loaded.duration_seconds == 30 * 60
    assert loaded.started_at.isoformat() == "2026-10-25T01:40:00+01:00"
    assert loaded.ended_at.isoformat() == "2026-10-25T01:10:00+00:00"


def test_naive_times_are_refused(tmp_path: Path, make_entry) -> None:
    entry = make_entry(datetime(2026, 6, 1, 7, 30))
    with pytest.raises(ValueError, match="timezone-aware"):
        Journal(tmp_path / "journal").save(entry)
    assert not (tmp_path / "journal").exists()


def test_endings_and_overall_round_trip(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    for n, (ending, overall) in enumerate(zip(Ending, Overall, strict=True)):
        start = datetime(2026, 6, 1 + n, 7, 30, tzinfo=UTC)
        journal.save(make_entry(start, ending=ending, overall=overall))
    loaded = journal.load_all().entries
    assert [(e.ending, e.reflection.overall) for e in loaded] == list(
        zip(Ending, Overall, strict=True)
    )


@pytest.mark.usefixtures("every_file_checked")
def test_a_file_restored_with_its_old_size_and_time_is_read_again(
    tmp_path: Path, make_entry
) -> None:
    journal = Journal(tmp_path / "journal")
    path = journal.save(make_entry(pain_before=6))
    assert journal.load_all().entries[0].reflection.pain_before == 6  # the cache now has it
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("pain_before = 6", "pain_before = 9")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` would
    assert journal.load_all().entries[0].reflection.pain_before == 9


# -- the cache ---------------------------------------------------------------------------------


def settle(folder: Path, seconds_ago: int = 60) -> None:
    """Date the folder's last change back, as if no file had been added for a while."""
    past = time.time_ns() - seconds_ago * 10**9
    os.utime(folder, ns=(past, past))


def look_at_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking a file against its row, or parsing one, fails the test."""

    def fail(*args: object) -> None:
        raise AssertionError("a file was looked at although the folder is unchanged")

    monkeypatch.setattr(index_module, "_signatures", fail)
    refuse_to_parse(monkeypatch)


def test_a_settled_folder_is_read_without_looking_at_its_files(
    tmp_path: Path, make_entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    expected, listed = seen(journal.load_all()), listings(journal)
    settle(tmp_path)
    journal.load_all()  # each file checked once more, and the folder's state kept
    stamp = tmp_path.stat().st_mtime_ns
    look_at_no_file(monkeypatch)
    assert seen(journal.load_all()) == expected
    assert listings(journal) == listed
    assert tmp_path.stat().st_mtime_ns == stamp  # the index's own writes leave it as it was


def test_a_file_added_renamed_or_removed_in_a_settled_folder_is_seen(
    tmp_path: Path, make_entry
) -> None:
    journal = Journal(tmp_path)
    first = journal.save(make_entry(pain_before=3))
    settle(tmp_path, seconds_ago=90)
    assert len(journal.load_all().entries) == 1
    second = journal.save(make_entry(datetime(2026, 6, 2, 7, 30, tzinfo=UTC), pain_before=5))
    settle(tmp_path, seconds_ago=80)
    assert [e.reflection.pain_before for e in journal.load_all().entries] == [3, 5]
    first.rename(tmp_path / "2026-06-03T07-30-00Z-abcd.toml")
    settle(tmp_path, seconds_ago=70)
    assert journal.load_all().names == ["2026-06-03T07-30-00Z-abcd.toml", second.name]
    second.unlink()
    settle(tmp_path, seconds_ago=60)
    assert [e.reflection.pain_before for e in journal.load_all().entries] == [3]


def test_a_file_edited_in_place_in_a_settled_folder_is_seen_once_the_folder_changes(
    tmp_path: Path, make_entry
) -> None:
    journal = Journal(tmp_path)
    path = journal.save(make_entry(pain_before=6))
    settle(tmp_path, seconds_ago=90)
    journal.load_all()
    path.write_text(path.read_text().replace("pain_before = 6", "pain_before = 9"))
    # As nano or VS Code save: the folder is unchanged, so its files are not looked at...
    assert journal.load_all().entries[0].reflection.pain_before == 6
    journal.save(make_entry(datetime(2026, 6, 2, 7, 30, tzinfo=UTC)))
    settle(tmp_path, seconds_ago=60)  # ...until it changes, at the next session saved
    assert journal.load_all().entries[0].reflection.pain_before == 9


def test_a_folder_changed_within_two_seconds_tells_nothing(tmp_path: Path) -> None:
    info = tmp_path.stat()
    changed = info.st_mtime_ns
    assert index_module.folder_stamp(info, changed + 2 * 10**9 - 1) is None
    assert index_module.folder_stamp(info, changed + 2 * 10**9) is not None


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch, unless: str = "") -> None:
    """Parsing a file (but `unless`, which is no entry and so never cached) fails the test."""
    read_entry = store._read_entry

    def fail(path: Path) -> SessionEntry:
        if path.name == unless:
            return read_entry(path)
        raise AssertionError(f"{path.name} parsed again although unchanged")

    monkeypatch.setattr(store, "_read_entry", fail)


def seven_sessions(folder: Path, make_entry: Callable[..., SessionEntry]) -> Journal:
    """Sessions with the same steps, other steps, no steps, skipped answers, other offsets."""
    journal = Journal(folder)
    for day in range(4):
        journal.save(make_entry(datetime(2026, 6, 1 + day, 7, 30, tzinfo=UTC)))
    other = make_entry(datetime(2026, 6, 5, 7, 30, tzinfo=timezone(timedelta(hours=-5))))
    other.steps = [StepLog(0, "Breathing", Side.NONE, StepOutcome.DONE, 60, 59.5)]
    journal.save(other)
    journal.save(make_entry(datetime(2026, 6, 6, 7, 30, tzinfo=UTC), ending=Ending.QUIT,
                            pain_before=None, pain_after=None, overall=None, note=""))  # fmt: skip
    empty = make_entry(datetime(2026, 6, 7, 7, 30, tzinfo=UTC), sharp_pain=True)
    empty.steps = []
    journal.save(empty)
    return journal


def seen(history: JournalHistory) -> tuple[Any, ...]:
    """Everything a command can see of a load, for comparing two loads."""
    return history.entries, history.names, history.problems


def uncached(journal: Journal) -> tuple[Any, ...]:
    (journal.folder / INDEX_NAME).unlink(missing_ok=True)
    result = seen(journal.load_all())
    (journal.folder / INDEX_NAME).unlink()
    return result


def rewrite_index(folder: Path, table: str, change: Callable[[Any], object]) -> None:
    """Let `change` edit each row of `table` ("entries": the entry; "steps": its steps),
    parsed, and write it back."""
    with sqlite3.connect(folder / INDEX_NAME) as database:
        rows = database.execute(f"SELECT rowid, row FROM {table} WHERE row IS NOT NULL")
        for rowid, text in rows.fetchall():
            row = json.loads(text)
            changed = change(row)
            row = row if changed is None else changed
            database.execute(
                f"UPDATE {table} SET row = ? WHERE rowid = ?", (json.dumps(row), rowid)
            )


def every_row(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    return lambda folder: rewrite_index(folder, "entries", change)


def every_step(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def each(steps: list[dict[str, Any]]) -> None:
        for step in steps:
            change(step)

    return lambda folder: rewrite_index(folder, "steps", each)


def sql(statement: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        with sqlite3.connect(folder / INDEX_NAME) as database:
            database.execute(statement)

    return run


CACHE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "title a number": every_row(lambda row: row.update(routine_title=5)),
    "format version as text": every_row(lambda row: row.update(format_version="1")),
    "a naive start": every_row(lambda row: row.update(started_at="2026-06-01T07:30:00")),
    "a start that is no date": every_row(lambda row: row.update(started_at="soon")),
    "an unknown ending": every_row(lambda row: row.update(ending="finished")),
    "pain as text": every_row(lambda row: row["reflection"].update(pain_before="6")),
    "pain out of range": every_row(lambda row: row["reflection"].update(pain_after=11)),
    "an unknown overall": every_row(lambda row: row["reflection"].update(overall="great")),
    "step indexes as text": every_row(lambda row: row["reflection"].update(easier_steps=["0"])),
    "sharp pain as a number": every_row(lambda row: row["reflection"].update(sharp_pain=1)),
    "a null note": every_row(lambda row: row["reflection"].update(note=None)),
    "reflection not an object": every_row(lambda row: row.update(reflection=[1, 2])),
    "missing end": every_row(lambda row: row.pop("ended_at")),
    "missing note": every_row(lambda row: row["reflection"].pop("note")),
    "a row that is not an object": every_row(lambda row: [row]),
    "steps spent as text": every_step(lambda step: step.update(seconds_spent="90")),
    "an unknown side": every_step(lambda step: step.update(side="up")),
    "missing outcome": every_step(lambda step: step.pop("outcome")),
    "steps not a list": sql("""UPDATE steps SET row = '{"' || id || '": 1}'"""),
    "rows not JSON": sql("UPDATE entries SET row = 'not json' WHERE row IS NOT NULL"),
    "no steps at all": sql("DELETE FROM steps"),
    "steps pointing nowhere": sql("UPDATE entries SET steps_id = 99"),
    "steps pointing elsewhere": sql("UPDATE entries SET steps_id = 1"),
    "a pain score changed": every_row(lambda row: row["reflection"].update(pain_before=0)),
    "planned seconds changed": every_step(
        lambda step: step.update(seconds_planned=step["seconds_planned"] + 1)
    ),
    "listings replaced": sql("""UPDATE entries SET listing = '{"garbage": 1}'"""),
    "listed steps cut": sql("UPDATE steps SET listing = substr(listing, 1, 20) || id"),
    "dates changed": sql("UPDATE entries SET local_date = '1999-01-01'"),
    "practice flags turned": sql("UPDATE entries SET practice = NOT practice"),
}


@pytest.mark.parametrize("damage", CACHE_DAMAGE.values(), ids=CACHE_DAMAGE.keys())
def test_a_damaged_cache_gives_the_same_entries_as_no_cache(
    tmp_path: Path, make_entry, monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    (tmp_path / "notes.toml").write_text('title = "not an entry"\n', encoding="utf-8")
    expected = uncached(journal)
    assert len(expected[0]) == 7 and len(expected[2]) == 1
    listed = listings(journal)
    assert [json.loads(line)["file"] for line in listed] == expected[1]
    damage(tmp_path)
    assert listings(journal) == listed
    assert seen(journal.load_all()) == expected
    refuse_to_parse(monkeypatch, unless="notes.toml")  # the damaged rows were replaced
    assert seen(journal.load_all()) == expected
    assert listings(journal) == listed


def test_a_truncated_cache_gives_the_same_entries_as_no_cache(tmp_path: Path, make_entry) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    expected = uncached(journal)
    journal.load_all()
    data = (tmp_path / INDEX_NAME).read_bytes()
    for cut in (0, 1, 100, len(data) // 3, len(data) // 2, len(data) - 1):
        (tmp_path / INDEX_NAME).write_bytes(data[:cut])
        assert seen(journal.load_all()) == expected
        listed = [json.loads(line)["file"] for line in listings(journal)]
        assert listed == expected[1]


def test_the_cache_of_earlier_versions_is_removed(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    journal.save(make_entry(pain_before=6))
    (tmp_path / ".cache-v1.json").write_text('{"layout": 1}', encoding="utf-8")
    assert journal.load_all().entries == [make_entry(pain_before=6)]
    assert not (tmp_path / ".cache-v1.json").exists()


def listings(journal: Journal) -> list[str]:
    with journal.reading() as index:
        assert index is not None
        return [line for lines in index.listings() for line in lines]


def test_the_cache_is_used_private_and_shares_step_lists(
    tmp_path: Path, make_entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = os.umask(0)
    try:
        journal = seven_sessions(tmp_path, make_entry)
        expected = journal.load_all().entries
    finally:
        os.umask(old)
    assert mode(tmp_path / INDEX_NAME) == 0o600
    with sqlite3.connect(tmp_path / INDEX_NAME) as database:
        (lists,) = database.execute("SELECT count(*) FROM steps").fetchone()
    assert lists == 3  # seven sessions, three lists of steps
    refuse_to_parse(monkeypatch)
    loaded = journal.load_all().entries
    assert loaded == expected
    assert loaded[0].steps is not loaded[1].steps  # each entry has its own list...
    assert loaded[0].steps[0] is loaded[1].steps[0]  # ...of steps built once


def test_rows_of_entries_before_since_are_kept_unread(
    tmp_path: Path, make_entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    expected = journal.load_all().entries
    assert len(journal.load_all(since=date(2026, 6, 6)).entries) == 2
    refuse_to_parse(monkeypatch)
    assert journal.load_all().entries == expected


def test_a_cache_that_cannot_be_written_is_only_skipped(
    tmp_path: Path, make_entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **options: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(index_module, "open_private_db", fail)
    journal = seven_sessions(tmp_path, make_entry)
    assert len(journal.load_all().entries) == 7
    assert len(listings(journal)) == 7
    assert not (tmp_path / INDEX_NAME).exists()


def test_listings_are_the_same_whatever_few_step_lists_are_kept_at_once(
    tmp_path: Path, make_entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    listed = listings(journal)
    monkeypatch.setattr(index_module._ListedSteps, "KEPT", 1)
    assert listings(journal) == listed


def test_every_file_is_checked_again_ten_minutes_after_the_last_check(
    tmp_path: Path, make_entry
) -> None:
    now = [time.time_ns()]
    journal = Journal(tmp_path, now_ns=lambda: now[0])
    path = journal.save(make_entry(pain_before=6))
    settle(tmp_path)
    journal.load_all()
    path.write_text(path.read_text().replace("pain_before = 6", "pain_before = 9"))
    now[0] += index_module.FULL_CHECK_NS - 1
    assert journal.load_all().entries[0].reflection.pain_before == 6  # edited in place
    now[0] += 1
    assert journal.load_all().entries[0].reflection.pain_before == 9


def test_entries_removed_leave_no_word_of_them_in_the_index(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    notes = [f"Private note number {n:02d}, kept in one place only." for n in range(30)]
    paths = [
        journal.save(make_entry(datetime(2026, 6, 1, 7, tzinfo=UTC) + timedelta(days=n), note=note))
        for n, note in enumerate(notes)
    ]
    listings(journal)  # the index holds every entry, its note in its fields and its listing
    for path in paths[1::2]:  # the user deletes sessions
        path.unlink()
    settle(tmp_path)
    assert [e.reflection.note for e in journal.load_all().entries] == notes[0::2]
    for kept in tmp_path.iterdir():  # the index, its rollback journal, the other entries
        data = kept.read_bytes()
        assert not [note for note in notes[1::2] if note.encode() in data], kept.name


def test_discarding_the_index_removes_its_rollback_journal(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    journal.save(make_entry())
    assert (tmp_path / f"{INDEX_NAME}-journal").exists()
    index_module.discard(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        p.name for p in tmp_path.iterdir() if p.suffix == ".toml"
    ]


def overview_of(journal: Journal, latest: int = 3) -> tuple[Any, ...]:
    overview = journal.overview(latest)
    return overview.sessions, overview.latest, overview.problems


def test_the_overview_has_every_sessions_facts_and_the_latest_in_full(
    tmp_path: Path, make_entry, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    journal.save(make_entry(datetime(2026, 6, 8, 7, 30, tzinfo=UTC), pain_before_left=7,
                            pain_before_right=2, pain_before=7, sharp_pain=False))  # fmt: skip
    practice = make_entry(datetime(2026, 6, 9, 7, 30, tzinfo=UTC))
    practice.practice = True  # a demo: left out, as on the history screen
    journal.save(practice)
    (tmp_path / "notes.toml").write_text('title = "not an entry"\n', encoding="utf-8")
    sessions = journal.load_all().entries[:-1]
    expected = (facts_of(sessions), sessions[-3:], journal.load_all().problems)
    assert overview_of(journal) == expected
    assert {facts.sharp_pain for facts in expected[0]} == {None, True, False}
    assert {facts.by_side for facts in expected[0]} == {True, False}
    refuse_to_parse(monkeypatch, unless="notes.toml")
    assert overview_of(journal) == expected  # from the index alone
    assert Journal(tmp_path / "nowhere").overview(3) == JournalOverview()


def crafted_facts(change: Callable[[list[Any]], object]) -> Callable[[Path], None]:
    """Let `change` edit each row's packed facts (day, four scores, flags, seconds left and
    right), written back with a CRC that matches: a row made by hand, not damaged."""

    def rewrite(folder: Path) -> None:
        with sqlite3.connect(folder / INDEX_NAME) as database:
            rows = database.execute("SELECT rowid, facts FROM entries WHERE facts IS NOT NULL")
            for rowid, packed in rows.fetchall():
                fields = list(FACTS.unpack_from(packed))
                change(fields)
                body = FACTS.pack(*fields)
                packed = body + zlib.crc32(body).to_bytes(4, "little")
                database.execute("UPDATE entries SET facts = ? WHERE rowid = ?", (packed, rowid))

    return rewrite


FACTS_DAMAGE: dict[str, Callable[[Path], None]] = {
    "seconds not a number": crafted_facts(lambda fields: fields.__setitem__(6, float("nan"))),
    "seconds below zero": crafted_facts(lambda fields: fields.__setitem__(7, -5.0)),
    "a day in year 1": crafted_facts(lambda fields: fields.__setitem__(0, 1)),
    "unknown flags": crafted_facts(lambda fields: fields.__setitem__(5, 64)),
    "facts cut": sql("UPDATE entries SET facts = substr(facts, 1, 10)"),
    "a fact changed": sql("UPDATE entries SET facts = CAST(x'00' || substr(facts, 2) AS BLOB)"),
    "facts missing": sql("UPDATE entries SET facts = NULL"),
    "facts as text": sql("UPDATE entries SET facts = 'facts'"),
    "practice column turned": sql("UPDATE entries SET practice = NOT practice"),
}


@pytest.mark.parametrize("damage", FACTS_DAMAGE.values(), ids=FACTS_DAMAGE.keys())
def test_damaged_facts_give_the_same_overview_as_no_index(
    tmp_path: Path, make_entry, monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    expected = overview_of(journal)
    damage(tmp_path)
    assert overview_of(journal) == expected
    refuse_to_parse(monkeypatch)  # the damaged rows were replaced
    assert overview_of(journal) == expected


def test_a_read_asked_to_parse_few_files_gives_up_on_more(tmp_path: Path, make_entry) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    index_module.discard(tmp_path)  # the index lost: all seven files would be parsed
    with pytest.raises(TooManyToParse, match="more than 6 journal files"):
        journal.overview(3, parse_at_most=6)
    assert len(journal.overview(3, parse_at_most=7).sessions) == 7
    journal.save(make_entry(datetime(2026, 6, 8, 7, 30, tzinfo=UTC)))
    assert len(journal.overview(3, parse_at_most=0).sessions) == 8  # saved: in the index


def test_an_overview_holds_until_the_folder_changes_or_ten_minutes_pass(
    tmp_path: Path, make_entry
) -> None:
    now = [time.time_ns() + 60 * SECOND]  # the folder's last change has settled
    journal = Journal(tmp_path, now_ns=lambda: now[0])
    journal.save(make_entry(datetime(2026, 6, 1, 7, 30, tzinfo=UTC)))
    an_hour_ago = time.time_ns() - 3600 * SECOND
    os.utime(tmp_path, ns=(an_hour_ago, an_hour_ago))  # a later save changes the folder's time

    overview = journal.overview(3)  # every file checked now
    now[0] += index_module.FULL_CHECK_NS // 2
    read_later = journal.overview(3)  # from the index alone, trusted for the other half
    now[0] += index_module.FULL_CHECK_NS // 2 - 1
    assert journal.unchanged_since(overview) and journal.unchanged_since(read_later)
    now[0] += 1
    # Ten minutes after every file was checked, however late the read: a file edited in place
    # is then seen.
    assert not journal.unchanged_since(overview) and not journal.unchanged_since(read_later)

    overview = journal.overview(3)
    assert journal.unchanged_since(overview)
    journal.save(make_entry(datetime(2026, 6, 2, 7, 30, tzinfo=UTC)))
    assert not journal.unchanged_since(overview)
    assert not Journal(tmp_path / "nowhere").unchanged_since(overview)


def test_an_overview_of_a_folder_changed_just_now_is_never_taken_as_unchanged(
    tmp_path: Path, make_entry
) -> None:
    journal = Journal(tmp_path)
    journal.save(make_entry(datetime(2026, 6, 1, 7, 30, tzinfo=UTC)))
    overview = journal.overview(3)  # within two seconds of the save: too fresh to tell
    assert overview.stamp is None
    assert not journal.unchanged_since(overview)


def test_rows_read_again_for_damage_count_toward_the_files_a_read_may_parse(
    tmp_path: Path, make_entry
) -> None:
    journal = seven_sessions(tmp_path, make_entry)
    journal.overview(3)
    with sqlite3.connect(tmp_path / INDEX_NAME) as database:
        database.execute("UPDATE entries SET facts = x'00'")  # every row's facts cut short
    with pytest.raises(TooManyToParse):
        journal.overview(3, parse_at_most=6)
    assert len(journal.overview(3, parse_at_most=7).sessions) == 7
