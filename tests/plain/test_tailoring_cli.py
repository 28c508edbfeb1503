"""Tailoring from the command line: the flags, `--tailor`'s questions, and the dry run of the
tailored plan, in a real process through pipes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write

from selfcare_tui.journal.store import Journal
from selfcare_tui.vocabulary import Side, Tailoring

FAST = ["--plain", "--mute", "--speed", "200"]
SIDES = """
format = 1
title = "Sides"
[[steps]]
title = "Side bend, {side} side"
kind = "stretch"
each_side = ["left", "right"]
seconds = 40
text = "Slide your {other_side} hand down your leg."
"""


@pytest.fixture
def sides_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    write(folder / "sides.toml", SIDES)
    return folder


def the_entry(journal_dir: Path):
    (entry,) = Journal(journal_dir).load_all().entries
    return entry


def test_the_dry_run_shows_the_tailored_plan(run, sides_dir) -> None:
    result = run(["run", "sides", "--routines", str(sides_dir), "--dry-run", "--only", "left"])
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "# tailored: your left side only"
    assert "Side bend, left side" in result.out and "right side" not in result.out
    assert "Step 1 of 1." in result.out


def test_flags_tailor_the_session_and_the_entry_says_so(run_in_steps, journal_dir, sides_dir):
    result = run_in_steps(
        ["run", "sides", "--routines", str(sides_dir), *FAST, "--more-time", "right"],
        first="n\n5\n",
        after_line="Routine complete.",
        then="\n" * 7,
    )
    assert result.code == 0, result.err
    assert "Give it more time" not in result.out  # chosen by flag: nothing is asked
    entry = the_entry(journal_dir)
    assert entry.tailoring == Tailoring(more_time=Side.RIGHT)
    assert [step.seconds_planned for step in entry.steps] == [40, 60]


def test_tailor_asks_how_to_play_it(run_in_steps, journal_dir, sides_dir) -> None:
    result = run_in_steps(
        ["run", "sides", "--routines", str(sides_dir), *FAST, "--tailor"],
        first="n\ne\n6\n3\no\nr\n",
        after_line="Routine complete.",
        then="\n" * 9,
    )
    assert result.code == 0, result.err
    assert "How would you like to play this routine today?" in result.out
    assert "Which side? Your left side is sorer today." in result.out
    entry = the_entry(journal_dir)
    assert entry.tailoring == Tailoring(only=Side.RIGHT)
    assert [step.title for step in entry.steps] == ["Side bend, right side"]
    assert (entry.reflection.pain_before_left, entry.reflection.pain_before_right) == (6, 3)


def test_last_times_tailoring_is_offered_again(run_in_steps, journal_dir, sides_dir) -> None:
    args = ["run", "sides", "--routines", str(sides_dir), *FAST]
    first = run_in_steps([*args, "--shorter"], "n\n5\n", "Routine complete.", "\n" * 7)
    assert first.code == 0, first.err
    again = run_in_steps(args, "n\n5\ny\n", "Routine complete.", "\n" * 7)
    assert "Last time you chose shorter holds: again?" in again.out
    latest = Journal(journal_dir).load_all().entries[-1]
    assert latest.tailoring == Tailoring(shorter=True)
    assert [step.seconds_planned for step in latest.steps] == [27, 27]


def test_more_time_for_the_side_left_out_is_a_usage_error(run, sides_dir) -> None:
    args = ["run", "sides", "--routines", str(sides_dir), "--dry-run"]
    result = run([*args, "--only", "left", "--more-time", "right"])
    assert result.code == 2
    assert result.err == (
        "selfcare: --more-time right does nothing with --only left: the right side is left out\n"
    )
    assert run([*args, "--only", "left", "--more-time", "left"]).code == 0


def test_options_before_the_command_name_count(run_in_steps, sides_dir) -> None:
    result = run_in_steps(
        ["--plain", "--mute", "run", "sides", "--routines", str(sides_dir), "--speed", "200"],
        first="n\n5\n",
        after_line="Routine complete.",
        then="\n" * 7,
    )
    assert result.code == 0, result.err
    assert "Speech is off" in result.out.splitlines()[0]  # plain and muted, as asked first
