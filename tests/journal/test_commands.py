"""`selfcare history` and `selfcare export` through the real entry point."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from selfcare_tui.cli import main
from selfcare_tui.journal.commands import parse_since
from selfcare_tui.journal.store import Journal

JSON_KEYS = {
    "file", "routine_id", "routine_title", "routine_format_version", "date", "started_at",
    "started_at_utc", "ended_at", "ended_at_utc", "duration_seconds", "ending", "completed",
    "pain_before", "pain_after", "overall", "easier_steps", "harder_steps", "sharp_pain",
    "sharp_pain_steps", "note", "practice", "seconds_by_side", "steps", "pain_by_side",
    "tailoring", "resumed",
}  # fmt: skip


@pytest.fixture
def journal(make_entry) -> Journal:
    journal = Journal()
    tz = timezone(timedelta(hours=-5))
    journal.save(make_entry(datetime(2026, 3, 1, 21, 30, tzinfo=tz), pain_before=7))
    journal.save(make_entry(datetime(2026, 3, 5, 7, 0, tzinfo=tz), pain_after=None))
    return journal


def test_history_table(journal: Journal, capsys) -> None:
    assert main(["history"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["Date", "Routine", "Ended", "Pain", "before", "to", "after"]
    assert out[1].startswith("2026-03-01 21:30  QL and gluteus medius basics  completed")
    assert out[1].endswith("7 to 4") and out[2].endswith("6 to –")


def test_history_json_has_stable_keys(journal: Journal, capsys) -> None:
    assert main(["history", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [set(item) for item in items] == [JSON_KEYS, JSON_KEYS]
    first = items[0]
    assert first["date"] == "2026-03-01"  # local, though it was already March 2 in UTC
    assert first["started_at"] == "2026-03-01T21:30:00-05:00"
    assert first["started_at_utc"] == "2026-03-02T02:30:00Z"
    assert first["duration_seconds"] == 540
    assert first["ending"] == "completed" and first["completed"] is True
    assert first["pain_before"] == 7 and items[1]["pain_after"] is None
    assert first["seconds_by_side"]["left"] == 102.5
    assert first["steps"][2] == {
        "index": 2,
        "title": "Figure-four",
        "side": "left",
        "outcome": "skipped",
        "seconds_planned": 45,
        "seconds_spent": 12.5,
        "seconds_added": 0,
        "ended_early": False,
    }
    assert first["file"].endswith(".toml")


def test_history_since(journal: Journal, capsys) -> None:
    assert main(["history", "--json", "--since", "2026-03-02"]) == 0
    assert [item["date"] for item in json.loads(capsys.readouterr().out)] == ["2026-03-05"]
    assert main(["history", "--since", "2030-01-01"]) == 0
    assert capsys.readouterr().out == "No sessions since then.\n"


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "0d", ""])
def test_a_bad_since_is_a_usage_error(journal: Journal, capsys, value: str) -> None:
    assert main(["history", "--since", value]) == 2
    assert main(["export", "--since", "nope"]) == 2
    assert "--since: expected a date like 2026-03-01" in capsys.readouterr().err


def test_parse_since() -> None:
    today = date(2026, 3, 10)
    assert parse_since("2026-03-01", today) == date(2026, 3, 1)
    assert parse_since("7d", today) == date(2026, 3, 4)
    assert parse_since("1d", today) == today


def test_problems_are_warnings_not_tracebacks(journal: Journal, capsys) -> None:
    broken = journal.folder / "2026-03-03T00-00-00Z-beef.toml"
    broken.write_bytes(b"journal_format = [")
    assert main(["history", "--json"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 2
    assert f"selfcare: warning: {broken}: not valid TOML" in captured.err
    assert "Traceback" not in captured.err
    assert broken.read_bytes() == b"journal_format = ["


def test_empty_journal(capsys) -> None:
    assert main(["history"]) == 0
    assert capsys.readouterr().out == "No sessions in your journal yet.\n"
    assert main(["history", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_export_to_stdout_and_to_a_private_file(journal: Journal, tmp_path: Path, capsys) -> None:
    assert main(["export"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Stretching and self-massage log")
    target = tmp_path / "for-my-therapist.md"
    assert main(["export", "--since", "2026-03-02", "--output", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    written = target.read_text()
    assert "| 2026-03-05 |" in written and "| 2026-03-01 |" not in written
    target.write_text("my own edits")
    assert main(["export", "--output", str(target)]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert target.read_text() == "my own edits"
    assert main(["export", "--output", str(target), "--force"]) == 0
    assert target.read_text() == text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_to_a_missing_folder_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert main(["export", "--output", str(tmp_path / "no" / "such.md")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_export_dash_is_stdout_and_a_folder_is_refused(
    journal: Journal, tmp_path: Path, capsys
) -> None:
    assert main(["export", "--output", "-"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("#")
    assert not Path("-").exists()
    assert main(["export", "--output", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_practice_runs_are_left_out_unless_asked_for(tmp_path, make_entry, capsys) -> None:
    from datetime import UTC, datetime

    from selfcare_tui.cli import main
    from selfcare_tui.journal.store import Journal

    journal = Journal()
    journal.save(make_entry(datetime(2026, 6, 1, 8, tzinfo=UTC)))
    practice = make_entry(datetime(2026, 6, 2, 8, tzinfo=UTC), sharp_pain=None)
    practice.practice = True
    journal.save(practice)
    assert main(["history", "--json"]) == 0
    assert '"practice": false' in capsys.readouterr().out
    assert main(["history", "--json", "--practice"]) == 0
    listed = capsys.readouterr().out
    assert '"practice": true' in listed and '"sharp_pain": null' in listed
    assert main(["export"]) == 0
    assert "2026-06-02" not in capsys.readouterr().out


def test_history_json_read_by_a_reader_that_stops_early_ends_quietly(make_entry) -> None:
    journal = Journal()
    for day in range(60):  # more than a pipe holds, so the writer meets the closed pipe
        journal.save(make_entry(datetime(2026, 3, 1, 7, 0, tzinfo=UTC) + timedelta(days=day)))
    process = subprocess.Popen(
        [sys.executable, "-m", "selfcare_tui", "history", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(2) == b"[\n"  # as `selfcare history --json | head -c 2`
    process.stdout.close()
    assert process.stderr.read() == b""
    assert process.wait() == 0
